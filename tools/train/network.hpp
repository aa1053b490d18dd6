// The behavioural model of the crossbar classifier (shared MNIST spec), in
// the trainer's units (µS, µA, V), with its gradient.
//
//   I1 = vread · X̃ · (G1+ − G1−)                 X̃ = [pixels/255, 1] (bias row)
//   (outp, outn) = hidden tables(I1)               measured, piecewise linear
//   I2 = outp · G2+ + outn · G2− + vbias2 · (G2+ − G2−)[bias row]
//   y  = output table(I2);  prediction = argmax y (ties → lowest index)
//
// Trainable parameters are latent weights U ∈ [−1, 1] per layer. A weight's
// conductance pair is either continuous (G+ = G0 + ΔG·max(U,0),
// G− = G0 + ΔG·max(−U,0): the "FP32" stage, one device at its lowest state
// like the quantiser prefers) or the quantised notch pair nearest to ΔG·U.
// Gradients flow to U through the continuous map in both cases (the
// straight-through estimator when quantised), so fine-tuning keeps the
// quantisation in the forward pass.
#pragma once

#include "cell_tables.hpp"
#include "quantizer.hpp"
#include "weights_file.hpp"

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

namespace dwspice::train {

using Matrix = Eigen::MatrixXd;

struct Parameters {
  Matrix u1; // (inputs + 1) x hidden
  Matrix u2; // (hidden + 1) x outputs
};

struct Conductances { // µS
  Matrix plus1, minus1, plus2, minus2;
};

enum class WeightMode { Continuous, Quantized };

// The loss head: softmax cross-entropy on logits
//   z = scale · (ŷ + leak · ŝ · Î2),
// ŷ = the output table value normalised to [0, 1] (what argmax sees), Î2 =
// I2 normalised over the table's rising range and ŝ the table's direction.
// The small leak keeps a gradient where the table is flat (a class below the
// neuron's threshold), while ŷ makes the loss reward separation *in the
// readout* rather than in I2, so the trained argmax is the circuit's.
struct LossHead {
  double scale = 12.0;
  double leak = 0.05;
};

class Network {
public:
  Network(CellTables tables, DesignConstants constants, int inputs, int hidden, int outputs,
          LossHead head = {});

  [[nodiscard]] int inputs() const { return inputs_; }
  [[nodiscard]] int hidden() const { return hidden_; }
  [[nodiscard]] int outputs() const { return outputs_; }
  [[nodiscard]] const CellTables &tables() const { return tables_; }
  [[nodiscard]] const DesignConstants &constants() const { return constants_; }
  [[nodiscard]] const PairQuantizer &quantizer1() const { return quantizer1_; }
  [[nodiscard]] const PairQuantizer &quantizer2() const { return quantizer2_; }

  [[nodiscard]] Conductances conductances(const Parameters &parameters, WeightMode mode) const;
  [[nodiscard]] Conductances conductances(const StatePairs &layer1, const StatePairs &layer2) const;
  [[nodiscard]] StatePairs quantize1(const Matrix &u1) const;
  [[nodiscard]] StatePairs quantize2(const Matrix &u2) const;

  // y (µA) for a batch X (rows = images, inputs + 1 columns, bias column 1).
  [[nodiscard]] Matrix readout(const Matrix &x, const Conductances &g) const;
  // I1 (µA) of the hidden columns, for initialisation and diagnostics.
  [[nodiscard]] Matrix hiddenCurrents(const Matrix &x, const Conductances &g) const;
  [[nodiscard]] Matrix outputCurrents(const Matrix &x, const Conductances &g) const;

  // Mean cross-entropy over the batch; `gradient` receives dLoss/dU (same
  // shapes as `parameters`).
  double lossAndGradient(const Matrix &x, const std::vector<std::uint8_t> &labels,
                         const Parameters &parameters, WeightMode mode, Parameters &gradient) const;

private:
  void hiddenOutputs(const Matrix &i1, Matrix &outp, Matrix &outn) const;
  [[nodiscard]] Matrix currents2(const Matrix &outp, const Matrix &outn, const Conductances &g) const;
  [[nodiscard]] Matrix logits(const Matrix &i2) const;

  CellTables tables_;
  DesignConstants constants_;
  int inputs_, hidden_, outputs_;
  LossHead head_;
  PairQuantizer quantizer1_, quantizer2_;
  double outputLow_ = 0, outputHigh_ = 1; // rising range of the output table (µA)
  double outputDirection_ = 1;            // +1 rising, −1 falling table
};

// Index of the largest value in each row; ties → the lowest index.
std::vector<int> argmaxRows(const Matrix &values);

} // namespace dwspice::train
