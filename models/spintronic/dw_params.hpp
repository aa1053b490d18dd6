// Reading the parameters of `dwneuron` and `dwsynapse` cards.
//
// Both device types accept the same parameter set (the shared track core);
// they differ in their defaults (DwFlavour). Every parameter may be given on
// the .model card or, to override it for one instance, on the instance card.
// The synapse additionally takes `state=<index>` (0 = home well, k = notch k).
// `read=1` freezes the wall (read mode, see dw_device.hpp); `vrd=<V>` is the
// bias at which the frozen read-out conductance is evaluated.
#pragma once

#include "core/device_registry.hpp"
#include "spintronic/dw_device.hpp"

namespace dwspice::spintronic {

enum class DwFlavour { Neuron, Synapse };

// Builds the device configuration; throws UserError at the offending
// parameter (or card) for invalid values.
DwDeviceConfig readDwDeviceConfig(const DeviceBuildContext &ctx, DwFlavour flavour);

// Default depinning fields (A/m), calibrated with θ_SH = 0.25 (1e12 A/m² of
// static depinning current ≙ 46.7 kA/m): the home well holds up to
// J ≈ 0.1e12 A/m², notch 1 up to ≈ 0.2e12 A/m²; depths then rise
// geometrically to notch N (6.12e4 A/m ≙ 1.31e12 A/m² for 5 notches, so that
// a wall leaving one notch is caught by the next; 3.04e4 A/m ≙ 0.65e12 A/m²
// for 10 notches, which switches fully at a lower current as in the seed).
inline constexpr double kDefaultHomeDepinningField = 4.67e3;
inline constexpr double kDefaultFirstDepinningField = 9.35e3;
double defaultLastDepinningField(int notches);

// Where a wall released at `site` (a well of radius σ = `radius`) comes to
// rest with no current: the zero of the pinning-plus-confinement field within
// one radius of the site (the site itself if there is none).
double relaxedSitePosition(const DwTrack &track, double site, double radius);

} // namespace dwspice::spintronic
