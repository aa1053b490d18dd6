#!/usr/bin/env python3
"""Representative MNIST-crossbar netlist for timing the transient (not the real classifier).

Same structure and sizes as the generated MNIST netlist (docs/mnist.md), with the cells simplified:
  * inputs pixel rows as complementary pairs xp<i>/xn<i> driven by PULSE sources of amplitude +-vread*x
    (x random, one image), plus one bias row pair;
  * every weight is a pair of linear conductances (resistors, or read-mode `dwsynapse` (read=1) devices with
    --synapse read) from the two rows of a pair into a column held at 0 V by a 0-V source `vsns`;
  * an ideal F conveyor copies the column current into a `dwneuron` heavy metal;
  * a MOSFET stage (two CMOS inverters, enabled through a read divider) drives the layer-2 row pair;
  * layer 2: (hidden + bias) row pairs x outputs, the same conveyor + neuron, read by an ideal read
    voltage through a 0-V ammeter `vout<k>`;
  * a reset current source pushes every wall home at the end.
Timing follows netlists/mnist/design.conf's scheme: layer-1 write window, layer-2 window, read around
t_classify, reset window, tstop = 10 ns.

--ngspice replaces each dwneuron by an 800-ohm heavy-metal resistor and a fixed detector resistor (ngspice
has no DW model), so the same deck runs in both simulators for a back-to-back timing.
"""
import argparse
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=784)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--outputs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--synapse", choices=["resistor", "read"], default="resistor")
    parser.add_argument("--ngspice", action="store_true", help="ngspice-compatible deck (no DW devices)")
    parser.add_argument("--options", default="", help="extra .options text, e.g. noreduce")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    vread, vbias2, k1, k2 = 0.1, 0.3, 1.0, 4.0
    tr = "100p"
    lines = [f"* mnist-like crossbar {args.inputs}x{args.hidden}x{args.outputs} (seed {args.seed})"]
    lines.append(".model nch nmos level=1 vto=0.4 kp=200u lambda=0.05")
    lines.append(".model pch pmos level=1 vto=-0.4 kp=80u lambda=0.05")
    if not args.ngspice:
        lines.append(".model neuron dwneuron()")
        if args.synapse == "read":
            lines.append(".model syn1 dwsynapse(nnotch=10 read=1)")
            lines.append(".model syn2 dwsynapse(nnotch=10 ra=5e-11 read=1)")
    lines.append("vdd vdd 0 dc 1")
    lines.append(f"vrden rden 0 pulse(0 1 3.3n {tr} {tr} 3.4n 100n)")
    lines.append(f"vread ro 0 pulse(0 0.1 6.8n {tr} {tr} 0.6n 100n)")

    def synapse(name, row, col, layer):
        if args.synapse == "read" and not args.ngspice:
            state = rng.randint(0, 10)
            return f"n{name} 0 0 {row} {col} syn{layer} state={state}"  # N: a DW device card
        # 1570 devices of ~25 uS on a column: sum G ~ 40 mS as in the real crossbar
        g = rng.uniform(5e-6, 45e-6) if layer == 1 else rng.uniform(2e-6, 20e-6)
        return f"{name} {row} {col} {1.0 / g:.6g}"

    def neuron(name, hm, det):
        if args.ngspice:
            return [f"r{name}h {hm} 0 800", f"r{name}d {det} 0 {rng.uniform(2e3, 6e3):.6g}"]
        return [f"{name} {hm} 0 {det} 0 neuron"]

    # Layer-1 rows: pixel pairs plus the bias pair (index = inputs).
    for i in range(args.inputs + 1):
        x = 1.0 if i == args.inputs else rng.randint(0, 255) / 255.0
        amp = vread * x
        lines.append(f"vp{i} xp{i} 0 pulse(0 {amp:.6g} 0.2n {tr} {tr} 3n 100n)")
        lines.append(f"vn{i} xn{i} 0 pulse(0 {-amp:.6g} 0.2n {tr} {tr} 3n 100n)")
    for j in range(args.hidden):
        for i in range(args.inputs + 1):
            lines.append(synapse(f"ra{i}_{j}", f"xp{i}", f"c{j}", 1))
            lines.append(synapse(f"rb{i}_{j}", f"xn{i}", f"c{j}", 1))
        lines.append(f"vsns{j} c{j} 0 0")
        lines.append(f"f{j} 0 hm{j} vsns{j} {k1}")
        lines.append(f"ireset{j} hm{j} 0 pulse(0 200u 7.5n {tr} {tr} 2n 100n)")
        lines += neuron(f"n{j}", f"hm{j}", f"det{j}")
        # Detector read through a divider while rden is high; two inverters give outp/outn.
        lines.append(f"rdiv{j} rden det{j} 4k")
        lines.append(f"mpa{j} inv{j} det{j} vdd vdd pch w=2u l=0.2u")
        lines.append(f"mna{j} inv{j} det{j} 0 0 nch w=1u l=0.2u")
        lines.append(f"mpb{j} outp{j} inv{j} vdd vdd pch w=2u l=0.2u")
        lines.append(f"mnb{j} outp{j} inv{j} 0 0 nch w=1u l=0.2u")
        lines.append(f"mpc{j} outn{j} det{j} vdd vdd pch w=2u l=0.2u")
        lines.append(f"mnc{j} outn{j} det{j} 0 0 nch w=1u l=0.2u")
        # Gate and wire capacitance of the driver nodes (level-1 cards carry none).
        for node in (f"inv{j}", f"outp{j}", f"outn{j}"):
            lines.append(f"c{node} {node} 0 2f")
    # Layer 2: hidden outputs plus a bias pair.
    lines.append(f"vb2p outp{args.hidden} 0 pulse(0 {vbias2} 3.4n {tr} {tr} 3n 100n)")
    lines.append(f"vb2n outn{args.hidden} 0 pulse(0 {-vbias2} 3.4n {tr} {tr} 3n 100n)")
    for k in range(args.outputs):
        for j in range(args.hidden + 1):
            lines.append(synapse(f"rsa{j}_{k}", f"outp{j}", f"o{k}", 2))
            lines.append(synapse(f"rsb{j}_{k}", f"outn{j}", f"o{k}", 2))
        lines.append(f"vsnso{k} o{k} 0 0")
        lines.append(f"fo{k} 0 hmo{k} vsnso{k} {k2}")
        lines.append(f"ireseto{k} hmo{k} 0 pulse(0 200u 7.5n {tr} {tr} 2n 100n)")
        lines.append(f"vout{k} ro do{k} 0")
        lines += neuron(f"no{k}", f"hmo{k}", f"do{k}")
    if args.options:
        lines.append(f".options {args.options}")
    # ngspice -b only simulates with an output request.
    lines.append(".print tran v(hmo0) i(vout0)")
    lines.append(".tran 0.1n 10n")
    if args.ngspice:
        lines.append(".options noacct")
    lines.append(".end")
    with open(args.output, "w", encoding="ascii") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
