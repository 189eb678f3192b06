#include <algorithm>
#include <cerrno>
#include <cstring>

#include <tally/adapters/byte_source.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {

Result<std::size_t> MemorySource::read(std::span<Byte> into) {
  const std::size_t count = std::min({into.size(), bytes_.size() - position_, max_read_bytes_});
  std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(position_), count, into.begin());
  position_ += count;
  return count;
}

Result<FileSource> FileSource::open(const std::filesystem::path& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return fail(errno == ENOENT ? Errc::not_found : Errc::io_error,
                str_cat("file ", path.string(), ": ", std::strerror(errno)));
  }
  return FileSource(std::unique_ptr<std::FILE, Close>(file), path);
}

Result<std::size_t> FileSource::read(std::span<Byte> into) {
  const std::size_t count = std::fread(into.data(), 1, into.size(), file_.get());
  if (count == 0 && std::ferror(file_.get()) != 0) {
    return fail(Errc::io_error, str_cat("file ", path_.string(), ": read failed"));
  }
  return count;
}

}  // namespace tally::adapters
