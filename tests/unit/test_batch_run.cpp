// Batch runs: the waveform scale of bound sources, energy accounting, the
// readout at its breakpoint, and results that depend neither on what a
// circuit ran before nor on the number of threads.
#include "batch/batch_run.hpp"
#include "batch/image_observer.hpp"
#include "elaborate/load_netlist.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>

#include <cmath>
#include <stdexcept>

using namespace dwspice;
using namespace dwspice::batch;

namespace {

CircuitSpec loadText(const std::string &text) {
  return loadNetlistText(text, "batch.cir");
}

// Excitation vector b of the circuit at `time` (transient mode).
std::vector<double> excitationAt(Circuit &circuit, double time) {
  std::vector<double> x(static_cast<size_t>(circuit.size()) + 1, 0.0);
  LoadContext ctx;
  ctx.x = x;
  ctx.time = time;
  ctx.mode = AnalysisMode::Transient;
  ctx.options = &circuit.options();
  return circuit.evaluate(ctx).b;
}

// Synthetic 28x28 images: image k has pixel p = (37*k + 11*p) mod 256, label k mod 10.
dataset::LabelledImages syntheticImages(int count) {
  dataset::LabelledImages data;
  data.name = "mnist";
  data.split = "test";
  data.images.count = count;
  data.images.rows = 28;
  data.images.cols = 28;
  for (int k = 0; k < count; ++k) {
    for (int p = 0; p < 28 * 28; ++p) {
      data.images.pixels.push_back(static_cast<std::uint8_t>((37 * k + 11 * p) % 256));
    }
    data.labels.push_back(static_cast<std::uint8_t>(k % 10));
  }
  return data;
}

std::span<const std::uint8_t> imageOf(const dataset::LabelledImages &data, int k) {
  return {data.images.image(k), static_cast<size_t>(data.images.pixelsPerImage())};
}

// Resistive: pixel sources (V and I) into three sense sources. Closed-form
// currents and power.
constexpr const char *kResistive = "resistive\n"
                                   ".dataset mnist\n"
                                   "vp0 a0 0 dc 1\n"
                                   "vp1 a1 0 dc 2\n"
                                   "ip2 0 a2 dc 1m\n"
                                   "rl2 a2 0 1k\n"
                                   ".bind pixel 1 vp0\n"
                                   ".bind pixel 2 vp1\n"
                                   ".bind pixel 3 ip2\n"
                                   "r00 a0 s0 1k\n"
                                   "r11 a1 s1 2k\n"
                                   "r22 a2 s2 500\n"
                                   "vs0 s0 0 0\nvs1 s1 0 0\nvs2 s2 0 0\n"
                                   ".tran 0.3n 2n\n"
                                   ".readout argmax i(vs0) i(vs1) i(vs2) at=1.05n\n";

// Nonlinear with history: a bound current pulse pushes a DW neuron's wall,
// an NMOS reads the detector; a diode clamps a bound voltage.
constexpr const char *kNonlinear = "nonlinear\n"
                                   ".dataset mnist\n"
                                   ".model neuron dwneuron()\n"
                                   ".model nm nmos(level=1 vto=0.5 kp=1e-4 cgso=1e-11 cgdo=1e-11)\n"
                                   ".model dd d(is=1e-14 cjo=1p)\n"
                                   "iw 0 hp pulse(0 -2e-5 0.1n 100p 100p 2n 10n)\n"
                                   "n0 hp 0 rp 0 neuron\n"
                                   "vr rd 0 dc 0.1\n"
                                   "rr rd rp 100\n"
                                   "vdd vdd 0 1.8\n"
                                   "vin g 0 pulse(0 2 0.2n 0.1n 0.1n 1n 10n)\n"
                                   "m1 out g 0 0 nm w=10u l=1u\n"
                                   "rd1 vdd out 10k\n"
                                   "d1 g c dd\n"
                                   "rc c 0 1k\n"
                                   "vs0 rp x0 0\nrx0 x0 0 1\n"
                                   ".bind pixel 100 iw\n"
                                   ".bind pixel 200 vin\n"
                                   ".tran 0.1n 3n\n"
                                   ".readout argmax i(vs0) v(out) v(c) at=2.5n\n";

void checkSameOutcome(const ImageOutcome &a, const ImageOutcome &b) {
  CHECK(a.image == b.image);
  CHECK(a.predicted == b.predicted);
  REQUIRE(a.readout.size() == b.readout.size());
  for (size_t k = 0; k < a.readout.size(); ++k) {
    CHECK(a.readout[k] == b.readout[k]); // bit-identical, not approximately equal
  }
  CHECK(a.energy == b.energy);
  CHECK(a.steps == b.steps);
  CHECK(a.points == b.points);
}

} // namespace

TEST_CASE("batch: the scale multiplies the DC value and every waveform of V and I sources") {
  const std::vector<std::string> functions{"dc 0.7", "pulse(0.1 1 0.2n 0.1n 0.1n 0.5n 2n)",
                                           "sin(0.2 1 1g 0.1n 1e8 30)", "exp(0.1 1 0.2n 0.3n 1n 0.4n)",
                                           "pwl(0 0.3 0.5n 1 1n -0.5 2n 0.25)"};
  for (const std::string &function : functions) {
    for (const char letter : {'v', 'i'}) {
      CAPTURE(function);
      CAPTURE(letter);
      const CircuitSpec spec =
          loadText(fmt::format("t\n{}1 n 0 {}\nr1 n 0 1k\n.tran 0.1n 3n\n", letter, function));
      Circuit circuit(spec);
      auto *source = dynamic_cast<ScalableSource *>(circuit.findDevice(fmt::format("{}1", letter)));
      REQUIRE(source != nullptr);
      CHECK(source->waveformScale() == 1.0);
      for (const double time : {0.0, 0.15e-9, 0.25e-9, 0.45e-9, 0.75e-9, 1.3e-9, 2.5e-9}) {
        const std::vector<double> unscaled = excitationAt(circuit, time);
        source->setWaveformScale(0.37);
        const std::vector<double> scaled = excitationAt(circuit, time);
        source->setWaveformScale(0.0);
        const std::vector<double> zero = excitationAt(circuit, time);
        source->setWaveformScale(1.0);
        bool anyNonZero = false;
        for (size_t k = 1; k < unscaled.size(); ++k) {
          CHECK(scaled[k] == doctest::Approx(0.37 * unscaled[k]).epsilon(1e-15));
          CHECK(zero[k] == 0.0);
          anyNonZero = anyNonZero || unscaled[k] != 0.0;
        }
        CHECK(anyNonZero);
      }
      // .dc sweeps keep seeing the card's value.
      auto *sweepable = dynamic_cast<SweepableSource *>(source);
      source->setWaveformScale(0.5);
      if (function == "dc 0.7") {
        CHECK(sweepable->dcValue() == doctest::Approx(0.7));
      }
    }
  }
}

TEST_CASE("batch: a current source's power is that of its waveform at the point's time") {
  const CircuitSpec spec = loadText("t\ni1 0 n pwl(0 0 1n 2m)\nr1 n 0 1k\n.tran 0.1n 1n\n");
  Circuit circuit(spec);
  const Device *source = circuit.findDevice("i1");
  std::vector<double> x(static_cast<size_t>(circuit.size()) + 1, 0.0);
  x[static_cast<size_t>(*circuit.findNode("n"))] = 0.5; // V
  // 0.5 V at the + side of the load; at t = 0.25 ns the source drives 0.5 mA.
  CHECK(source->deliveredPowerAt(x, 0.25e-9) == doctest::Approx(0.5 * 0.5e-3));
  CHECK(source->deliveredPowerAt(x, 1e-9) == doctest::Approx(0.5 * 2e-3));
}

TEST_CASE("batch: readout at the breakpoint, energy in closed form") {
  const CircuitSpec spec = loadText(kResistive);
  Circuit circuit(spec);
  ImageRunner runner(spec, circuit);
  const dataset::LabelledImages data = syntheticImages(3);
  for (int k = 0; k < 3; ++k) {
    CAPTURE(k);
    const std::span<const std::uint8_t> pixels = imageOf(data, k);
    const double x1 = pixels[1] / 255.0, x2 = pixels[2] / 255.0, x3 = pixels[3] / 255.0;
    const ImageOutcome outcome = runner.run(k, data.labels[static_cast<size_t>(k)], pixels);
    REQUIRE(outcome.readout.size() == 3);
    // i(vs) is positive for current flowing into the sense source's + node.
    const std::vector<double> expected{x1 * 1.0 / 1e3, x2 * 2.0 / 2e3, x3 * 1e-3 * 1e3 / 1.5e3};
    for (size_t j = 0; j < 3; ++j) {
      CHECK(outcome.readout[j] == doctest::Approx(expected[j]).epsilon(1e-9));
    }
    CHECK(outcome.predicted == argmax(expected));
    // Power: V²/R for the voltage sources, I²·(1k || 500) for the current source.
    const double power = x1 * x1 / 1e3 + 4 * x2 * x2 / 2e3 + std::pow(x3 * 1e-3, 2) * (1e3 * 500 / 1.5e3);
    CHECK(outcome.energy == doctest::Approx(power * 2e-9).epsilon(1e-9));
    CHECK(outcome.steps > 0);
    CHECK(outcome.points >= outcome.steps);
  }
}

TEST_CASE("batch: the readout time is hit exactly, not interpolated") {
  // A sine sampled every ~60 ps: linear interpolation between the points
  // around the readout time would be off by ~1e-2; the breakpoint makes the
  // readout a solved point, exact up to Newton's tolerance (IDA accepts an
  // iterate within a fraction of reltol = 1e-3; here about 3e-5 relative).
  const CircuitSpec spec = loadText("t\n.dataset mnist\nv1 a 0 sin(0 1 1g)\nr1 a s 1k\nvs s 0 0\n"
                                    ".tran 0.7n 3n\n.readout argmax i(vs) v(a) at=1.93n\n");
  Circuit circuit(spec);
  ImageRunner runner(spec, circuit);
  const std::vector<std::uint8_t> pixels(784, 0);
  const ImageOutcome outcome = runner.run(0, 0, pixels);
  const double exact = std::sin(2 * M_PI * 1e9 * 1.93e-9);
  CHECK(outcome.readout.at(1) == doctest::Approx(exact).epsilon(2e-4));
  CHECK(outcome.readout.at(0) == doctest::Approx(exact / 1e3).epsilon(2e-4));
  CHECK(outcome.predicted == 0); // -0.42 V, -0.42 mA
}

TEST_CASE("batch: argmax takes the lowest index among equal maxima") {
  CHECK(argmax(std::vector<double>{1, 3, 3, 2}) == 1);
  CHECK(argmax(std::vector<double>{-1}) == 0);
  CHECK(argmax(std::vector<double>{}) == -1);
  CHECK(stepsInSummary("transient: x; 245 steps, 444 points") == 245);
  CHECK(stepsInSummary("operating point") == 0);
}

TEST_CASE("batch: a circuit reused for another image gives bit-identical results") {
  const CircuitSpec spec = loadText(kNonlinear);
  const dataset::LabelledImages data = syntheticImages(3);
  Circuit reused(spec);
  ImageRunner runner(spec, reused);
  const ImageOutcome first = runner.run(0, 0, imageOf(data, 0));
  const ImageOutcome other = runner.run(1, 1, imageOf(data, 1));
  const ImageOutcome again = runner.run(0, 0, imageOf(data, 0));
  Circuit fresh(spec);
  ImageRunner freshRunner(spec, fresh);
  const ImageOutcome fromFresh = freshRunner.run(0, 0, imageOf(data, 0));
  checkSameOutcome(first, again);
  checkSameOutcome(first, fromFresh);
  // The images really differ (otherwise the check above proves nothing).
  CHECK(other.readout != first.readout);
}

TEST_CASE("batch: outcomes do not depend on the number of threads") {
  const CircuitSpec spec = loadText(kNonlinear);
  const dataset::LabelledImages data = syntheticImages(12);
  BatchSettings one;
  one.threads = 1;
  BatchSettings two;
  two.threads = 2;
  int progressCalls = 0;
  two.progress = [&progressCalls](const BatchProgress &progress) {
    ++progressCalls;
    CHECK(progress.total == 12);
  };
  const BatchResult a = runBatch(spec, data, one);
  const BatchResult b = runBatch(spec, data, two);
  CHECK(a.threads == 1);
  CHECK(b.threads == 2);
  CHECK(progressCalls >= 1);
  REQUIRE(a.outcomes.size() == 12);
  REQUIRE(b.outcomes.size() == 12);
  for (size_t k = 0; k < 12; ++k) {
    CAPTURE(k);
    CHECK(a.outcomes[k].image == static_cast<int>(k));
    checkSameOutcome(a.outcomes[k], b.outcomes[k]);
  }
  CHECK(a.correct == b.correct);
  CHECK(a.confusion == b.confusion);
  int total = 0;
  for (const auto &row : a.confusion) {
    for (const int n : row) {
      total += n;
    }
  }
  CHECK(total == 12);
  CHECK(a.synapseMode == "none");
  CHECK(a.readoutTime == doctest::Approx(2.5e-9));
  CHECK(a.stopTime == doctest::Approx(3e-9));
}

namespace {
// Stands in for a raw file that cannot be written.
class FailingObserver final : public SolutionObserver {
public:
  void beginPlot(const Circuit &, const PlotInfo &) override { throw UserError("disk full"); }
  void addPoint(double, std::span<const double>) override {}
  void endPlot() override {}
};
} // namespace

TEST_CASE("batch: a failing image is reported by its index, and bad requests are errors") {
  const CircuitSpec spec = loadText(kResistive);
  const dataset::LabelledImages data = syntheticImages(6);
  FailingObserver failing;
  BatchSettings settings;
  settings.threads = 2;
  settings.saveImage = 4;
  settings.saveObserver = &failing;
  try {
    (void)runBatch(spec, data, settings);
    FAIL("no error");
  } catch (const UserError &e) {
    CHECK(e.message() == "image 4: disk full");
  }
  settings = {};
  settings.images = 7;
  CHECK_THROWS_AS((void)runBatch(spec, data, settings), UserError);
  settings.images = 2;
  settings.saveImage = 2;
  CHECK_THROWS_AS((void)runBatch(spec, data, settings), UserError);
  const CircuitSpec noReadout = loadText("t\n.dataset mnist\nv1 a 0 1\nr1 a 0 1\n.tran 1n 2n\n");
  CHECK_THROWS_AS((void)runBatch(noReadout, data, BatchSettings{}), UserError);
}

TEST_CASE("batch: readout vectors the circuit does not have are errors at the directive") {
  // i(r1) names an element, but a resistor has no branch current.
  const CircuitSpec spec = loadText("t\n.dataset mnist\nv1 a 0 1\nr1 a 0 1\n.tran 1n 2n\n"
                                    ".readout argmax i(r1) at=1n\n");
  Circuit circuit(spec);
  try {
    ImageRunner runner(spec, circuit);
    FAIL("no error");
  } catch (const UserError &e) {
    CHECK(e.location().line == 6);
    CHECK(e.location().column == 17);
  }
}

TEST_CASE("batch: synapse mode from the dwsynapse instances") {
  const std::string base = "t\n.model syn dwsynapse(nnotch=5)\n.model synr dwsynapse(nnotch=5 read=1)\n"
                           "v1 a 0 0.1\n";
  CHECK(synapseMode(loadText(base + "r1 a 0 1\n")) == "none");
  CHECK(synapseMode(loadText(base + "n1 0 0 a 0 synr\n")) == "read");
  CHECK(synapseMode(loadText(base + "n1 0 0 a 0 syn\n")) == "dynamic");
  CHECK(synapseMode(loadText(base + "n1 0 0 a 0 synr\nn2 0 0 a 0 syn\n")) == "mixed");
  CHECK(synapseMode(loadText(base + "n1 0 0 a 0 syn read=1\n")) == "read");
}
