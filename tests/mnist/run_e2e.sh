#!/usr/bin/env bash
# End-to-end check of the MNIST classifier pipeline at CI size:
#   cell tables -> dwtrain (32 hidden, 3 epochs on 20000 images, 5 notches) -> dwgen
#   -> dwspice --report on 5 test images -> JSON fields and agreement with the
#   behavioural predictions -> read-disturb check (dynamic synapses) on 1 image.
#
#   run_e2e.sh <build-dir> <source-dir> <work-dir> <stage: circuit|disturb>
#
# The cell tables are the ones `mnist-netlists` uses (<build>/mnist/cells);
# they are measured here first if they are missing or older than cells.inc /
# design.conf. Exit 77 (ctest SKIP) only when the data set is absent.
set -euo pipefail
build=$1 source=$2 work=$3 stage=$4
design=$source/netlists/mnist/design.conf
cells_inc=$source/netlists/mnist/cells.inc
cells=$build/mnist/cells
data=${DWSPICE_DATA:-$source/data}
fail() { echo "FAIL: $*" >&2; exit 1; }

if [[ ! -f $data/mnist/t10k-images-idx3-ubyte || ! -f $data/mnist/train-images-idx3-ubyte ]]; then
  echo "SKIP: MNIST not in $data (run tools/fetch_data.sh)"
  exit 77
fi
for tool in dwspice tools/mnist/dwgen tools/mnist/compare_predictions tools/mnist/read_disturb \
  tools/mnist/check_crossbar tools/train/dwtrain \
  tools/characterize/dwspice_characterize; do
  [[ -x $build/$tool ]] || fail "$build/$tool is not built"
done
mkdir -p "$work"

# --- cell tables (shared with the mnist-netlists target) ---------------------
tables=("$cells/hidden_transfer.csv" "$cells/output_transfer.csv" "$cells/synapse_levels_5notch_l1.csv"
  "$cells/synapse_levels_5notch_l2.csv")
stale=0
for table in "${tables[@]}"; do
  [[ -f $table && $table -nt $cells_inc && $table -nt $design ]] || stale=1
done
if ((stale)); then
  # Two ctest stages may run in parallel: one measures, the other waits.
  mkdir -p "$build/mnist"
  exec 9>"$build/mnist/cells.lock"
  flock 9
  stale=0
  for table in "${tables[@]}"; do
    [[ -f $table && $table -nt $cells_inc && $table -nt $design ]] || stale=1
  done
  if ((stale)); then
    "$build/tools/characterize/dwspice_characterize" --mnist-cells "$cells" --design "$design" --cells "$cells_inc" \
      >"$work/characterize.log" 2>&1 || { tail -20 "$work/characterize.log"; fail "characterisation failed"; }
  fi
  flock -u 9
fi

# --- tiny trained network ----------------------------------------------------
# 32 hidden units, 3 epochs on 20000 images: ~86 % in ~3 s. Smaller nets (8 hidden,
# 1 epoch on 2000 images) stay at 9.8 % with the current cells: too few hidden
# units start above the neuron threshold.
hidden=32 epochs=3 limit=20000
[[ $stage == disturb ]] && hidden=2 epochs=1 limit=2000 # dynamic synapses: keep the transient small
stem=$work/tiny
"$build/tools/train/dwtrain" --dataset mnist --notches 5 --hidden $hidden --epochs $epochs --finetune-epochs 1 \
  --train-limit $limit --seed 1 --cells "$cells" --design "$design" --out "$stem" >"$work/train.log" 2>&1 ||
  { tail -20 "$work/train.log"; fail "dwtrain failed"; }
for suffix in .weights _train.json _behavioural.csv; do
  [[ -s $stem$suffix ]] || fail "dwtrain wrote no $stem$suffix"
done
design_value() { awk -F'[=#]' -v key="$1" '$1 ~ "^[ \t]*" key "[ \t]*$" {gsub(/[ \t]/, "", $2); print $2}' "$design"; }

if [[ $stage == circuit ]]; then
  # The crossbars compute the behavioural model's column currents exactly
  # (independent of how well the net is trained): image 0, mid-window.
  "$build/tools/mnist/dwgen" --weights "$stem.weights" --design "$design" --cells "$cells_inc" \
    -o "$work/tiny_currents.cir" --save-crossbar-currents || fail "dwgen --save-crossbar-currents failed"
  "$build/dwspice" -b "$work/tiny_currents.cir" --save 0 -r "$work/tiny_currents.raw" >"$work/currents.log" 2>&1 ||
    { tail -20 "$work/currents.log"; fail "dwspice failed on image 0"; }
  t1=$(awk -v a="$(design_value t_in)" -v r="$(design_value t_rise)" -v w="$(design_value t_write)" \
    'BEGIN { printf "%.6g", a + r + w / 2 }')
  t2=$(awk -v a="$(design_value t_l2)" -v r="$(design_value t_rise)" -v w="$(design_value t_write)" \
    'BEGIN { printf "%.6g", a + r + w / 2 }')
  "$build/tools/mnist/check_crossbar" --weights "$stem.weights" --raw "$work/tiny_currents.raw" --image 0 \
    --t1 "$t1" --t2 "$t2" --tolerance 1e-6 || fail "crossbar currents differ from the behavioural model"
fi

# A net that predicts one class for everything (all outputs on the flat part of
# the output curve) would make the agreement check meaningless: every
# behavioural output ties and the circuit breaks the tie by rounding.
# (The disturb stage does not care how well the net classifies.)
if [[ $stage == circuit ]]; then
  finetuned=$(grep -Eo '"finetuned": *[0-9.]+' "$stem"_train.json | sed 's/.*: *//')
  awk -v a="$finetuned" 'BEGIN { exit !(a >= 50) }' ||
    fail "the tiny trained net is degenerate: fine-tuned accuracy $finetuned % < 50 % (see $work/train.log)"
fi

if [[ $stage == disturb ]]; then
  bash "$source/tools/mnist/read_disturb.sh" "$build" "$stem.weights" "$design" "$cells_inc" "$work" 0
  exit $?
fi

# --- circuit-level run on 5 images -------------------------------------------
"$build/tools/mnist/dwgen" --weights "$stem.weights" --design "$design" --cells "$cells_inc" -o "$stem.cir" ||
  fail "dwgen failed"
"$build/dwspice" -b "$stem.cir" --report "$work/report.json" --images 5 >"$work/dwspice.log" 2>&1 ||
  { tail -20 "$work/dwspice.log"; fail "dwspice --report failed"; }
report=$work/report.json
for key in netlist dataset split images correct accuracy confusion predictions energy_per_inference_J latency_s \
  cycle_s wall_s images_per_s threads synapse_mode cost_split_s steps_per_image; do
  grep -q "\"$key\"" "$report" || fail "report has no \"$key\""
done
grep -Eq '"images": *5[,}]' "$report" || fail "report: images is not 5"
grep -Eq '"synapse_mode": *"read"' "$report" || fail "report: synapse_mode is not \"read\""
grep -Eq '"dataset": *"mnist"' "$report" || fail "report: dataset is not mnist"
t_classify=$(design_value t_classify)
latency=$(grep -Eo '"latency_s": *[0-9.eE+-]+' "$report" | sed 's/.*: *//')
awk -v a="$latency" -v b="$t_classify" 'BEGIN { exit !(a > 0 && (a - b) * (a - b) <= 1e-30 + 1e-12 * b * b) }' ||
  fail "latency_s $latency differs from t_classify $t_classify"
energy=$(grep -Eo '"energy_per_inference_J": *[0-9.eE+-]+' "$report" | sed 's/.*: *//')
awk -v e="$energy" 'BEGIN { exit !(e > 0) }' || fail "energy_per_inference_J $energy is not positive"
predictions=$(tr -d '\n' <"$report" | grep -Eo '"predictions": *\[[^]]*\]' | grep -Eo '[0-9]+' | wc -l)
[[ $predictions == 5 ]] || fail "report has $predictions predictions, expected 5"
# Agreement with the behavioural model on these 5 images (spec target: >= 99 %
# over 10k; on 5 images one disagreement is allowed).
"$build/tools/mnist/compare_predictions" --report "$report" --behavioural "$stem"_behavioural.csv \
  --min-agreement 80 || fail "circuit and behavioural predictions disagree"
echo "PASS"
