#include "output/output_file.hpp"

#include "core/diagnostics.hpp"

#include <cerrno>
#include <cstring>
#include <fmt/core.h>

namespace dwspice {

namespace {
// Large writes per system call: a transient of a big crossbar produces
// hundreds of megabytes of raw data.
constexpr std::size_t kBufferSize = std::size_t{1} << 20;
} // namespace

OutputFile::OutputFile(std::filesystem::path path, std::string purpose)
    : path_(std::move(path)), purpose_(std::move(purpose)) {
  file_.reset(std::fopen(path_.c_str(), "wb"));
  if (!file_) {
    fail("cannot open for writing");
  }
  std::setvbuf(file_.get(), nullptr, _IOFBF, kBufferSize);
}

OutputFile::~OutputFile() = default;

void OutputFile::fail(std::string_view what) const {
  const int error = errno;
  throw UserError(fmt::format("{} '{}': {}: {}", purpose_, path_.string(), what,
                              error != 0 ? std::strerror(error) : "unknown error"));
}

void OutputFile::write(std::string_view text) {
  writeBytes(text.data(), text.size());
}

void OutputFile::writeBytes(const void *data, std::size_t size) {
  if (!file_) {
    throw std::logic_error("write to a closed output file");
  }
  if (size != 0 && std::fwrite(data, 1, size, file_.get()) != size) {
    fail("write failed");
  }
}

std::int64_t OutputFile::position() {
  const auto offset = ftello(file_.get());
  if (offset < 0) {
    fail("cannot query position");
  }
  return offset;
}

void OutputFile::seek(std::int64_t offset) {
  if (fseeko(file_.get(), static_cast<off_t>(offset), SEEK_SET) != 0) {
    fail("cannot seek");
  }
}

void OutputFile::seekToEnd() {
  if (fseeko(file_.get(), 0, SEEK_END) != 0) {
    fail("cannot seek");
  }
}

void OutputFile::close() {
  if (!file_) {
    return;
  }
  errno = 0;
  const bool hadError = std::ferror(file_.get()) != 0;
  const int closeStatus = std::fclose(file_.release());
  if (hadError || closeStatus != 0) {
    fail("write failed");
  }
}

} // namespace dwspice
