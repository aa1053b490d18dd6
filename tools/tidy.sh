#!/usr/bin/env bash
# clang-tidy over the engine, the models and the tools with the project's
# .clang-tidy checks; exits non-zero if any warning is printed.
#   tools/tidy.sh [build-dir]     (default: build; needs its compile_commands.json)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
if [[ ! -f "$build/compile_commands.json" ]]; then
  echo "tidy: $build/compile_commands.json is missing (configure with tools/build.sh first)" >&2
  exit 2
fi
mapfile -t files < <(git ls-files 'engine/*.cpp' 'models/*.cpp' 'tools/*.cpp')
warnings=$(printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 8 clang-tidy -p "$build" --quiet 2>/dev/null |
  grep -E 'warning:' | sort -u || true)
if [[ -n "$warnings" ]]; then
  printf '%s\n' "$warnings"
  echo "tidy: $(printf '%s\n' "$warnings" | wc -l) warning(s)" >&2
  exit 1
fi
echo "tidy: ${#files[@]} files clean"
