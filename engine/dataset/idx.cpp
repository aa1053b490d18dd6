#include "dataset/idx.hpp"

#include "core/diagnostics.hpp"

#include <array>
#include <cstdlib>
#include <fmt/core.h>
#include <fmt/std.h>
#include <memory>
#include <system_error>
#include <zlib.h>

#ifndef DWSPICE_SOURCE_DIR
#error "DWSPICE_SOURCE_DIR must be defined (root CMakeLists.txt sets it on dwspice_core)"
#endif

namespace dwspice::dataset {
namespace {

constexpr std::uint32_t labelMagic = 2049;
constexpr std::uint32_t imageMagic = 2051;
// Deflate cannot expand data by more than about 1032:1, so a gzip file whose
// header promises more than this many bytes per compressed byte is corrupt;
// checking it before allocating keeps a damaged header from asking for
// gigabytes.
constexpr std::uintmax_t maxDeflateRatio = 1100;

[[noreturn]] void fail(const std::filesystem::path &file, std::string_view fault) {
  throw UserError(fmt::format("IDX file {}: {}", file, fault));
}

struct GzCloser {
  void operator()(gzFile handle) const { gzclose(handle); }
};
using GzHandle = std::unique_ptr<std::remove_pointer_t<gzFile>, GzCloser>;

// A byte stream over a plain or gzip file. zlib reads plain files through
// the same gzread calls, so one code path handles both.
class IdxStream {
public:
  explicit IdxStream(const std::filesystem::path &file) : file_(file) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(file, error)) {
      fail(file, "no such file (or not a regular file)");
    }
    fileSize_ = std::filesystem::file_size(file, error);
    if (error) {
      fail(file, fmt::format("cannot read its size: {}", error.message()));
    }
    handle_.reset(gzopen(file.c_str(), "rb"));
    if (!handle_) {
      fail(file, "cannot open it for reading");
    }
    gzip_ = gzdirect(handle_.get()) == 0;
  }

  [[nodiscard]] bool gzip() const { return gzip_; }
  [[nodiscard]] std::uintmax_t fileSize() const { return fileSize_; }

  // Reads up to `size` bytes; returns how many were read. A corrupt gzip
  // stream is an error, a short plain file is not (the caller names it).
  std::size_t read(std::uint8_t *destination, std::size_t size) {
    std::size_t total = 0;
    while (total < size) {
      // gzread takes an unsigned count; read in chunks well below its limit.
      const auto chunk = static_cast<unsigned>(std::min<std::size_t>(size - total, 1u << 30));
      const int got = gzread(handle_.get(), destination + total, chunk);
      if (got < 0) {
        int code = 0;
        const char *message = gzerror(handle_.get(), &code);
        fail(file_, fmt::format("corrupt gzip data ({})", message ? message : "zlib error"));
      }
      if (got == 0) {
        // gzread returns 0 at the end of data; a gzip stream that ends early
        // also reports it through gzerror.
        int code = 0;
        const char *message = gzerror(handle_.get(), &code);
        if (code != Z_OK && code != Z_BUF_ERROR) {
          fail(file_, fmt::format("corrupt gzip data ({})", message ? message : "zlib error"));
        }
        if (gzip_ && code == Z_BUF_ERROR) {
          fail(file_, "truncated gzip stream");
        }
        break;
      }
      total += static_cast<std::size_t>(got);
    }
    return total;
  }

  // True when nothing follows the data the header described.
  bool atEnd() {
    std::uint8_t extra = 0;
    return read(&extra, 1) == 0;
  }

private:
  std::filesystem::path file_;
  GzHandle handle_;
  std::uintmax_t fileSize_ = 0;
  bool gzip_ = false;
};

std::uint32_t bigEndian32(const std::uint8_t *bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
         std::uint32_t{bytes[3]};
}

// Reads the magic and `dimensionCount` sizes, checks the promised payload
// against what the file can hold, then reads exactly that payload.
std::vector<std::uint8_t> readIdx(const std::filesystem::path &file, std::uint32_t expectedMagic,
                                  std::vector<std::uint32_t> &dimensions) {
  IdxStream stream(file);
  const std::size_t dimensionCount = expectedMagic == labelMagic ? 1 : 3;
  const std::size_t headerSize = 4 + 4 * dimensionCount;
  std::array<std::uint8_t, 16> header{};
  const std::size_t headerRead = stream.read(header.data(), headerSize);
  if (headerRead == 0) {
    fail(file, "empty file");
  }
  if (headerRead < 4) {
    fail(file, fmt::format("truncated header ({} bytes, IDX needs {})", headerRead, headerSize));
  }
  const std::uint32_t magic = bigEndian32(header.data());
  if (magic != expectedMagic) {
    fail(file, fmt::format("bad magic number {:#010x} (expected {:#010x}, an IDX {} file)", magic,
                           expectedMagic, expectedMagic == labelMagic ? "label" : "image"));
  }
  if (headerRead < headerSize) {
    fail(file, fmt::format("truncated header ({} bytes, IDX needs {})", headerRead, headerSize));
  }
  dimensions.clear();
  std::uintmax_t payload = 1;
  for (std::size_t d = 0; d < dimensionCount; ++d) {
    const std::uint32_t size = bigEndian32(header.data() + 4 + 4 * d);
    if (size > (1u << 30)) {
      fail(file, fmt::format("dimension {} is {}, which no image set has", d, size));
    }
    dimensions.push_back(size);
    payload *= size;
  }
  const std::uintmax_t limit =
      stream.gzip() ? stream.fileSize() * maxDeflateRatio : stream.fileSize() - headerSize;
  if (payload > limit) {
    fail(file, stream.gzip() ? fmt::format("size mismatch: header promises {} data bytes, more than the "
                                           "gzip file can decompress to ({} at most)",
                                           payload, limit)
                             : fmt::format("truncated data: header promises {} data bytes, the file "
                                           "holds {}",
                                           payload, limit));
  }
  std::vector<std::uint8_t> data(static_cast<std::size_t>(payload));
  const std::size_t got = stream.read(data.data(), data.size());
  if (got < data.size()) {
    fail(file, fmt::format("truncated data: header promises {} bytes, file has {}", payload, got));
  }
  if (!stream.atEnd()) {
    fail(file,
         fmt::format("size mismatch: trailing bytes after the {} data bytes the header promises", payload));
  }
  return data;
}

} // namespace

std::vector<std::uint8_t> readIdxLabels(const std::filesystem::path &file) {
  std::vector<std::uint32_t> dimensions;
  return readIdx(file, labelMagic, dimensions);
}

ImageSet readIdxImages(const std::filesystem::path &file) {
  std::vector<std::uint32_t> dimensions;
  ImageSet set;
  set.pixels = readIdx(file, imageMagic, dimensions);
  set.count = static_cast<int>(dimensions[0]);
  set.rows = static_cast<int>(dimensions[1]);
  set.cols = static_cast<int>(dimensions[2]);
  return set;
}

std::filesystem::path defaultDataDirectory() {
  if (const char *fromEnvironment = std::getenv("DWSPICE_DATA");
      fromEnvironment != nullptr && *fromEnvironment != '\0') {
    return fromEnvironment;
  }
  return std::filesystem::path(DWSPICE_SOURCE_DIR) / "data";
}

LabelledImages loadDataset(std::string_view name, std::string_view split,
                           const std::filesystem::path &dataDirectory) {
  std::string folder;
  if (name == "mnist") {
    folder = "mnist";
  } else if (name == "fashion") {
    folder = "fashion-mnist";
  } else {
    throw UserError(fmt::format("unknown dataset '{}' (expected mnist or fashion)", name));
  }
  std::string prefix;
  if (split == "train") {
    prefix = "train";
  } else if (split == "test") {
    prefix = "t10k";
  } else {
    throw UserError(fmt::format("unknown dataset split '{}' (expected train or test)", split));
  }
  const std::filesystem::path directory = dataDirectory / folder;
  // Prefer the uncompressed files tools/fetch_data.sh writes; accept .gz too.
  auto locate = [&](const std::string &stem) {
    std::filesystem::path plain = directory / stem;
    std::error_code error;
    if (!std::filesystem::exists(plain, error)) {
      std::filesystem::path gz = directory / (stem + ".gz");
      if (std::filesystem::exists(gz, error)) {
        return gz;
      }
      throw UserError(fmt::format("dataset {} ({}): {} not found (run tools/fetch_data.sh, or set "
                                  "DWSPICE_DATA to the data folder)",
                                  name, split, plain));
    }
    return plain;
  };
  const std::filesystem::path imageFile = locate(prefix + "-images-idx3-ubyte");
  const std::filesystem::path labelFile = locate(prefix + "-labels-idx1-ubyte");
  LabelledImages result;
  result.images = readIdxImages(imageFile);
  result.labels = readIdxLabels(labelFile);
  result.name = std::string(name);
  result.split = std::string(split);
  if (static_cast<std::size_t>(result.images.count) != result.labels.size()) {
    throw UserError(fmt::format("dataset {} ({}): {} has {} images but {} has {} labels", name, split,
                                imageFile, result.images.count, labelFile, result.labels.size()));
  }
  for (std::size_t i = 0; i < result.labels.size(); ++i) {
    if (result.labels[i] > 9) {
      throw UserError(fmt::format("dataset {} ({}): label {} of {} is {}, not a class 0..9", name, split, i,
                                  labelFile, result.labels[i]));
    }
  }
  return result;
}

} // namespace dwspice::dataset
