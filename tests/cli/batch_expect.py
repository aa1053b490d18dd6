#!/usr/bin/env python3
"""Checks a dwspice --report JSON of tests/cli/data/batch_tiny.cir against values
computed here from the MNIST IDX files (independently of dwspice's C++ reader).

  batch_expect.py <report.json> <data dir> <images> <threads>

The netlist is linear and resistive, so everything has a closed form: with
x_i = pixel_i / 255, the sense currents are
  i(vs0) = x0/1k + x1/2k
  i(vs1) = x2/1k + v(a3)/2k,   v(a3) = x3*1mA / (1/1k + 1/2k + 1/1k)  (rl3, r31, r32 in parallel)
  i(vs2) = x0/4k + v(a3)/1k + 0.05/1k
and the energy is tstop * (sum of the sources' delivered power), constant in time
(the PULSE source's 1 ps edges are outside the 1 ns window except the first,
whose contribution is below the tolerance).
"""
import json
import struct
import sys

report_path, data_dir, images, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])


def read_idx(path, magic):
    with open(path, "rb") as f:
        head = struct.unpack(">I", f.read(4))[0]
        assert head == magic, f"{path}: magic {head}"
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic & 0xFF)]
        return dims, f.read()


dims, pixels = read_idx(f"{data_dir}/mnist/t10k-images-idx3-ubyte", 2051)
_, labels = read_idx(f"{data_dir}/mnist/t10k-labels-idx1-ubyte", 2049)
size = dims[1] * dims[2]

def expected(k):
    p = pixels[k * size:(k + 1) * size]
    x0, x1, x2, x3 = (p[i] / 255 for i in (406, 410, 294, 518))
    vb = 0.05
    # node a3: current x3*1mA into rl3 (1k), r31 (2k to the 0-V column), r32 (1k to the 0-V column)
    g3 = 1 / 1e3 + 1 / 2e3 + 1 / 1e3
    v3 = x3 * 1e-3 / g3
    currents = [x0 / 1e3 + x1 / 2e3, x2 / 1e3 + v3 / 2e3, x0 / 4e3 + v3 / 1e3 + vb / 1e3]
    power = (x0 ** 2 * (1 / 1e3 + 1 / 4e3) + x1 ** 2 / 2e3 + x2 ** 2 / 1e3 + x3 * 1e-3 * v3 + vb ** 2 / 1e3)
    predicted = max(range(3), key=lambda j: (currents[j], -j))
    return predicted, power * 1e-9


def close(a, e, tol):
    return abs(a - e) <= tol * abs(e) + 1e-300


with open(report_path) as f:
    report = json.load(f)

failures = []
def check(condition, what):
    if not condition:
        failures.append(what)

exp = [expected(k) for k in range(images)]
predictions = [p for p, _ in exp]
correct = sum(1 for k in range(images) if predictions[k] == labels[k])
confusion = [[0] * 10 for _ in range(10)]
for k in range(images):
    confusion[labels[k]][predictions[k]] += 1
energy = sum(e for _, e in exp) / images

check(report["netlist"].endswith("batch_tiny.cir"), "netlist")
check(report["dataset"] == "mnist" and report["split"] == "test", "dataset/split")
check(report["images"] == images, f"images {report['images']} != {images}")
check(report["predictions"] == predictions, f"predictions {report['predictions']} != {predictions}")
check(report["correct"] == correct, f"correct {report['correct']} != {correct}")
check(close(report["accuracy"], 100 * correct / images, 1e-12), "accuracy")
check(report["confusion"] == confusion, "confusion")
check(close(report["energy_per_inference_J"], energy, 1e-3),
      f"energy {report['energy_per_inference_J']} != {energy}")
check(close(report["latency_s"], 0.55e-9, 1e-12), "latency_s")
check(close(report["cycle_s"], 1e-9, 1e-12), "cycle_s")
check(report["threads"] == threads, f"threads {report['threads']} != {threads}")
check(report["synapse_mode"] == "none", "synapse_mode")
check(report["wall_s"] > 0 and report["images_per_s"] > 0, "timing")
split = report["cost_split_s"]
check(set(split) == {"assembly", "devices", "factorisation", "solve", "other"}, "cost_split_s keys")
check(all(v >= 0 for v in split.values()), "cost_split_s values")
check(report["steps_per_image"] > 0, "steps_per_image")
check(len(set(predictions)) > 1, "the test images should not all give one class")

if failures:
    print("report mismatches:\n  " + "\n  ".join(failures), file=sys.stderr)
    sys.exit(1)
print(f"ok: {images} images, {correct} correct, energy {energy:.6g} J")
