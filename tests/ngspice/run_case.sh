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

# Runs ngspice on $1 writing $2, log $3. Decks run from their own folder so
# that relative .include paths resolve the same way in both simulators.
runNgspice() {
  local input=$1 raw=$2 log=$3
  (cd "$(dirname "$input")" && "$ngspice" -b -n -r "$raw" "$(basename "$input")") >"$log" 2>&1
  local status=$?
  [[ $status -eq 0 ]] || { cat "$log"; die "ngspice exited with status $status on $input"; }
  if grep -Eiq "$ngspiceErrors" "$log"; then
    grep -Ei "$ngspiceErrors" "$log"
    die "ngspice reported an error on $input (log: $log)"
  fi
  [[ -s "$raw" ]] || { cat "$log"; die "ngspice wrote no raw file for $input"; }
}

runNgspice "$deck" "$referenceRaw" "$workdir/ngspice.log"

if [[ $tighten -eq 1 ]]; then
  # The tightened copy lives in the work folder, so decks used this way must
  # not .include relative paths. Later .options override earlier ones.
  tightDeck=$workdir/tightened.cir
  awk 'BEGIN { done = 0 }
       tolower($1) == ".end" && !done { print ".options reltol=1e-5 vntol=1e-8 abstol=1e-14"; done = 1 }
       { print }
       END { if (!done) exit 1 }' "$candidateDeck" >"$tightDeck" || die "no .end line in $candidateDeck"
  candidateDeck=$tightDeck
fi

if [[ $candidateIsNgspice -eq 1 ]]; then
  candidateLabel=ngspice-cand
  runNgspice "$candidateDeck" "$candidateRaw" "$workdir/candidate.log"
else
  candidateLabel=dwspice
  (cd "$(dirname "$candidateDeck")" && "$dwspice" -b -r "$candidateRaw" "$(basename "$candidateDeck")") \
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
