#pragma once
// The crypto suite a chain picks at genesis, forever (../shared/DESIGN.md section 3.1):
//   standard (id 1): Keccak-256 and secp256k1 recoverable ECDSA, Ethereum-compatible;
//   guomi    (id 2): SM3 and SM2 with the default user id "1234567812345678".
// The suite hashes (tx and block hashes, tries), signs, tells who signed, and derives addresses:
// the last 20 bytes of the suite hash of the 64-byte public key x || y.
//
// What is signed. Callers sign a 32-byte hash H that they computed with hash(). The standard suite
// signs H as the ECDSA digest, Ethereum's way. The guomi suite signs H as the SM2 message M, so
// e = SM3(Z || H) (see sm2.hpp); any SM2 tool verifies it given the 32 bytes of H as the message.
//
// Signature encoding (canonical, what goes on chain; big-endian values):
//   standard: r (32) || s (32) || v (1), 65 bytes, v the recovery id 0 or 1, s <= n/2;
//   guomi:    r (32) || s (32) || public key x || y (64), 128 bytes. SM2 cannot recover a key from
//             a signature, so the signature carries it; recover_signer() verifies the signature
//             against that key and returns it, so both suites answer "who signed this" alike.
// The encoding does not name its suite: the chain's suite decides how bytes are read, and a
// signature of the other suite is refused by its length.
//
// Design: a closed enum and a switch, not an interface with two implementations. The set of suites
// is fixed by the chain format and every node needs both; a CryptoSuite is one byte, passed by
// value, with no allocation or virtual call on the hot path (hashing every trie node), and
// Signature is a plain value of bounded size rather than a polymorphic object.

#include <array>
#include <cstdint>
#include <ostream>
#include <string_view>
#include <variant>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>
#include <tally/core/public_key.hpp>
#include <tally/core/secp256k1.hpp>
#include <tally/core/sm2.hpp>

namespace tally {

// Stable values: they are stored in genesis and never renumbered.
enum class SuiteId : std::uint8_t { standard = 1, guomi = 2 };

std::string_view suite_name(SuiteId id) noexcept;
inline std::ostream& operator<<(std::ostream& out, SuiteId id) {
  return out << suite_name(id);
}
// "standard" or "guomi", exactly; anything else is invalid_argument.
Result<SuiteId> parse_suite_id(std::string_view name);
// The stored number back to an id; unknown numbers are unsupported.
Result<SuiteId> suite_id_from_value(std::uint8_t value);

// A private key of one suite with its public key. Made only by a CryptoSuite.
class KeyPair {
 public:
  SuiteId suite() const noexcept;
  const PublicKey& public_key() const noexcept;
  // The 32 private key bytes, for key storage; never log them. A view into this key pair, so not
  // on a temporary, which would leave it dangling.
  BytesView reveal_private_key() const& noexcept;
  BytesView reveal_private_key() const&& = delete;

  // Streams and GoogleTest's failure messages print "<secret>", never the bytes.
  friend std::ostream& operator<<(std::ostream& out, const KeyPair&) {
    return detail::write_redacted(out);
  }

 private:
  friend class CryptoSuite;
  // An sm2::PrivateKey carries its public key already (signing needs it); a secp256k1 key does
  // not, so the standard alternative adds it.
  struct StandardKey {
    secp256k1::PrivateKey key;
    PublicKey public_key;
  };
  using Key = std::variant<StandardKey, sm2::PrivateKey>;
  explicit KeyPair(Key key) : key_(std::move(key)) {}

  Key key_;
};

class Signature {
 public:
  static constexpr std::size_t kStandardSize = 65;
  static constexpr std::size_t kGuomiSize = 128;

  static Signature from_standard(const secp256k1::Signature& signature);
  static Signature from_guomi(const sm2::Signature& signature, const PublicKey& public_key);
  // The canonical encoding of a signature of `suite`; malformed when the length is not that
  // suite's. Value ranges are checked when the signature is used.
  static Result<Signature> decode(SuiteId suite, BytesView bytes);

  SuiteId suite() const noexcept { return suite_; }
  static constexpr std::size_t encoded_size(SuiteId suite) noexcept {
    return suite == SuiteId::standard ? kStandardSize : kGuomiSize;
  }
  // The canonical encoding, a view into this object. Unlike the key reveals, not deleted on
  // temporaries: the bytes are public, and passing a fresh signature's encoding straight to an
  // encoder within one expression, suite.sign(h, keys).value().encoded(), is safe and common.
  BytesView encoded() const noexcept { return BytesView(bytes_.data(), encoded_size(suite_)); }

  // The parts; each asserts the suite.
  secp256k1::Signature standard() const;
  sm2::Signature guomi() const;
  PublicKey guomi_public_key() const;

  bool operator==(const Signature&) const = default;

 private:
  explicit Signature(SuiteId suite) : suite_(suite) {}
  SuiteId suite_;
  std::array<Byte, kGuomiSize> bytes_{};  // unused tail is zero, so == compares encodings
};

class CryptoSuite {
 public:
  explicit CryptoSuite(SuiteId id);
  static Result<CryptoSuite> from_name(std::string_view name);

  SuiteId id() const noexcept { return id_; }
  std::string_view name() const noexcept { return suite_name(id_); }

  Hash256 hash(BytesView data) const;

  KeyPair generate_key_pair() const;
  // 32 private key bytes valid on this suite's curve, else out_of_range.
  Result<KeyPair> key_pair_from_private_key(BytesView private_key) const;

  // Signs `hash` (see the top of this file). invalid_argument for a key pair of the other suite.
  Result<Signature> sign(const Hash256& hash, const KeyPair& key_pair) const;
  // The public key that signed `hash`. standard: recovered (low s required); guomi: the embedded
  // key, after the signature verifies against it. invalid_argument for the other suite's
  // signature, malformed or verification_failed as secp256k1.hpp and sm2.hpp describe.
  Result<PublicKey> recover_signer(const Hash256& hash, const Signature& signature) const;
  // Whether `public_key` signed `hash`: recover_signer() and compare, so every byte of the
  // signature (v, the embedded key) is bound, not only r and s.
  Result<void> verify(const Hash256& hash,
                      const Signature& signature,
                      const PublicKey& public_key) const;
  Address address(const PublicKey& public_key) const;

  bool operator==(const CryptoSuite&) const = default;

 private:
  SuiteId id_;
};

}  // namespace tally
