#pragma once
// Fixed-size secret material (private keys). Zeroed with OPENSSL_cleanse when destroyed, so the
// compiler cannot drop the wipe; streams print "<secret>" and there is no hex(), so a key never
// reaches a log by accident. Reading the bytes takes an explicit reveal().

#include <array>
#include <cstddef>
#include <iosfwd>

#include <tally/core/assert.hpp>
#include <tally/core/bytes.hpp>

namespace tally {
namespace detail {
void secure_zero(void* data, std::size_t size) noexcept;
std::ostream& write_redacted(std::ostream& out);
}  // namespace detail

template <std::size_t N>
class SecretBytes {
 public:
  static constexpr std::size_t kSize = N;

  SecretBytes() = default;
  explicit SecretBytes(BytesView bytes) {
    TALLY_ASSERT(bytes.size() == N);
    for (std::size_t i = 0; i < N; ++i)
      bytes_[i] = bytes[i];
  }
  SecretBytes(const SecretBytes&) = default;
  SecretBytes& operator=(const SecretBytes&) = default;
  ~SecretBytes() { detail::secure_zero(bytes_.data(), N); }

  // A view into this object: not on a temporary, which would leave it dangling.
  BytesView reveal() const& noexcept { return bytes_; }
  BytesView reveal() const&& = delete;
  Byte* data() noexcept { return bytes_.data(); }
  const Byte* data() const noexcept { return bytes_.data(); }
  static constexpr std::size_t size() noexcept { return N; }

  friend std::ostream& operator<<(std::ostream& out, const SecretBytes&) {
    return detail::write_redacted(out);
  }
  // GoogleTest prints through PrintTo when a test fails; keep its byte dump away from the key.
  friend void PrintTo(const SecretBytes&, std::ostream* out) { detail::write_redacted(*out); }

 private:
  std::array<Byte, N> bytes_{};
};

}  // namespace tally
