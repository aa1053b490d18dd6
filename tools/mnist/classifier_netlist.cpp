#include "classifier_netlist.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>

#include "core/diagnostics.hpp"

namespace dwspice::mnist {

namespace {

// Buffered writer: the full netlist is ~200k lines, so lines are formatted
// into one growing buffer and written out in large blocks.
class NetlistStream {
public:
  explicit NetlistStream(std::FILE *out) : out_(out) {}

  template <typename... Args> void line(fmt::format_string<Args...> format, Args &&...args) {
    fmt::format_to(std::back_inserter(buffer_), format, std::forward<Args>(args)...);
    buffer_.push_back('\n');
    ++lines_;
    if (buffer_.size() > kFlushBytes) {
      flush();
    }
  }
  void text(std::string_view block) {
    buffer_.append(block);
    lines_ += static_cast<long>(std::count(block.begin(), block.end(), '\n'));
  }
  fmt::memory_buffer &buffer() { return buffer_; }
  void endLine() {
    buffer_.push_back('\n');
    ++lines_;
    if (buffer_.size() > kFlushBytes) {
      flush();
    }
  }
  void flush() {
    if (buffer_.size() != 0 && std::fwrite(buffer_.data(), 1, buffer_.size(), out_) != buffer_.size()) {
      throw UserError("cannot write the netlist (disk full or output closed?)");
    }
    buffer_.clear();
  }
  [[nodiscard]] long lines() const { return lines_; }

private:
  static constexpr std::size_t kFlushBytes = 1 << 20;
  std::FILE *out_;
  fmt::memory_buffer buffer_;
  long lines_ = 0;
};

// One crossbar's nets. With ideal wires every row and every column is a
// single node. With --rwire, row r has one tap per column (`<row>_<c>`),
// chained from its driver by rwire; column c has one tap per physical row
// (`<col>_<r>`), chained by rwire from the top (r = 0, the far end) down to
// the column's sense node at the bottom (the cell's `col` port). --cwire puts
// C to ground at every tap; with cwire but no rwire the taps coincide and the
// wire capacitance is lumped on the single node.
class CrossbarNets {
public:
  CrossbarNets(int layer, std::vector<std::string> rowNodes, std::vector<std::string> columnNodes,
               const GeneratorOptions &options)
      : layer_(layer), rows_(std::move(rowNodes)), columns_(std::move(columnNodes)), rwire_(options.rwire),
        cwire_(options.cwire) {}

  void appendRowTap(fmt::memory_buffer &out, std::size_t row, std::size_t column) const {
    if (rwire_ > 0.0) {
      fmt::format_to(std::back_inserter(out), "{}_{}", rows_[row], column);
    } else {
      out.append(std::string_view(rows_[row]));
    }
  }
  void appendColumnTap(fmt::memory_buffer &out, std::size_t row, std::size_t column) const {
    if (rwire_ > 0.0) {
      fmt::format_to(std::back_inserter(out), "{}_{}", columns_[column], row);
    } else {
      out.append(std::string_view(columns_[column]));
    }
  }

  // Writes the wire resistors and capacitors; returns how many elements.
  long write(NetlistStream &out) const {
    long elements = 0;
    const std::size_t rowCount = rows_.size();
    const std::size_t columnCount = columns_.size();
    if (rwire_ > 0.0) {
      for (std::size_t r = 0; r < rowCount; ++r) {
        for (std::size_t c = 0; c < columnCount; ++c) {
          const std::string from = c == 0 ? rows_[r] : fmt::format("{}_{}", rows_[r], c - 1);
          out.line("rw{}_{}_{} {} {}_{} {:.6g}", layer_, r, c, from, rows_[r], c, rwire_);
          ++elements;
          if (cwire_ > 0.0) {
            out.line("cw{}_{}_{} {}_{} 0 {:.6g}", layer_, r, c, rows_[r], c, cwire_);
            ++elements;
          }
        }
      }
      for (std::size_t c = 0; c < columnCount; ++c) {
        for (std::size_t r = 0; r < rowCount; ++r) {
          const std::string to = r + 1 == rowCount ? columns_[c] : fmt::format("{}_{}", columns_[c], r + 1);
          out.line("rk{}_{}_{} {}_{} {} {:.6g}", layer_, c, r, columns_[c], r, to, rwire_);
          ++elements;
          if (cwire_ > 0.0) {
            out.line("ck{}_{}_{} {}_{} 0 {:.6g}", layer_, c, r, columns_[c], r, cwire_);
            ++elements;
          }
        }
      }
    } else if (cwire_ > 0.0) {
      for (std::size_t r = 0; r < rowCount; ++r) {
        out.line("cw{}_{} {} 0 {:.6g}", layer_, r, rows_[r], cwire_ * static_cast<double>(columnCount));
        ++elements;
      }
      for (std::size_t c = 0; c < columnCount; ++c) {
        out.line("ck{}_{} {} 0 {:.6g}", layer_, c, columns_[c], cwire_ * static_cast<double>(rowCount));
        ++elements;
      }
    }
    return elements;
  }

  // Physical row of a weight row's G+ (sign 0) or G- (sign 1) device.
  static std::size_t physicalRow(int weightRow, int sign) {
    return 2 * static_cast<std::size_t>(weightRow) + static_cast<std::size_t>(sign);
  }

private:
  int layer_;
  std::vector<std::string> rows_;
  std::vector<std::string> columns_;
  double rwire_;
  double cwire_;
};

// Writes one synapse pair per weight: G+ on the row driven with +x, G- on the
// complementary row driven with -x, both into the same column, heavy-metal
// terminals grounded (no write current ever flows during inference).
long writeSynapses(NetlistStream &out, const CrossbarNets &nets, const WeightLayer &layer, int layerIndex,
                   std::string_view model) {
  long count = 0;
  auto &buffer = out.buffer();
  for (int row = 0; row < layer.rows; ++row) {
    for (int col = 0; col < layer.cols; ++col) {
      for (int sign = 0; sign < 2; ++sign) {
        fmt::format_to(std::back_inserter(buffer), "n{}{}_{}_{} 0 0 ", layerIndex, sign == 0 ? 'p' : 'n', row,
                       col);
        nets.appendRowTap(buffer, CrossbarNets::physicalRow(row, sign), static_cast<std::size_t>(col));
        buffer.push_back(' ');
        nets.appendColumnTap(buffer, CrossbarNets::physicalRow(row, sign), static_cast<std::size_t>(col));
        fmt::format_to(std::back_inserter(buffer), " {} state={}", model,
                       sign == 0 ? layer.plus(row, col) : layer.minus(row, col));
        out.endLine();
        ++count;
      }
    }
  }
  return count;
}

// `PULSE(0 <level> <delay> <rise> <fall> <width>)`: the period defaults to
// tstop, so every window is a single rectangular pulse. The level is reached
// at delay + rise and held for `width`.
std::string pulse(double level, double delay, double edge, double width) {
  return fmt::format("pulse(0 {:.9g} {:.9g} {:.9g} {:.9g} {:.9g})", level, delay, edge, edge, width);
}

std::string synapseModelCard(std::string_view name, int notches, double ra, const DesignConfig &design,
                             SynapseMode mode) {
  if (mode == SynapseMode::Read) {
    return fmt::format(".model {} dwsynapse(nnotch={} ra={:.9g} read=1 vrd={:.9g})", name, notches, ra,
                       design["vrd"]);
  }
  return fmt::format(".model {} dwsynapse(nnotch={} ra={:.9g})", name, notches, ra);
}

void writeHeader(NetlistStream &out, const CrossbarWeights &w, const DesignConfig &d,
                 const GeneratorOptions &o) {
  const bool read = o.synapseMode == SynapseMode::Read;
  out.line("* ============================================================================");
  out.line("* {}-{}-{} spintronic crossbar classifier for {} ({} notches per synapse)", w.inputs, w.hidden,
           w.outputs, w.dataset == "mnist" ? "MNIST" : "Fashion-MNIST", w.notches);
  out.line("* generated by dwgen (tools/mnist); scheme and options: docs/mnist.md");
  out.line("*   weights: {}", o.weightsPath);
  out.line("*   design:  {}", o.designPath);
  out.line("*   cells:   {} (inlined below)", o.cellsPath);
  if (!o.commandLine.empty()) {
    out.line("*   command: {}", o.commandLine);
  }
  out.line("*");
  out.line("* Scheme");
  out.line("*   pixel i (x = p/255) drives two rows: xp<i> = +vread*x and xn<i> = -vread*x.");
  out.line("*   The sources are written with amplitude +-vread; '.bind pixel i' scales the");
  out.line("*   whole waveform by x for each image. Row pair {} is the bias input (x = 1).", w.inputs);
  out.line("*   A weight is a pair of dwsynapse devices in one column: G+ on xp<i>, G- on");
  out.line("*   xn<i>; the column is a virtual ground, so I_col = vread * sum x_i (G+ - G-).");
  out.line("*   Synapses: {}.", read ? "read mode (wall frozen at its notch, linear G at vrd)"
                                     : "DYNAMIC mode (full wall dynamics; read-disturb check only)");
  out.line("*   Layer-1 column h<j> ends in hidden_cell xh<j> (0-V sense + current conveyor");
  out.line("*   k1 into the neuron HM, detector MTJ, transistor-level driver) whose outputs");
  out.line("*   hp<j>/hn<j> are the rows of layer 2; b2p/b2n = +-vbias2 is its bias pair.");
  out.line("*   Layer-2 column o<k> ends in output_cell xo<k>; the readout is i(v.xo<k>.vout).");
  out.line("*   Prediction = argmax over the {} output cells at t_classify.", w.outputs);
  out.line("*");
  out.line("* Timing (s)");
  out.line("*   layer-1 write  [{:.4g}, {:.4g}]  rows driven, hidden neuron walls move", d["t_in"],
           d["t_in"] + d["t_write"]);
  out.line("*   layer-2 write  [{:.4g}, {:.4g}]  rden high, hidden drivers on, output walls move", d["t_l2"],
           d["t_l2"] + d["t_write"]);
  out.line("*   output read    [{:.4g}, {:.4g}]  rdout high, classify at {:.4g}", d["t_read"],
           d["t_read"] + d["t_readw"], d["t_classify"]);
  out.line("*   reset          [{:.4g}, {:.4g}]  walls pushed home", d["t_reset"],
           d["t_reset"] + d["t_resetw"]);
  out.line("*   tstop          {:.4g}", d["tstop"]);
  out.line("*");
  out.line("* Wires: {}",
           o.rwire > 0.0 || o.cwire > 0.0
               ? fmt::format("rwire = {:.4g} ohm and cwire = {:.4g} F per crossbar segment", o.rwire, o.cwire)
               : std::string("ideal (every row and column is one node)"));
  out.line("* Run:   dwspice -b <this file> --report <r.json>{}",
           o.imagesHint > 0 ? fmt::format(" --images {}", o.imagesHint) : std::string());
  out.line("* ============================================================================");
}

// `.save` cards (a few hundred names each) for every synapse's #q and the
// readout currents.
void writeStateSaves(NetlistStream &out, const CrossbarWeights &w) {
  out.line("* --- saved vectors: readout currents and every synapse's wall position (nm) ---");
  auto &buffer = out.buffer();
  buffer.append(std::string_view(".save"));
  for (int k = 0; k < w.outputs; ++k) {
    fmt::format_to(std::back_inserter(buffer), " i(v.xo{}.vout)", k);
  }
  out.endLine();
  const auto saveLayer = [&](const WeightLayer &layer, int index) {
    int onLine = 0;
    for (int row = 0; row < layer.rows; ++row) {
      for (int col = 0; col < layer.cols; ++col) {
        for (const char sign : {'p', 'n'}) {
          if (onLine == 0) {
            buffer.append(std::string_view(".save"));
          }
          fmt::format_to(std::back_inserter(buffer), " n{}{}_{}_{}#q", index, sign, row, col);
          if (++onLine == 200) {
            out.endLine();
            onLine = 0;
          }
        }
      }
    }
    if (onLine != 0) {
      out.endLine();
    }
  };
  saveLayer(w.layer1, 1);
  saveLayer(w.layer2, 2);
}

void writeCrossbarSaves(NetlistStream &out, const CrossbarWeights &w) {
  out.line("* --- saved vectors: column sense currents and layer-2 rows (check_crossbar) ---");
  auto &buffer = out.buffer();
  for (int j = 0; j < w.hidden; ++j) {
    fmt::format_to(std::back_inserter(buffer), ".save i(v.xh{}.vsns) v(hp{}) v(hn{})", j, j, j);
    out.endLine();
  }
  for (int k = 0; k < w.outputs; ++k) {
    fmt::format_to(std::back_inserter(buffer), ".save i(v.xo{}.vsns) i(v.xo{}.vout)", k, k);
    out.endLine();
  }
}

} // namespace

NetlistSummary writeClassifierNetlist(std::FILE *file, const CrossbarWeights &w, const DesignConfig &d,
                                      const CellsLibrary &cells, const GeneratorOptions &o) {
  NetlistStream out(file);
  NetlistSummary summary;
  // The first line of a SPICE netlist is its title.
  out.line("{}-{}-{} spintronic crossbar classifier ({}, {} notches)", w.inputs, w.hidden, w.outputs,
           w.dataset, w.notches);
  writeHeader(out, w, d, o);

  out.line("");
  out.line("* --- design constants (design.conf after command-line overrides; the cells use them) ---");
  for (const auto &[key, value] : d.entries()) {
    out.line(".param {}={:.12g}", key, value);
  }
  out.line(".param nnotch={}", w.notches);
  out.line("");
  out.line(".dataset {} test", w.dataset);
  out.line("");
  out.line("* --- synapse models (depend on the notch count, so written here, not in cells.inc) ---");
  out.line("{}", synapseModelCard("syn1", w.notches, d["ra_l1"], d, o.synapseMode));
  out.line("{}", synapseModelCard("syn2", w.notches, d["ra_l2"], d, o.synapseMode));
  out.line("");
  out.line("* --- cells: {} (verbatim) ---", cells.path);
  out.text(cells.text);
  out.line("* --- end of cells ---");
  out.line("");

  const double rise = d["t_rise"];
  out.line("* --- supplies and clocks ---");
  out.line("vsupp vdd 0 dc {:.9g}", d["vdd"]);
  out.line("vsupn vss 0 dc {:.9g}", d["vss"]);
  out.line("* rden: hidden drivers enabled during the layer-2 window");
  out.line("vrden rden 0 {}", pulse(d["vdd"], d["t_l2"], rise, d["t_write"]));
  out.line("* rdout: output cells' detector read window");
  out.line("vrdout rdout 0 {}", pulse(d["vdd"], d["t_read"], rise, d["t_readw"]));
  out.line("");

  out.line("* --- layer-1 inputs: complementary rows, amplitude +-vread, scaled per image ---");
  const std::string rowOn = pulse(d["vread"], d["t_in"], rise, d["t_write"]);
  const std::string rowOnNegative = pulse(-d["vread"], d["t_in"], rise, d["t_write"]);
  for (int i = 0; i <= w.inputs; ++i) {
    out.line("vxp{} xp{} 0 {}", i, i, rowOn);
    out.line("vxn{} xn{} 0 {}", i, i, rowOnNegative);
  }
  for (int i = 0; i < w.inputs; ++i) {
    out.line(".bind pixel {} vxp{} vxn{}", i, i, i);
  }
  out.line("* row pair {} is the layer-1 bias (x = 1, not bound)", w.inputs);
  out.line("");

  std::vector<std::string> rows1;
  rows1.reserve(2 * static_cast<std::size_t>(w.inputs + 1));
  for (int i = 0; i <= w.inputs; ++i) {
    rows1.push_back(fmt::format("xp{}", i));
    rows1.push_back(fmt::format("xn{}", i));
  }
  std::vector<std::string> columns1;
  columns1.reserve(static_cast<size_t>(w.hidden));
  for (int j = 0; j < w.hidden; ++j) {
    columns1.push_back(fmt::format("h{}", j));
  }
  const CrossbarNets layer1(1, rows1, columns1, o);
  out.line("* --- layer-1 crossbar: n1p_<i>_<j> (G+) and n1n_<i>_<j> (G-), hm+ = hm- = 0 ---");
  summary.synapses += writeSynapses(out, layer1, w.layer1, 1, "syn1");
  summary.wireElements += layer1.write(out);
  out.line("");

  out.line("* --- hidden cells: column h<j> -> outputs hp<j> (>= 0), hn<j> (<= 0) ---");
  for (int j = 0; j < w.hidden; ++j) {
    out.line("xh{} h{} hp{} hn{} vdd vss rden hidden_cell", j, j, j, j);
  }
  out.line("");

  out.line("* --- layer-2 bias pair (+-vbias2 during the layer-2 window) ---");
  out.line("vb2p b2p 0 {}", pulse(d["vbias2"], d["t_l2"], rise, d["t_write"]));
  out.line("vb2n b2n 0 {}", pulse(-d["vbias2"], d["t_l2"], rise, d["t_write"]));
  std::vector<std::string> rows2;
  for (int j = 0; j < w.hidden; ++j) {
    rows2.push_back(fmt::format("hp{}", j));
    rows2.push_back(fmt::format("hn{}", j));
  }
  rows2.emplace_back("b2p");
  rows2.emplace_back("b2n");
  std::vector<std::string> columns2;
  columns2.reserve(static_cast<size_t>(w.outputs));
  for (int k = 0; k < w.outputs; ++k) {
    columns2.push_back(fmt::format("o{}", k));
  }
  const CrossbarNets layer2(2, rows2, columns2, o);
  out.line("* --- layer-2 crossbar: n2p_<j>_<k> (G+ on hp<j>) and n2n_<j>_<k> (G- on hn<j>) ---");
  summary.synapses += writeSynapses(out, layer2, w.layer2, 2, "syn2");
  summary.wireElements += layer2.write(out);
  out.line("");

  out.line("* --- output cells ---");
  for (int k = 0; k < w.outputs; ++k) {
    out.line("xo{} o{} vdd vss rdout output_cell", k, k);
  }
  out.line("");

  const double tstop = d["tstop"];
  const double tmax = d["tmax"];
  out.line("* tstep = tstop/50: the output grid only; the batch run reads the readout at t_classify");
  if (tmax > 0.0) {
    out.line(".tran {:.9g} {:.9g} 0 {:.9g}", tstop / 50.0, tstop, tmax);
  } else {
    out.line(".tran {:.9g} {:.9g}", tstop / 50.0, tstop);
  }
  {
    auto &buffer = out.buffer();
    buffer.append(std::string_view(".readout argmax"));
    for (int k = 0; k < w.outputs; ++k) {
      fmt::format_to(std::back_inserter(buffer), " i(v.xo{}.vout)", k);
    }
    fmt::format_to(std::back_inserter(buffer), " at={:.9g}", d["t_classify"]);
    out.endLine();
  }
  if (o.saveSynapseStates) {
    writeStateSaves(out, w);
  }
  if (o.saveCrossbarCurrents) {
    writeCrossbarSaves(out, w);
  }
  out.line(".end");
  out.flush();
  summary.lines = out.lines();
  return summary;
}

} // namespace dwspice::mnist
