// The frontend pipeline: text -> cards -> syntax tree -> flat circuit.
#include "elaborate/load_netlist.hpp"
#include "elaborate/directives.hpp"
#include "elaborate/flatten.hpp"
#include "parse/card_parser.hpp"

namespace dwspice {

namespace {

CircuitSpec elaborate(Deck deck) {
  CircuitSpec spec;
  spec.title = deck.title;
  ParamScope topScope;
  evaluateParams(deck.top.params, topScope);
  InstanceNames instanceIndex(spec.instances);
  flattenDeck(deck, topScope, spec, instanceIndex);
  if (spec.instances.empty()) {
    throw UserError(deck.endLoc, "no elements in the netlist");
  }
  applyOptions(deck, topScope, spec.options);
  elaborateAnalyses(deck, topScope, instanceIndex, spec);
  spec.files = std::move(deck.files);
  if (instanceIndex.size() == spec.instances.size()) { // not when .readout added its marker
    spec.instanceIndex = instanceIndex.release();
  }
  return spec;
}

} // namespace

CircuitSpec loadNetlist(const std::filesystem::path &file) {
  return elaborate(parseNetlistFile(file));
}

CircuitSpec loadNetlistText(std::string_view text, const std::string &displayName,
                            const std::filesystem::path &baseDirectory) {
  return elaborate(parseNetlistText(text, displayName, baseDirectory));
}

} // namespace dwspice
