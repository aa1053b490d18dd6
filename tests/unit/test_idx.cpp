// IDX reader: files written by the test (plain and gzip, good and damaged)
// and, when tools/fetch_data.sh has run, the real MNIST/Fashion test sets.
#include "core/diagnostics.hpp"
#include "dataset/idx.hpp"

#include <cstdint>
#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>
#include <zlib.h>

using namespace dwspice;
using namespace dwspice::dataset;

namespace {

using Bytes = std::vector<std::uint8_t>;

void appendBigEndian(Bytes &bytes, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    bytes.push_back(static_cast<std::uint8_t>(value >> shift));
  }
}

Bytes imageFile(std::uint32_t count, std::uint32_t rows, std::uint32_t cols) {
  Bytes bytes;
  appendBigEndian(bytes, 2051);
  appendBigEndian(bytes, count);
  appendBigEndian(bytes, rows);
  appendBigEndian(bytes, cols);
  for (std::uint32_t i = 0; i < count * rows * cols; ++i) {
    bytes.push_back(static_cast<std::uint8_t>(i * 7 + 3));
  }
  return bytes;
}

Bytes labelFile(std::uint32_t count) {
  Bytes bytes;
  appendBigEndian(bytes, 2049);
  appendBigEndian(bytes, count);
  for (std::uint32_t i = 0; i < count; ++i) {
    bytes.push_back(static_cast<std::uint8_t>(i % 10));
  }
  return bytes;
}

// A scratch folder per test case, removed afterwards.
struct ScratchDirectory {
  std::filesystem::path path;
  ScratchDirectory() {
    path = std::filesystem::temp_directory_path() /
           ("dwspice_idx_test_" + std::to_string(reinterpret_cast<std::uintptr_t>(this)) + "_" +
            std::to_string(std::rand()));
    std::filesystem::create_directories(path);
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  ScratchDirectory(const ScratchDirectory &) = delete;
  ScratchDirectory &operator=(const ScratchDirectory &) = delete;

  std::filesystem::path write(const std::string &name, const Bytes &bytes) const {
    const auto file = path / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return file;
  }
  std::filesystem::path writeGzip(const std::string &name, const Bytes &bytes) const {
    const auto file = path / name;
    std::filesystem::create_directories(file.parent_path());
    gzFile handle = gzopen(file.c_str(), "wb");
    REQUIRE(handle != nullptr);
    if (!bytes.empty()) {
      REQUIRE(gzwrite(handle, bytes.data(), static_cast<unsigned>(bytes.size())) ==
              static_cast<int>(bytes.size()));
    }
    gzclose(handle);
    return file;
  }
};

Bytes readBytes(const std::filesystem::path &file) {
  std::ifstream in(file, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The message of the UserError `action` throws ("" if it throws none).
template <typename Action> std::string errorOf(Action &&action) {
  try {
    action();
  } catch (const UserError &error) {
    return error.what();
  }
  return "";
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("idx: plain image and label files round trip") {
  ScratchDirectory scratch;
  const auto images = readIdxImages(scratch.write("img", imageFile(3, 4, 5)));
  CHECK(images.count == 3);
  CHECK(images.rows == 4);
  CHECK(images.cols == 5);
  REQUIRE(images.pixels.size() == 60);
  CHECK(images.pixels[0] == 3);
  CHECK(images.pixels[59] == static_cast<std::uint8_t>(59 * 7 + 3));
  CHECK(images.image(2)[0] == static_cast<std::uint8_t>(40 * 7 + 3));
  const auto labels = readIdxLabels(scratch.write("lab", labelFile(13)));
  REQUIRE(labels.size() == 13);
  CHECK(labels[12] == 2);
}

TEST_CASE("idx: gzip files read like plain ones") {
  ScratchDirectory scratch;
  const Bytes written = imageFile(6, 28, 28);
  const auto images = readIdxImages(scratch.writeGzip("img.gz", written));
  CHECK(images.count == 6);
  CHECK(images.pixels == Bytes(written.begin() + 16, written.end()));
  const auto labels = readIdxLabels(scratch.writeGzip("lab.gz", labelFile(6)));
  CHECK(labels == Bytes{0, 1, 2, 3, 4, 5});
}

TEST_CASE("idx: damaged files are UserErrors naming the file and the fault") {
  ScratchDirectory scratch;
  SUBCASE("missing file") {
    const std::string message = errorOf([&] { readIdxImages(scratch.path / "nothing_here"); });
    CHECK(contains(message, "nothing_here"));
    CHECK(contains(message, "no such file"));
  }
  SUBCASE("empty file") {
    const auto file = scratch.write("empty", {});
    CHECK(contains(errorOf([&] { readIdxLabels(file); }), "empty file"));
  }
  SUBCASE("bad magic: a label file read as images") {
    const auto file = scratch.write("labels_as_images", labelFile(4));
    const std::string message = errorOf([&] { readIdxImages(file); });
    CHECK(contains(message, "labels_as_images"));
    CHECK(contains(message, "bad magic"));
  }
  SUBCASE("truncated header") {
    Bytes bytes = imageFile(2, 3, 3);
    bytes.resize(10);
    CHECK(
        contains(errorOf([&] { readIdxImages(scratch.write("short_header", bytes)); }), "truncated header"));
  }
  SUBCASE("truncated data") {
    Bytes bytes = imageFile(2, 3, 3);
    bytes.pop_back();
    CHECK(contains(errorOf([&] { readIdxImages(scratch.write("short_data", bytes)); }), "truncated data"));
  }
  SUBCASE("trailing bytes: count smaller than the data") {
    Bytes bytes = labelFile(5);
    bytes.push_back(1);
    CHECK(contains(errorOf([&] { readIdxLabels(scratch.write("long", bytes)); }), "size mismatch"));
  }
  SUBCASE("a huge count in the header is refused before allocating") {
    Bytes bytes = imageFile(2, 28, 28);
    bytes[4] = 0x3f; // count ≈ 1e9 images of 784 bytes
    CHECK(contains(errorOf([&] { readIdxImages(scratch.write("huge", bytes)); }), "truncated data"));
    const std::string gzMessage = errorOf([&] { readIdxImages(scratch.writeGzip("huge.gz", bytes)); });
    CHECK(contains(gzMessage, "size mismatch"));
  }
  SUBCASE("truncated gzip stream") {
    const auto good = scratch.writeGzip("full.gz", imageFile(20, 28, 28));
    Bytes bytes = readBytes(good);
    bytes.resize(bytes.size() / 2);
    const std::string message = errorOf([&] { readIdxImages(scratch.write("cut.gz", bytes)); });
    CHECK(contains(message, "cut.gz"));
    CHECK((contains(message, "truncated") || contains(message, "corrupt gzip")));
  }
  SUBCASE("gzip magic followed by garbage") {
    Bytes bytes = {0x1f, 0x8b, 0x08, 0x00};
    for (int i = 0; i < 200; ++i) {
      bytes.push_back(static_cast<std::uint8_t>(i * 37 + 11));
    }
    const std::string message = errorOf([&] { readIdxImages(scratch.write("garbage.gz", bytes)); });
    CHECK(contains(message, "garbage.gz"));
    CHECK(!message.empty());
  }
  SUBCASE("image and label counts differ") {
    scratch.write("mnist/t10k-images-idx3-ubyte", imageFile(3, 2, 2));
    scratch.write("mnist/t10k-labels-idx1-ubyte", labelFile(4));
    const std::string message = errorOf([&] { loadDataset("mnist", "test", scratch.path); });
    CHECK(contains(message, "3 images"));
    CHECK(contains(message, "4 labels"));
  }
  SUBCASE("label outside 0..9") {
    scratch.write("fashion-mnist/train-images-idx3-ubyte", imageFile(2, 2, 2));
    Bytes labels = labelFile(2);
    labels.back() = 10;
    scratch.write("fashion-mnist/train-labels-idx1-ubyte", labels);
    CHECK(contains(errorOf([&] { loadDataset("fashion", "train", scratch.path); }), "not a class"));
  }
  SUBCASE("unknown dataset name or split") {
    CHECK(contains(errorOf([&] { loadDataset("cifar", "test", scratch.path); }), "unknown dataset"));
    CHECK(contains(errorOf([&] { loadDataset("mnist", "validation", scratch.path); }), "split"));
  }
  SUBCASE("missing dataset folder names the file and the fetch script") {
    const std::string message = errorOf([&] { loadDataset("mnist", "test", scratch.path); });
    CHECK(contains(message, "t10k-images-idx3-ubyte"));
    CHECK(contains(message, "fetch_data.sh"));
  }
}

TEST_CASE("idx: loadDataset accepts gzip files next to the plain names") {
  ScratchDirectory scratch;
  scratch.writeGzip("mnist/train-images-idx3-ubyte.gz", imageFile(5, 28, 28));
  scratch.writeGzip("mnist/train-labels-idx1-ubyte.gz", labelFile(5));
  const auto set = loadDataset("mnist", "train", scratch.path);
  CHECK(set.images.count == 5);
  CHECK(set.labels.size() == 5);
  CHECK(set.name == "mnist");
  CHECK(set.split == "train");
}

TEST_CASE("idx: the real test sets (when fetched) have 10000 28x28 images with labels 0..9") {
  for (const char *name : {"mnist", "fashion"}) {
    const auto folder = defaultDataDirectory() / (std::string(name) == "mnist" ? "mnist" : "fashion-mnist");
    if (!std::filesystem::exists(folder / "t10k-images-idx3-ubyte")) {
      MESSAGE("skipped: ", name, " not fetched (tools/fetch_data.sh)");
      continue;
    }
    const auto set = loadDataset(name, "test");
    CHECK(set.images.count == 10000);
    CHECK(set.images.rows == 28);
    CHECK(set.images.cols == 28);
    REQUIRE(set.labels.size() == 10000);
    int perClass[10] = {};
    for (const auto label : set.labels) {
      REQUIRE(label < 10);
      ++perClass[label];
    }
    for (const int count : perClass) {
      CHECK(count >= 800); // every class present in a balanced test set
    }
  }
}
