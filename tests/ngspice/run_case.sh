#!/usr/bin/env bash
# One case of the ngspice comparison suite: run ngspice (the reference) and a
# candidate simulator on a deck, then judge the two raw files with compare_raw.
#
#   run_case.sh --compare EXE --workdir DIR [--ngspice EXE]
#               (--dwspice EXE | --candidate-ngspice) [--candidate-deck DECK]
#               [--tighten] [--expect pass|fail] DECK
#
#   --dwspice EXE          candidate is dwspice (`EXE -b -r cand.raw DECK`)
#   --candidate-ngspice    candidate is ngspice too (comparator self-tests)
#   --candidate-deck DECK2 the candidate simulates DECK2 instead of DECK
#   --tighten              the candidate runs DECK with tighter .options
#                          (reltol 1e-5) appended: must still agree
#   --expect fail          the test passes only if compare_raw reports a
#                          disagreement (exit 1) — a crash or missing file
#                          still fails the test
#
# A deck may carry a line `*@reference-options <options>`: ngspice then
# simulates a copy of the deck with `.options <options>` added, and dwspice
# the deck as written. It is for decks where ngspice at its default
# tolerances is itself further from its converged answer than the metric
# allows; the deck must say why, with the numbers (see the cases that use it).
#
# Fails when either simulator fails, reports an error, or leaves no raw file.
set -uo pipefail

ngspice=ngspice
compare=""
workdir=""
dwspice=""
candidateIsNgspice=0
candidateDeck=""
tighten=0
expect=pass
deck=""

die() {
  echo "run_case: $*" >&2
  echo "FAIL: $*"
  exit 1
}

while [[ $# -gt 0 ]]; do
  case "$1" in
  --ngspice) ngspice=$2; shift 2 ;;
  --compare) compare=$2; shift 2 ;;
  --workdir) workdir=$2; shift 2 ;;
  --dwspice) dwspice=$2; shift 2 ;;
  --candidate-ngspice) candidateIsNgspice=1; shift ;;
  --candidate-deck) candidateDeck=$2; shift 2 ;;
  --tighten) tighten=1; shift ;;
  --expect) expect=$2; shift 2 ;;
  -*) die "unknown option $1" ;;
  *) deck=$1; shift ;;
  esac
done

[[ -n "$deck" && -n "$compare" && -n "$workdir" ]] || die "need --compare, --workdir and a deck"
[[ -f "$deck" ]] || die "deck $deck not found"
[[ -x "$compare" ]] || die "compare program $compare not found"
[[ "$expect" == pass || "$expect" == fail ]] || die "--expect must be pass or fail"
if [[ $candidateIsNgspice -eq 0 && -z "$dwspice" ]]; then
  die "need --dwspice EXE or --candidate-ngspice"
fi
[[ -z "$dwspice" || -x "$dwspice" ]] || die "dwspice executable $dwspice not found"
command -v "$ngspice" >/dev/null || die "ngspice ($ngspice) not installed"

mkdir -p "$workdir" || die "cannot create $workdir"
workdir=$(cd "$workdir" && pwd)
deck=$(cd "$(dirname "$deck")" && pwd)/$(basename "$deck")
candidateDeck=${candidateDeck:-$deck}
[[ -f "$candidateDeck" ]] || die "candidate deck $candidateDeck not found"
candidateDeck=$(cd "$(dirname "$candidateDeck")" && pwd)/$(basename "$candidateDeck")
referenceRaw=$workdir/ngspice.raw
candidateRaw=$workdir/candidate.raw
rm -f "$referenceRaw" "$candidateRaw"

# ngspice exits 0 after many errors, so its log is searched as well.
ngspiceErrors='(^|[^a-z])error|simulation\(s\) aborted|timestep too small|no convergence|singular matrix|unknown (subckt|model|parameter)|could not find'

# Runs ngspice on $1 writing $2, log $3, from folder $4 (default: the deck's
# own folder, so that relative .include paths resolve the same way in both
# simulators; derived decks in the work folder run from the original's).
runNgspice() {
  local input=$1 raw=$2 log=$3 rundir=${4:-$(dirname "$1")}
  (cd "$rundir" && "$ngspice" -b -n -r "$raw" "$input") >"$log" 2>&1
  local status=$?
  [[ $status -eq 0 ]] || { cat "$log"; die "ngspice exited with status $status on $input"; }
  if grep -Eiq "$ngspiceErrors" "$log"; then
    grep -Ei "$ngspiceErrors" "$log"
    die "ngspice reported an error on $input (log: $log)"
  fi
  [[ -s "$raw" ]] || { cat "$log"; die "ngspice wrote no raw file for $input"; }
}

# Copies deck $1 to $2 with `.options $3` inserted before its .end line.
withOptions() {
  awk -v options="$3" 'BEGIN { done = 0 }
       tolower($1) == ".end" && !done { print ".options " options; done = 1 }
       { print }
       END { if (!done) exit 1 }' "$1" >"$2" || die "no .end line in $1"
}

referenceOptions=$(sed -n 's/^\*@reference-options[[:space:]]*//p' "$deck" | head -1)
if [[ -n "$referenceOptions" ]]; then
  echo "note: ngspice reference runs with .options $referenceOptions (see the deck for why)"
  withOptions "$deck" "$workdir/reference.cir" "$referenceOptions"
  runNgspice "$workdir/reference.cir" "$referenceRaw" "$workdir/ngspice.log" "$(dirname "$deck")"
else
  runNgspice "$deck" "$referenceRaw" "$workdir/ngspice.log"
fi

candidateRunDir=$(dirname "$candidateDeck")
if [[ $tighten -eq 1 ]]; then
  # Later .options override earlier ones; the copy runs from the original's
  # folder so its .include paths still resolve.
  withOptions "$candidateDeck" "$workdir/tightened.cir" "reltol=1e-5 vntol=1e-8 abstol=1e-14"
  candidateDeck=$workdir/tightened.cir
fi

if [[ $candidateIsNgspice -eq 1 ]]; then
  candidateLabel=ngspice-cand
  runNgspice "$candidateDeck" "$candidateRaw" "$workdir/candidate.log" "$candidateRunDir"
else
  candidateLabel=dwspice
  (cd "$candidateRunDir" && "$dwspice" -b -r "$candidateRaw" "$candidateDeck") \
    >"$workdir/candidate.log" 2>&1
  status=$?
  if [[ $status -ne 0 ]]; then
    cat "$workdir/candidate.log"
    die "dwspice exited with status $status on $candidateDeck"
  fi
  [[ -s "$candidateRaw" ]] || { cat "$workdir/candidate.log"; die "dwspice wrote no raw file"; }
fi

"$compare" --ref-label ngspice --cand-label "$candidateLabel" "$referenceRaw" "$candidateRaw"
verdict=$?
case "$expect:$verdict" in
pass:0) exit 0 ;;
fail:1) echo "(disagreement expected: this self-test checks that the comparator catches it)"; exit 0 ;;
pass:*) exit 1 ;;
fail:0) die "the comparator accepted results that should disagree" ;;
*) die "compare_raw could not compare (status $verdict)" ;;
esac
