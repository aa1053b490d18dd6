// Linear-subnetwork reduction (engine/analysis/linear_reduction.hpp): the
// reduced transient solves the same equations as the full one.
//
// Evidence, per circuit:
//  * the eliminated rows of the *full* circuit's equations are satisfied at
//    every reduced output point (to rounding: 1e-9 of the row's terms), so
//    the reconstruction is exact, not approximate;
//  * reduced and unreduced waveforms agree at integration-tolerance level
//    (the step sequences differ: IDA's error norm no longer averages over the
//    eliminated unknowns), and converge together as reltol shrinks;
//  * a column current is the analytic G·V at every point;
//  * the delivered energy agrees;
//  * capacitor-carrying linear nodes are never eliminated;
//  * the policy: noreduce, forced, automatic.
#include "analysis/analysis.hpp"
#include "analysis/linear_reduction.hpp"
#include "core/circuit.hpp"
#include "elaborate/load_netlist.hpp"
#include "test_analysis_devices.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

using namespace dwspice;

namespace {

struct Run {
  std::unique_ptr<CircuitSpec> spec;
  std::unique_ptr<Circuit> circuit;
  analysistest::RecordingObserver recorder;
  AnalysisCache cache;
  std::string summary;
};

std::unique_ptr<Run> simulate(const std::string &netlist) {
  auto run = std::make_unique<Run>();
  run->spec = std::make_unique<CircuitSpec>(loadNetlistText(netlist));
  run->circuit = std::make_unique<Circuit>(*run->spec);
  RunSettings settings;
  settings.cache = &run->cache;
  for (const AnalysisSpec &analysis : run->spec->analyses) {
    run->summary = runAnalysis(*run->circuit, analysis, run->recorder, settings).text;
  }
  return run;
}

const ReducedSystem *reductionOf(const Run &run) {
  return dynamic_cast<const ReducedSystem *>(run.cache.transientSystem.get());
}

// Crossbar rows x cols of resistors (or read-mode synapses) between pulsed
// complementary rows and columns held at 0 V, conveyors into DW neuron heavy
// metals, a CMOS inverter on each detector, and a second small crossbar
// driven by the inverters.
std::string crossbarDeck(int rows, int cols, const std::string &options, bool readSynapses) {
  std::string deck = "* reduction test crossbar\n";
  deck += ".model neuron dwneuron()\n.model syn dwsynapse(nnotch=5 read=1)\n";
  deck += ".model nch nmos level=1 vto=0.4 kp=200u\n.model pch pmos level=1 vto=-0.4 kp=80u\n";
  deck += "vdd vdd 0 1\nvrden rden 0 pulse(0 1 1.5n 100p 100p 2n 100n)\n";
  unsigned state = 12345;
  const auto next = [&state]() {
    state = state * 1103515245u + 12345u;
    return static_cast<double>((state >> 8) & 0xffff) / 65535.0;
  };
  for (int i = 0; i < rows; ++i) {
    const double amplitude = 0.1 * next();
    deck += fmt::format("vp{0} xp{0} 0 pulse(0 {1:.6g} 0.2n 100p 100p 1n 100n)\n", i, amplitude);
    deck += fmt::format("vn{0} xn{0} 0 pulse(0 {1:.6g} 0.2n 100p 100p 1n 100n)\n", i, -amplitude);
  }
  deck += "vsin xs 0 sin(0 0.05 1g)\n"; // a second waveform shape
  for (int j = 0; j < cols; ++j) {
    for (int i = 0; i < rows; ++i) {
      if (readSynapses) {
        deck +=
            fmt::format("nsa{0}_{1} 0 0 xp{0} c{1} syn state={2}\n", i, j, static_cast<int>(next() * 5.99));
        deck +=
            fmt::format("nsb{0}_{1} 0 0 xn{0} c{1} syn state={2}\n", i, j, static_cast<int>(next() * 5.99));
      } else {
        deck += fmt::format("ra{0}_{1} xp{0} c{1} {2:.6g}\n", i, j, 1.0 / (1e-5 + 4e-5 * next()));
        deck += fmt::format("rb{0}_{1} xn{0} c{1} {2:.6g}\n", i, j, 1.0 / (1e-5 + 4e-5 * next()));
      }
    }
    deck += fmt::format("rs{0} xs c{0} 50k\n", j);
    deck += fmt::format("vsns{0} c{0} 0 0\nf{0} 0 hm{0} vsns{0} 4\n", j);
    deck += fmt::format("n{0} hm{0} 0 det{0} 0 neuron\nrdiv{0} rden det{0} 4k\n", j);
    deck += fmt::format(
        "mp{0} out{0} det{0} vdd vdd pch w=2u l=0.2u\nmn{0} out{0} det{0} 0 0 nch w=1u l=0.2u\n", j);
    deck += fmt::format("ro{0} out{0} o 20k\n", j);
  }
  deck += "vso o 0 0\n";
  deck += options;
  deck += ".tran 0.05n 4n\n.end\n";
  return deck;
}

// Largest deviation of b's waveforms from a's, relative to each unknown's
// range, at the output times both runs have (the .tran grid: each run
// interpolates it from its own integration polynomial, so no interpolation
// error of ours enters the comparison).
double largestDeviation(const Run &a, const Run &b, std::string &where) {
  double worst = 0.0;
  const size_t n = a.recorder.points.front().size();
  std::vector<std::pair<size_t, size_t>> common;
  for (size_t i = 0, j = 0; i < a.recorder.scales.size() && j < b.recorder.scales.size();) {
    if (a.recorder.scales[i] == b.recorder.scales[j]) {
      common.emplace_back(i++, j++);
    } else if (a.recorder.scales[i] < b.recorder.scales[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  REQUIRE(common.size() > 20);
  for (size_t k = 1; k < n; ++k) {
    double lo = INFINITY, hi = -INFINITY;
    for (const auto &point : a.recorder.points) {
      lo = std::min(lo, point[k]);
      hi = std::max(hi, point[k]);
    }
    const double floor = a.circuit->absoluteTolerance(static_cast<int>(k));
    const double range = std::max({hi - lo, 1e-3 * std::max(std::abs(lo), std::abs(hi)), 1e3 * floor});
    for (const auto &[i, j] : common) {
      const double deviation = std::abs(b.recorder.points[j][k] - a.recorder.points[i][k]) / range;
      if (deviation > worst) {
        worst = deviation;
        where = fmt::format("{} at t = {:g}", a.circuit->unknowns()[k].name, a.recorder.scales[i]);
      }
    }
  }
  return worst;
}

// Max over output points of the eliminated rows' imbalance in the full
// circuit's equations, relative to the size of the row's terms.
double eliminatedRowImbalance(Run &run) {
  const ReducedSystem &reduced = *reductionOf(run);
  Circuit &circuit = *run.circuit;
  double worst = 0.0;
  for (size_t i = 0; i < run.recorder.scales.size(); ++i) {
    LoadContext ctx;
    ctx.x = run.recorder.points[i];
    ctx.time = run.recorder.scales[i];
    ctx.mode = AnalysisMode::Transient;
    ctx.options = &circuit.options();
    const Evaluation &eval = circuit.evaluate(ctx);
    // Row scale: Σ|G_ij·x_j| + |b_i|.
    std::vector<double> scale(eval.f.size(), 0.0);
    const SparsePattern &pattern = circuit.pattern();
    for (int c = 0; c < circuit.size(); ++c) {
      for (int64_t k = pattern.columnStarts[static_cast<size_t>(c)];
           k < pattern.columnStarts[static_cast<size_t>(c) + 1]; ++k) {
        scale[static_cast<size_t>(pattern.rowIndices[static_cast<size_t>(k)]) + 1] +=
            std::abs(eval.dfdx[static_cast<size_t>(k)] * ctx.x[static_cast<size_t>(c) + 1]);
      }
    }
    // Rows whose terms are all ~0 (a pulse back at 0 V) are judged against
    // the largest row of the point instead of their own rounding noise.
    double pointScale = 0.0;
    for (size_t row = 1; row < scale.size(); ++row) {
      pointScale = std::max(pointScale, scale[row] + std::abs(eval.b[row]));
    }
    for (int k = 1; k <= circuit.size(); ++k) {
      if (reduced.systemUnknown(k) != 0) {
        continue;
      }
      const auto row = static_cast<size_t>(k);
      const double rowScale = scale[row] + std::abs(eval.b[row]) + 1e-6 * pointScale + 1e-30;
      worst = std::max(worst, std::abs(eval.f[row] - eval.b[row]) / rowScale);
    }
  }
  return worst;
}

// ∫ Σ deliveredPower dt (trapezoidal over the output points).
double deliveredEnergy(const Run &run) {
  double energy = 0.0, previousPower = 0.0;
  for (size_t i = 0; i < run.recorder.scales.size(); ++i) {
    double power = 0.0;
    for (const auto &device : run.circuit->devices()) {
      power += device->deliveredPower(run.recorder.points[i]);
    }
    if (i > 0) {
      energy += 0.5 * (power + previousPower) * (run.recorder.scales[i] - run.recorder.scales[i - 1]);
    }
    previousPower = power;
  }
  return energy;
}

} // namespace

TEST_CASE("reduction: crossbar + neurons + CMOS, reduced equals unreduced") {
  for (const bool readSynapses : {false, true}) {
    CAPTURE(readSynapses);
    // vntol too: the wall states' absolute tolerances are multiples of it.
    const std::string tight = ".options reltol=1e-6 vntol=1e-9\n";
    auto reduced = simulate(crossbarDeck(24, 4, tight + ".options reduce\n", readSynapses));
    auto full = simulate(crossbarDeck(24, 4, tight + ".options noreduce\n", readSynapses));
    INFO(reduced->summary);
    const ReducedSystem *reduction = reductionOf(*reduced);
    REQUIRE(reduction != nullptr);
    REQUIRE(reductionOf(*full) == nullptr);
    // Rows, columns and source currents go; neurons, drivers and vdd stay.
    CHECK(reduction->eliminatedUnknowns() >= 4 * 24 + 4 * 2);
    CHECK(reduction->systemUnknown(*reduced->circuit->findNode("hm0")) != 0);
    CHECK(reduction->systemUnknown(*reduced->circuit->findNode("xp3")) == 0);
    CHECK(reduction->systemUnknown(*reduced->circuit->findUnknown("i(vsns2)")) == 0);
    // Pulses (one class, whatever the amplitude), the sine, and the zero sources.
    CHECK(reduction->excitationClasses() >= 2);
    CHECK(reduction->excitationClasses() <= 4);
    CHECK(reduction->classMisses() == 0);

    const double imbalance = eliminatedRowImbalance(*reduced);
    CHECK(imbalance < 1e-9);
    std::string where;
    const double deviation = largestDeviation(*full, *reduced, where);
    INFO("largest deviation " << deviation << " at " << where);
    CHECK(deviation < 5e-4);
    const double energyReduced = deliveredEnergy(*reduced), energyFull = deliveredEnergy(*full);
    CHECK(energyReduced > 0);
    CHECK(std::abs(energyReduced - energyFull) <= 1e-4 * std::abs(energyFull));
  }
}

TEST_CASE("reduction: waveforms converge together as the tolerance shrinks") {
  std::vector<double> deviations;
  for (const double reltol : {1e-4, 1e-7}) {
    // vntol shrinks with reltol: the wall states' absolute tolerances are multiples of it.
    const std::string options = fmt::format(".options reltol={:g} vntol={:g}\n", reltol, 1e-4 * reltol);
    auto reduced = simulate(crossbarDeck(12, 3, options + ".options reduce\n", false));
    auto full = simulate(crossbarDeck(12, 3, options + ".options noreduce\n", false));
    std::string where;
    deviations.push_back(largestDeviation(*full, *reduced, where));
    INFO(reltol << ": " << deviations.back() << " at " << where);
  }
  INFO(deviations[0] << " -> " << deviations[1]);
  // Both runs carry their own integration error (the reduced run's error
  // test mimics the full one's, see ReducedSystem::adjustErrorWeights), so
  // their gap is bounded by it and shrinks with it.
  CHECK(deviations[0] < 2e-3);
  CHECK(deviations[1] < 5e-4);
  CHECK(deviations[1] < deviations[0]);
}

TEST_CASE("reduction: column current through an eliminated 0-V source is exactly G*V") {
  // Pure read: two rows into one column, the column current is read from the
  // eliminated branch current of its sense source at every point.
  const std::string deck = "* read\n"
                           "v1 a 0 pulse(0 0.1 1n 1n 1n 2n 100n)\n"
                           "v2 b 0 pulse(0 -0.05 1n 1n 1n 2n 100n)\n"
                           "r1 a c 10k\nr2 b c 40k\nvsns c 0 0\n"
                           "f1 0 hm vsns 2\nn1 hm 0 d 0 neuron\nvr d 0 10m\n"
                           ".model neuron dwneuron()\n.options reduce\n.tran 0.1n 6n\n.end\n";
  auto run = simulate(deck);
  REQUIRE(reductionOf(*run) != nullptr);
  const int va = *run->circuit->findNode("a");
  const int vb = *run->circuit->findNode("b");
  const int isense = *run->circuit->findUnknown("i(vsns)");
  CHECK(reductionOf(*run)->systemUnknown(isense) == 0);
  double largest = 0;
  for (const auto &point : run->recorder.points) {
    const double expected = point[static_cast<size_t>(va)] / 10e3 + point[static_cast<size_t>(vb)] / 40e3;
    largest = std::max(largest, std::abs(expected));
    CHECK(point[static_cast<size_t>(isense)] == doctest::Approx(expected).epsilon(1e-12).scale(1e-6));
  }
  CHECK(largest == doctest::Approx(0.1 / 10e3 - 0.05 / 40e3));
}

TEST_CASE("reduction: nodes with capacitance are never eliminated") {
  // An RC ladder on the row: its nodes carry charge and must be integrated.
  std::string deck = "* rc\nv1 in 0 pulse(0 1 0.1n 0.1n 0.1n 1n 10n)\n"
                     "r1 in m1 1k\nc1 m1 0 1p\nr2 m1 m2 1k\nc2 m2 0 1p\n"
                     "r3 in q 1k\nr4 q 0 1k\nrl m2 g 1k\n"
                     "d1 g 0 dmod\n.model dmod d()\n.options reduce\n.tran 0.01n 3n\n.end\n";
  auto run = simulate(deck);
  const ReducedSystem *reduction = reductionOf(*run);
  REQUIRE(reduction != nullptr);
  CHECK(reduction->systemUnknown(*run->circuit->findNode("m1")) != 0);
  CHECK(reduction->systemUnknown(*run->circuit->findNode("m2")) != 0);
  CHECK(reduction->systemUnknown(*run->circuit->findNode("g")) != 0);
  CHECK(reduction->systemUnknown(*run->circuit->findNode("q")) == 0); // resistive only
  CHECK(eliminatedRowImbalance(*run) < 1e-9);

  auto full =
      simulate(deck.substr(0, deck.find(".options reduce")) + ".options noreduce\n.tran 0.01n 3n\n.end\n");
  std::string where;
  const double deviation = largestDeviation(*full, *run, where);
  INFO(deviation << " at " << where);
  CHECK(deviation < 1e-2);
}

TEST_CASE("reduction: policy") {
  const std::string small =
      "* small\nv1 a 0 pulse(0 1 1n 1n 1n 1n 10n)\nr1 a b 1k\nd1 b 0 dm\n.model dm d()\n";
  SUBCASE("small circuits are not reduced unless forced") {
    auto run = simulate(small + ".tran 0.1n 5n\n.end\n");
    CHECK(reductionOf(*run) == nullptr);
    CHECK(run->summary.find("not worth it") != std::string::npos);
    auto forced = simulate(small + ".options reduce\n.tran 0.1n 5n\n.end\n");
    CHECK(reductionOf(*forced) != nullptr);
  }
  SUBCASE("noreduce wins") {
    auto run = simulate(small + ".options reduce noreduce\n.tran 0.1n 5n\n.end\n");
    CHECK(reductionOf(*run) == nullptr);
    CHECK(run->summary.find("noreduce") != std::string::npos);
  }
  SUBCASE("a large crossbar is reduced automatically") {
    auto run = simulate(crossbarDeck(160, 8, "", false));
    CHECK(reductionOf(*run) != nullptr);
  }
  SUBCASE("a cached reduction serves later runs, regrouping changed sources") {
    auto run = simulate(crossbarDeck(16, 2, ".options reduce\n", false));
    const DaeSystem *first = run->cache.transientSystem.get();
    REQUIRE(first != nullptr);
    analysistest::RecordingObserver second;
    RunSettings settings;
    settings.cache = &run->cache;
    for (const AnalysisSpec &analysis : run->spec->analyses) {
      runAnalysis(*run->circuit, analysis, second, settings);
    }
    CHECK(run->cache.transientSystem.get() == first);
    REQUIRE(second.points.size() == run->recorder.points.size());
    for (size_t i = 0; i < second.points.size(); ++i) {
      CHECK(second.scales[i] == run->recorder.scales[i]);
    }
  }
}

// A batch keeps the transient's initial operating point with the excitation
// it was solved for (AnalysisCache). A run whose sources differ only after
// t = 0 (an MNIST image: dark at t = 0) takes it as it is; one whose sources
// differ at t = 0 solves again. Either way the run equals a cold one.
TEST_CASE("reduction: a cached operating point serves only runs with the same excitation at t = 0") {
  const std::string deck = crossbarDeck(8, 2, ".options reduce\n", false);
  const auto scaled = [](Run &run, const std::string &source, double scale) {
    auto *scalable = dynamic_cast<ScalableSource *>(run.circuit->findDevice(source));
    REQUIRE(scalable != nullptr);
    scalable->setWaveformScale(scale);
  };
  const auto rerun = [](Run &run) {
    run.recorder = analysistest::RecordingObserver{};
    RunSettings settings;
    settings.cache = &run.cache;
    for (const AnalysisSpec &analysis : run.spec->analyses) {
      run.summary = runAnalysis(*run.circuit, analysis, run.recorder, settings).text;
    }
  };
  const auto coldRun = [&](const std::string &source, double scale) {
    auto run = std::make_unique<Run>();
    run->spec = std::make_unique<CircuitSpec>(loadNetlistText(deck));
    run->circuit = std::make_unique<Circuit>(*run->spec);
    scaled(*run, source, scale);
    rerun(*run);
    return run;
  };
  const auto sameRun = [](const Run &a, const Run &b) {
    REQUIRE(a.recorder.points.size() == b.recorder.points.size());
    CHECK(a.recorder.scales == b.recorder.scales);
    CHECK(a.recorder.points == b.recorder.points);
  };

  // A pulse input scaled is still 0 V at t = 0: the stored point serves. The
  // supply scaled is a new excitation at t = 0: solved again.
  struct Change {
    const char *source;
    double scale;
    const char *summary;
    bool reused;
  };
  for (const Change &change :
       {Change{"vp0", 0.3, "the previous run's", true}, Change{"vdd", 0.8, "Newton converged", false}}) {
    CAPTURE(change.source);
    auto run = simulate(deck);
    CHECK(run->summary.find("Newton converged") != std::string::npos);
    const std::vector<double> stored = run->cache.operatingPoint;
    REQUIRE_FALSE(stored.empty());
    scaled(*run, change.source, change.scale);
    rerun(*run);
    INFO(run->summary);
    CHECK(run->summary.find(change.summary) != std::string::npos);
    sameRun(*run, *coldRun(change.source, change.scale));
    CHECK((run->cache.operatingPoint == stored) == change.reused);
  }
}

// While a reduced system evaluates, the nonlinear devices' slots point into
// its compact value space (Circuit::bindNonlinearSlots). The circuit's own
// evaluation must come back bit for bit, and a reduction that goes away
// while bound must hand the circuit its pattern slots back.
TEST_CASE("reduction: the circuit's own evaluation is unchanged by a reduced run") {
  auto run = std::make_unique<Run>();
  run->spec = std::make_unique<CircuitSpec>(loadNetlistText(crossbarDeck(12, 3, ".options reduce\n", true)));
  run->circuit = std::make_unique<Circuit>(*run->spec);
  Circuit &circuit = *run->circuit;
  std::vector<double> x(static_cast<size_t>(circuit.size()) + 1, 0.0);
  for (size_t k = 1; k < x.size(); ++k) {
    x[k] = 0.05 * std::sin(0.7 * static_cast<double>(k)); // every device away from its rest point
  }
  LoadContext ctx;
  ctx.x = x;
  ctx.time = 1.3e-9;
  ctx.mode = AnalysisMode::Transient;
  ctx.options = &circuit.options();
  const Evaluation before = circuit.evaluate(ctx);

  RunSettings settings;
  settings.cache = &run->cache;
  for (const AnalysisSpec &analysis : run->spec->analyses) {
    runAnalysis(circuit, analysis, run->recorder, settings);
  }
  REQUIRE(reductionOf(*run) != nullptr);
  CHECK(circuit.boundSlotSpace() != nullptr); // the reduced run left its space bound

  const Evaluation &after = circuit.evaluate(ctx);
  CHECK(circuit.boundSlotSpace() == nullptr);
  CHECK(after.f == before.f);
  CHECK(after.q == before.q);
  CHECK(after.dfdx == before.dfdx);
  CHECK(after.dqdx == before.dqdx);

  // Bind the reduction again, then let it go: the circuit must not keep a
  // pointer to the dead space.
  for (const AnalysisSpec &analysis : run->spec->analyses) {
    runAnalysis(circuit, analysis, run->recorder, settings);
  }
  CHECK(circuit.boundSlotSpace() != nullptr);
  run->cache.transientSystem.reset();
  CHECK(circuit.boundSlotSpace() == nullptr);
  CHECK(circuit.evaluate(ctx).dfdx == before.dfdx);
}

// Sources with one PULSE timing (ShapedExcitation keys equal) are inferred
// from their class representative instead of evaluated, black pixels (scale
// 0, as `.bind pixel` sets it) included; the SIN source keeps being
// evaluated. The reduced run must still solve the full circuit's eliminated
// rows exactly and agree with the unreduced run.
TEST_CASE("reduction: sources of one pulse shape are inferred, zero amplitudes too") {
  const std::string deck = crossbarDeck(12, 3, ".options reduce\n", true);
  const auto run = [&](const std::string &policy) {
    auto result = std::make_unique<Run>();
    std::string text = deck;
    text.replace(text.find(".options reduce"), std::string(".options reduce").size(), policy);
    result->spec = std::make_unique<CircuitSpec>(loadNetlistText(text));
    result->circuit = std::make_unique<Circuit>(*result->spec);
    for (const char *black : {"vp3", "vn3", "vp7"}) {
      auto *source = dynamic_cast<ScalableSource *>(result->circuit->findDevice(black));
      REQUIRE(source != nullptr);
      source->setWaveformScale(0.0);
    }
    RunSettings settings;
    settings.cache = &result->cache;
    for (const AnalysisSpec &analysis : result->spec->analyses) {
      result->summary = runAnalysis(*result->circuit, analysis, result->recorder, settings).text;
    }
    return result;
  };
  const std::string tight = ".options reltol=1e-6 vntol=1e-9\n";
  auto reduced = run(tight + ".options reduce");
  const ReducedSystem *reduction = reductionOf(*reduced);
  REQUIRE(reduction != nullptr);
  // 24 pixel sources of one timing: one represents the class, 20 more are
  // proportional to it and 3 are zero.
  CHECK(reduction->inferredSources() == 23);
  CHECK(reduction->classMisses() == 0);
  CHECK(eliminatedRowImbalance(*reduced) < 1e-9);
  auto full = run(tight + ".options noreduce");
  std::string where;
  CHECK(largestDeviation(*full, *reduced, where) < 5e-4);
}
