#pragma once
// A generated bank file of any size without holding it: a head, one body block repeated, a tail.
// The parsers' memory must stay flat as the file grows; holding a 200 MB file in memory would hide
// that, so benchmarks read from this source instead. Also the process's peak resident memory.
#include <algorithm>
#include <cstdint>
#include <string>
#include <sys/resource.h>

#include <tally/adapters/byte_source.hpp>

namespace tally::bench {

class RepeatingSource final : public adapters::ByteSource {
 public:
  RepeatingSource(const std::string& head,
                  const std::string& block,
                  std::uint64_t repeats,
                  const std::string& tail)
      : parts_{&head, &block, &tail}, repeats_(repeats) {}

  Result<std::size_t> read(std::span<Byte> into) override {
    std::size_t filled = 0;
    while (filled < into.size() && part_ < 3) {
      const std::string& text = *parts_[part_];
      const std::size_t count = std::min(into.size() - filled, text.size() - position_);
      std::copy_n(text.data() + position_, count, reinterpret_cast<char*>(into.data()) + filled);
      filled += count;
      position_ += count;
      if (position_ == text.size()) {
        position_ = 0;
        if (part_ != 1 || ++done_ >= repeats_)
          ++part_;
      }
    }
    return filled;
  }

 private:
  const std::string* parts_[3];
  std::uint64_t repeats_;
  std::uint64_t done_ = 0;
  std::size_t part_ = 0;
  std::size_t position_ = 0;
};

inline double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace tally::bench
