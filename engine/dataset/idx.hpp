// Reader for the IDX files of MNIST and Fashion-MNIST (plain or gzip).
//
// IDX layout: a big-endian 32-bit magic (2049 = unsigned-byte vector, used
// for labels; 2051 = unsigned-byte rank-3 array, used for images), then one
// big-endian 32-bit size per dimension, then the bytes. Both the batch engine
// (`.dataset` directive) and the trainer (`dwtrain`) read the image sets
// through this one interface, so the circuit and the behavioural model see
// exactly the same pixels.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace dwspice::dataset {

struct ImageSet {
  int count = 0, rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels; // count*rows*cols, image after image, row-major

  [[nodiscard]] int pixelsPerImage() const { return rows * cols; }
  // The pixels of image `index` (no bounds check beyond the vector's own).
  [[nodiscard]] const std::uint8_t *image(int index) const {
    return pixels.data() + static_cast<std::size_t>(index) * static_cast<std::size_t>(rows * cols);
  }
};

// Plain or gzip (detected by the 1f 8b magic). Errors are UserErrors naming
// the file and the fault (missing, bad magic, truncated, size mismatch,
// corrupt gzip stream); a corrupt header never causes a huge allocation.
std::vector<std::uint8_t> readIdxLabels(const std::filesystem::path &file); // magic 2049
ImageSet readIdxImages(const std::filesystem::path &file);                  // magic 2051

struct LabelledImages {
  ImageSet images;
  std::vector<std::uint8_t> labels;
  std::string name, split;
};

// $DWSPICE_DATA when set and non-empty, else the repository's data folder.
std::filesystem::path defaultDataDirectory();

// name: "mnist" or "fashion" (folder fashion-mnist); split: "train" or "test"
// (file prefix t10k). Checks that images and labels have the same count and
// that every label is a digit class 0..9.
LabelledImages loadDataset(std::string_view name, std::string_view split,
                           const std::filesystem::path &dataDirectory = defaultDataDirectory());

} // namespace dwspice::dataset
