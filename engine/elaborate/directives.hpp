// Elaboration of the top-level dot cards: .options/.temp, analyses, .print,
// .save and the batch directives .dataset, .bind and .readout. Values are evaluated in the top-level
// parameter scope and checked (a `.tran` with tstop <= tstart is an error here, not in the solver).
#pragma once

#include "elaborate/param_scope.hpp"
#include "parse/syntax_tree.hpp"

#include "elaborate/instance_names.hpp"
#include <string>

namespace dwspice {

void applyOptions(const Deck &deck, const ParamLookup &scope, SimOptions &options);

// `instances` maps every flattened element name to its index (for the `.dc`
// and `.bind` source checks). A `.readout` adds the zero-current breakpoint
// source kReadoutMarkerName to spec.instances.
void elaborateAnalyses(const Deck &deck, const ParamLookup &scope, const InstanceNames &instances,
                       CircuitSpec &spec);

} // namespace dwspice
