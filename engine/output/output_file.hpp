// A file opened for writing with every failure turned into a UserError that
// names the file: output that silently stops on a full disk would be a wrong
// answer. Supports seeking back (raw files patch their point counts).
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace dwspice {

class OutputFile {
public:
  // `purpose` names the file in messages ("raw file", "CSV file").
  OutputFile(std::filesystem::path path, std::string purpose);
  ~OutputFile(); // closes without reporting; call close() to see errors
  OutputFile(const OutputFile &) = delete;
  OutputFile &operator=(const OutputFile &) = delete;
  OutputFile(OutputFile &&) = default;
  OutputFile &operator=(OutputFile &&) = default;

  void write(std::string_view text);
  void writeBytes(const void *data, std::size_t size);
  [[nodiscard]] std::int64_t position();
  void seek(std::int64_t offset);
  void seekToEnd();
  void close(); // flushes and closes; throws UserError if anything failed

  [[nodiscard]] const std::filesystem::path &path() const { return path_; }
  [[nodiscard]] bool isOpen() const { return file_ != nullptr; }

private:
  [[noreturn]] void fail(std::string_view what) const;

  struct Closer {
    void operator()(std::FILE *file) const { std::fclose(file); }
  };
  std::filesystem::path path_;
  std::string purpose_;
  std::unique_ptr<std::FILE, Closer> file_;
};

} // namespace dwspice
