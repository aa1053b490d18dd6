// Subcircuit flattening: evaluates parameters, binds models and expands
// every X instance into hierarchically named elements, as ngspice names them
// (node `x1.mid`, element `r.x1.r3`, nested `r.x1.x2.r3`).
#pragma once

#include "elaborate/instance_names.hpp"
#include "elaborate/param_scope.hpp"
#include "parse/syntax_tree.hpp"

#include <string>

namespace dwspice {

// Evaluates `.param` cards in order into `scope` (later ones may use earlier ones).
void evaluateParams(const std::vector<ParamAssign> &params, ParamScope &scope);

// Fills spec.instances, spec.models, spec.initialConditions and
// spec.nodesets from the deck. The deck's top-level element cards are
// consumed (each is emptied once flattened); everything else stays.
// `topScope` holds the evaluated top-level parameters. `instanceIndex`
// receives every instance's hierarchical name (for later name checks such
// as the `.dc` source).
void flattenDeck(Deck &deck, const ParamScope &topScope, CircuitSpec &spec, InstanceNames &instanceIndex);

} // namespace dwspice
