#pragma once
// Where a parser's bytes come from: read in chunks, so a file of any size is parsed in bounded
// memory. FileSource reads a file; MemorySource serves bytes already in memory (tests, uploads).

#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <span>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>

namespace tally::adapters {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills the front of `into` and says how much; 0 only at the end of the input.
  virtual Result<std::size_t> read(std::span<Byte> into) = 0;
};

class MemorySource final : public ByteSource {
 public:
  // The bytes must outlive the source. `max_read_bytes` caps what one read returns, so tests can
  // make chunk boundaries fall anywhere, as a slow network or pipe would.
  explicit MemorySource(
      BytesView bytes,
      std::size_t max_read_bytes = std::numeric_limits<std::size_t>::max()) noexcept
      : bytes_(bytes), max_read_bytes_(max_read_bytes) {}
  Result<std::size_t> read(std::span<Byte> into) override;

 private:
  BytesView bytes_;
  std::size_t max_read_bytes_;
  std::size_t position_ = 0;
};

class FileSource final : public ByteSource {
 public:
  static Result<FileSource> open(const std::filesystem::path& path);
  Result<std::size_t> read(std::span<Byte> into) override;

 private:
  struct Close {
    void operator()(std::FILE* file) const noexcept { std::fclose(file); }
  };
  FileSource(std::unique_ptr<std::FILE, Close> file, std::filesystem::path path)
      : file_(std::move(file)), path_(std::move(path)) {}

  std::unique_ptr<std::FILE, Close> file_;
  std::filesystem::path path_;
};

}  // namespace tally::adapters
