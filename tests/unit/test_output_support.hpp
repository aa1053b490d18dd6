// Helpers shared by the output-writer tests: scratch files and fixtures.
#pragma once

#include "output/plot_writer.hpp"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace dwspice::testing {

// A directory removed (with its contents) when the test ends.
class ScratchDirectory {
public:
  ScratchDirectory() {
    std::random_device seed;
    path_ = std::filesystem::temp_directory_path() / ("dwspice_output_test_" + std::to_string(seed()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDirectory(const ScratchDirectory &) = delete;
  ScratchDirectory &operator=(const ScratchDirectory &) = delete;

  [[nodiscard]] std::filesystem::path file(const std::string &name) const { return path_ / name; }
  [[nodiscard]] const std::filesystem::path &path() const { return path_; }

private:
  std::filesystem::path path_;
};

inline std::string readFile(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The bytes of doubles as a little-endian binary raw file holds them.
inline std::string binaryValues(const std::vector<double> &values) {
  std::string bytes;
  for (const double value : values) {
    unsigned char raw[sizeof(double)];
    std::memcpy(raw, &value, sizeof(double));
    bytes.append(reinterpret_cast<const char *>(raw), sizeof(double));
  }
  return bytes;
}

inline constexpr const char *kFixedDate = "Mon Nov 23 19:15:37  2026";

// The divider of the ngspice comparison: v(in), v(out), i(v1).
inline PlotHeader dividerOpHeader() {
  return PlotHeader{
      PlotKind::OperatingPoint,
      "divider test",
      "Operating Point",
      kFixedDate,
      false,
      {{"v(in)", VectorType::Voltage}, {"v(out)", VectorType::Voltage}, {"i(v1)", VectorType::Current}}};
}

inline PlotHeader dividerTranHeader() {
  PlotHeader header = dividerOpHeader();
  header.kind = PlotKind::Transient;
  header.plotName = "Transient Analysis";
  header.hasScale = true;
  header.vectors.insert(header.vectors.begin(), VectorInfo{"time", VectorType::Time});
  return header;
}

// A FILE* capturing what a writer prints (stdout's stand-in).
class CapturedStream {
public:
  CapturedStream() : file_(std::tmpfile()) {}
  ~CapturedStream() {
    if (file_ != nullptr) {
      std::fclose(file_);
    }
  }
  CapturedStream(const CapturedStream &) = delete;
  CapturedStream &operator=(const CapturedStream &) = delete;

  [[nodiscard]] std::FILE *get() const { return file_; }
  [[nodiscard]] std::string text() const {
    std::fflush(file_);
    std::rewind(file_);
    std::string out;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file_)) > 0) {
      out.append(buffer, n);
    }
    return out;
  }

private:
  std::FILE *file_;
};

} // namespace dwspice::testing
