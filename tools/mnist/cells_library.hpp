// netlists/mnist/cells.inc as the generator sees it: text to inline into the
// classifier netlist, plus the interfaces of the two cells it instantiates,
// checked before 200k lines are written that would fail later in dwspice.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dwspice::mnist {

struct SubcircuitInterface {
  std::string name;                  // lower case
  std::vector<std::string> ports;    // lower case, in order
  std::vector<std::string> elements; // lower-case names of the body's own elements
};

struct CellsLibrary {
  std::string path;
  std::string text;               // the file verbatim (inlined into the netlist)
  SubcircuitInterface hiddenCell; // .subckt hidden_cell col outp outn vdd vss rden …
  SubcircuitInterface outputCell; // .subckt output_cell col vdd vss rdout …
};

// Reads cells.inc and checks what the generated netlist relies on: both
// subcircuits exist with the spec's port counts, output_cell has the 0-V
// ammeter `vout` the readout names, and the file can be inlined (no .end,
// no .include/.lib with relative paths, no syn1/syn2 cards, which the
// generator writes). Throws UserError with file:line:col otherwise.
CellsLibrary readCellsLibrary(const std::filesystem::path &file);

} // namespace dwspice::mnist
