#pragma once
// SM2 signatures (GB/T 32918.2) on the SM2 recommended curve, computed by OpenSSL 3.
//
// What is signed. SM2 signs e = SM3(Z || M), where M is the message and
//   Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA),
// ENTL the bit length of the user id as 2 bytes big-endian, ID the user id bytes, a and b the
// curve coefficients, (xG, yG) the base point and (xA, yA) the signer's public key, each 32 bytes
// big-endian. sign()/verify() take M and compute e (as `openssl pkeyutl -rawin -digest sm3` and
// `openssl dgst -sm3` do); sign_digest()/verify_digest() take a ready e, for callers that have
// computed message_digest() already. The user id defaults to "1234567812345678", GB/T 32918's
// default. OpenSSL 3.0 itself falls back to the EMPTY id when none is set (so does its CLI: pass
// `-pkeyopt distid:1234567812345678` to pkeyutl, `-sigopt distid:...` to dgst), hence the id is
// set explicitly on every operation here.
//
// Encodings, all big-endian: a private key is d with 1 <= d <= n-2 (d + 1 must be invertible); a
// public key is the 64 bytes x || y; a signature is r || s, 64 bytes, the form carried on chain.
// OpenSSL and most other tools use DER (SEQUENCE of two INTEGERs): to_der() and from_der() convert.
// Signing draws a fresh random nonce each time, so two signatures of one message differ.

#include <iosfwd>
#include <string>
#include <string_view>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>
#include <tally/core/public_key.hpp>
#include <tally/core/secret_bytes.hpp>

namespace tally::sm2 {

inline constexpr std::string_view kDefaultUserId = "1234567812345678";
// ENTL counts bits in 16 bits, so an id holds at most 8191 bytes.
inline constexpr std::size_t kMaxUserIdBytes = 8191;

// A private key with its public key, derived once when the key is made (signing needs both: the
// public key enters Z).
class PrivateKey {
 public:
  // Exactly 32 bytes holding d in [1, n-2]; otherwise out_of_range.
  static Result<PrivateKey> from_bytes(BytesView bytes);
  // A fresh key from OpenSSL's private random generator.
  static PrivateKey generate();

  // A view into this key: not on a temporary, which would leave it dangling.
  BytesView reveal() const& noexcept { return secret_.reveal(); }
  BytesView reveal() const&& = delete;
  const PublicKey& public_key() const noexcept { return public_key_; }

  // Streams and GoogleTest's failure messages print "<secret>", never the bytes.
  friend std::ostream& operator<<(std::ostream& out, const PrivateKey&) {
    return detail::write_redacted(out);
  }

 private:
  PrivateKey(const SecretBytes<32>& secret, const PublicKey& public_key)
      : secret_(secret), public_key_(public_key) {}
  SecretBytes<32> secret_;
  PublicKey public_key_;
};

struct Signature {
  static constexpr std::size_t kSize = 64;

  Hash256 r;
  Hash256 s;

  // r || s.
  FixedBytes<kSize> encode() const;
  // The inverse; checks the length only: value ranges are checked by verify.
  static Result<Signature> decode(BytesView bytes);

  // DER: SEQUENCE { INTEGER r, INTEGER s }.
  Bytes to_der() const;
  // Strict DER: no trailing bytes, minimal encoding, non-negative values below 2^256.
  static Result<Signature> from_der(BytesView der);

  bool operator==(const Signature&) const = default;
};

// Z for `public_key` and `user_id` (see the top of this file). invalid_argument for an id longer
// than kMaxUserIdBytes.
Result<Hash256> compute_z(const PublicKey& public_key, std::string_view user_id = kDefaultUserId);
// e = SM3(Z || message).
Result<Hash256> message_digest(const PublicKey& public_key,
                               BytesView message,
                               std::string_view user_id = kDefaultUserId);

// Signs the message M (e is computed inside, by OpenSSL).
Result<Signature> sign(BytesView message,
                       const PrivateKey& key,
                       std::string_view user_id = kDefaultUserId);
// malformed for r or s outside [1, n-1] or a public key off the curve; verification_failed when
// the signature does not verify.
Result<void> verify(BytesView message,
                    const Signature& signature,
                    const PublicKey& public_key,
                    std::string_view user_id = kDefaultUserId);

// The same on a ready e = message_digest(...).
Result<Signature> sign_digest(const Hash256& e, const PrivateKey& key);
Result<void> verify_digest(const Hash256& e,
                           const Signature& signature,
                           const PublicKey& public_key);

// Public keys as PEM SubjectPublicKeyInfo ("-----BEGIN PUBLIC KEY-----"), the form the openssl CLI
// reads and writes. from_pem refuses keys of other algorithms or curves.
// r and s in [1, n-1], checked without touching the curve; malformed naming the value otherwise.
Result<void> check_scalar_range(const Signature& signature);

Result<std::string> public_key_to_pem(const PublicKey& public_key);
Result<PublicKey> public_key_from_pem(std::string_view pem);

}  // namespace tally::sm2
