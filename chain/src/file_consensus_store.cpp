#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <unistd.h>

#include <tally/chain/file_consensus_store.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

namespace {

[[noreturn]] void die(const std::filesystem::path& path, const char* step) {
  // No Result here: the engine cannot go on without a durable snapshot (see the header).
  std::fprintf(stderr, "consensus store %s: %s failed: %s\n", path.c_str(), step,
               std::strerror(errno));
  std::abort();
}

void write_all(int fd, BytesView bytes, const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t written = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (written < 0 && errno == EINTR)
      continue;
    if (written <= 0)
      die(path, "write");
    done += static_cast<std::size_t>(written);
  }
}

void fsync_directory(const std::filesystem::path& path) {
  const std::filesystem::path directory =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0)
    die(directory, "fsync of the directory");
  ::close(fd);
}

}  // namespace

Result<FileConsensusStore> FileConsensusStore::open(std::filesystem::path path,
                                                    const CryptoSuite& suite) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    if (error)
      return fail(Errc::io_error, str_cat(path.string(), ": ", error.message()));
    return FileConsensusStore(std::move(path), std::nullopt);
  }
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error)
    return fail(Errc::io_error, str_cat(path.string(), ": ", error.message()));
  if (size > kMaxConsensusSnapshotBytes) {
    return fail(Errc::limit_exceeded,
                str_cat(path.string(), ": ", size, " bytes, more than a snapshot can be"));
  }
  std::ifstream in(path, std::ios::binary);
  const Bytes bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!in.good() && !in.eof())
    return fail(Errc::io_error, str_cat(path.string(), ": read failed"));
  auto snapshot = ConsensusSnapshot::decode(bytes, suite);
  if (!snapshot) {
    return fail(Errc::corrupted,
                str_cat(path.string(), ": not a consensus snapshot: ", snapshot.error().message));
  }
  return FileConsensusStore(std::move(path), std::move(*snapshot));
}

void FileConsensusStore::save(const ConsensusSnapshot& snapshot) {
  const Bytes bytes = snapshot.encode();
  const std::filesystem::path temporary = path_.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    die(temporary, "open");
  write_all(fd, bytes, temporary);
  if (::fsync(fd) != 0)
    die(temporary, "fsync");
  ::close(fd);
  if (std::rename(temporary.c_str(), path_.c_str()) != 0)
    die(path_, "rename");
  fsync_directory(path_);
  snapshot_ = snapshot;
}

}  // namespace tally::chain
