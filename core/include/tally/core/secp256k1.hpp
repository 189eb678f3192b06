#pragma once
// Recoverable ECDSA on secp256k1, as Ethereum uses it, through libsecp256k1.
//
// Keys and values, all big-endian: a private key is a scalar k with 0 < k < n; a public key is the
// 64 bytes x || y of the point (the uncompressed SEC1 form without its 0x04 prefix); a signature is
// (r, s, v) with v the recovery id 0 or 1 (Ethereum's 27/28 and EIP-155 offsets are the
// transaction layer's business). Recovery ids 2 and 3 (r >= n - p, probability about 2^-127) are
// refused, as Ethereum refuses them.
//
// Signing uses RFC 6979 deterministic nonces and always yields low s (s <= n/2, EIP-2). Recovery
// and verification refuse high s unless the caller passes HighS::allow, which the ecrecover
// precompile and pre-Homestead transactions need. r and s must lie in [1, n-1] either way.
//
// One library context serves the process: created and randomized (against side channels) on first
// use, then only read, so every function here is safe to call from any thread.

#include <cstdint>
#include <iosfwd>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>
#include <tally/core/public_key.hpp>
#include <tally/core/secret_bytes.hpp>

namespace tally::secp256k1 {

class PrivateKey {
 public:
  // Exactly 32 bytes holding a scalar in [1, n-1]; otherwise out_of_range.
  static Result<PrivateKey> from_bytes(BytesView bytes);
  // A fresh key from OpenSSL's private random generator.
  static PrivateKey generate();

  // A view into this key: not on a temporary, which would leave it dangling.
  BytesView reveal() const& noexcept { return secret_.reveal(); }
  BytesView reveal() const&& = delete;

  // Streams and GoogleTest's failure messages print "<secret>", never the bytes.
  friend std::ostream& operator<<(std::ostream& out, const PrivateKey&) {
    return detail::write_redacted(out);
  }

 private:
  explicit PrivateKey(const SecretBytes<32>& secret) : secret_(secret) {}
  SecretBytes<32> secret_;
};

struct Signature {
  static constexpr std::size_t kSize = 65;

  Hash256 r;
  Hash256 s;
  std::uint8_t v = 0;  // recovery id

  // r || s || v, 65 bytes.
  FixedBytes<kSize> encode() const;
  // The inverse; checks the length only: value ranges are checked where the signature is used.
  static Result<Signature> decode(BytesView bytes);

  bool operator==(const Signature&) const = default;
};

enum class HighS : bool { reject, allow };

PublicKey derive_public_key(const PrivateKey& key);

// Signs a 32-byte digest (the caller hashes). Deterministic: same key and digest, same signature.
Signature sign(const Hash256& digest, const PrivateKey& key);

// The public key whose signature over `digest` this is. Fails with malformed for v > 1 or r, s
// outside [1, n-1], verification_failed for high s under HighS::reject or when no key recovers.
Result<PublicKey> recover(const Hash256& digest,
                          const Signature& signature,
                          HighS high_s = HighS::reject);

// Plain ECDSA verification of (r, s) against `public_key`; v must be 0 or 1 but is not otherwise
// consulted (recover() and compare when v must match too). A public key that is not a curve point
// is malformed; a signature that does not verify is verification_failed.
Result<void> verify(const Hash256& digest,
                    const Signature& signature,
                    const PublicKey& public_key,
                    HighS high_s = HighS::reject);

// s <= n/2.
bool is_low_s(const Hash256& s) noexcept;
// r and s in [1, n-1], checked without touching the curve (the low-s rule is is_low_s's); malformed
// naming the value otherwise. For decoders that refuse bad signatures before recovering.
Result<void> check_scalar_range(const Signature& signature);

}  // namespace tally::secp256k1
