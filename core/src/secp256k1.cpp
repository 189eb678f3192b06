#include <algorithm>
#include <array>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <tally/core/assert.hpp>
#include <tally/core/secp256k1.hpp>

#include "constant_hex.hpp"
#include "signature_scalars.hpp"

namespace tally::secp256k1 {
namespace {

// The group order n and floor(n / 2), big-endian, so byte-wise comparison is numeric comparison.
constexpr Hash256 kOrder =
    detail::constant_hex<32>("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
constexpr Hash256 kHalfOrder =
    detail::constant_hex<32>("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");

const secp256k1_context* context() {
  static const secp256k1_context* const ctx = [] {
    secp256k1_context* created = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    TALLY_ASSERT(created != nullptr);
    std::array<Byte, 32> seed{};
    TALLY_ASSERT(RAND_priv_bytes(seed.data(), static_cast<int>(seed.size())) == 1);
    TALLY_ASSERT(secp256k1_context_randomize(created, seed.data()) == 1);
    OPENSSL_cleanse(seed.data(), seed.size());
    return created;  // held for the life of the process
  }();
  return ctx;
}

// Range checks shared by recover() and verify(), each failure naming the offending value.
Result<void> check_values(const Signature& signature, HighS high_s) {
  if (signature.v > 1)
    return fail(Errc::malformed, str_cat("signature: recovery id ", signature.v, " is not 0 or 1"));
  if (auto in_range = detail::check_rs_range(signature.r, signature.s, kOrder); !in_range)
    return in_context(std::move(in_range), "signature");
  if (high_s == HighS::reject && !is_low_s(signature.s))
    return fail(Errc::verification_failed, "signature: s is above n/2 (EIP-2 requires low s)");
  return {};
}

// r || s, libsecp256k1's "compact" form.
std::array<Byte, detail::kRsSize> compact(const Signature& signature) {
  std::array<Byte, detail::kRsSize> out;
  detail::write_rs(signature.r, signature.s, out);
  return out;
}

PublicKey serialize(const secp256k1_pubkey& point) {
  std::array<Byte, 65> sec1;
  std::size_t size = sec1.size();
  TALLY_ASSERT(secp256k1_ec_pubkey_serialize(context(), sec1.data(), &size, &point,
                                             SECP256K1_EC_UNCOMPRESSED) == 1);
  TALLY_ASSERT(size == 65 && sec1[0] == 0x04);
  PublicKey out;
  std::copy(sec1.begin() + 1, sec1.end(), out.bytes.begin());
  return out;
}

}  // namespace

Result<PrivateKey> PrivateKey::from_bytes(BytesView bytes) {
  if (bytes.size() != 32)
    return fail(Errc::out_of_range, str_cat("private key: expected 32 bytes, got ", bytes.size()));
  if (secp256k1_ec_seckey_verify(context(), bytes.data()) != 1)
    return fail(Errc::out_of_range, "private key: not in [1, n-1]");
  return PrivateKey(SecretBytes<32>(bytes));
}

PrivateKey PrivateKey::generate() {
  // Rejection sampling: a uniform 256-bit value falls outside [1, n-1] with probability ~2^-128.
  SecretBytes<32> candidate;
  do {
    TALLY_ASSERT(RAND_priv_bytes(candidate.data(), static_cast<int>(candidate.size())) == 1);
  } while (secp256k1_ec_seckey_verify(context(), candidate.data()) != 1);
  return PrivateKey(candidate);
}

FixedBytes<Signature::kSize> Signature::encode() const {
  FixedBytes<kSize> out;
  detail::write_rs(r, s, std::span(out.bytes).first<detail::kRsSize>());
  out.bytes[detail::kRsSize] = v;
  return out;
}

Result<Signature> Signature::decode(BytesView bytes) {
  if (bytes.size() != kSize)
    return fail(Errc::malformed, str_cat("signature: expected 65 bytes, got ", bytes.size()));
  const auto [r, s] = detail::read_rs(bytes.first<detail::kRsSize>());
  return Signature{r, s, bytes[detail::kRsSize]};
}

bool is_low_s(const Hash256& s) noexcept {
  return s <= kHalfOrder;
}

PublicKey derive_public_key(const PrivateKey& key) {
  secp256k1_pubkey point;
  TALLY_ASSERT(secp256k1_ec_pubkey_create(context(), &point, key.reveal().data()) == 1);
  return serialize(point);
}

Signature sign(const Hash256& digest, const PrivateKey& key) {
  secp256k1_ecdsa_recoverable_signature native;
  // A null nonce function selects RFC 6979; the library normalises s to the low half.
  TALLY_ASSERT(secp256k1_ecdsa_sign_recoverable(context(), &native, digest.data(),
                                                key.reveal().data(), nullptr, nullptr) == 1);
  std::array<Byte, detail::kRsSize> rs;
  int recovery_id = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), rs.data(), &recovery_id,
                                                          &native);
  // Ids 2 and 3 need r >= n - p: never seen in practice, and refused by recover().
  TALLY_ASSERT(recovery_id == 0 || recovery_id == 1);
  const auto [r, s] = detail::read_rs(rs);
  return Signature{r, s, static_cast<std::uint8_t>(recovery_id)};
}

Result<PublicKey> recover(const Hash256& digest, const Signature& signature, HighS high_s) {
  if (auto checked = check_values(signature, high_s); !checked)
    return std::unexpected(std::move(checked.error()));
  const auto rs = compact(signature);
  secp256k1_ecdsa_recoverable_signature native;
  TALLY_ASSERT(secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &native, rs.data(),
                                                                   signature.v) == 1);
  secp256k1_pubkey point;
  if (secp256k1_ecdsa_recover(context(), &point, &native, digest.data()) != 1)
    return fail(Errc::verification_failed, "signature: no public key recovers from it");
  return serialize(point);
}

Result<void> verify(const Hash256& digest,
                    const Signature& signature,
                    const PublicKey& public_key,
                    HighS high_s) {
  if (auto checked = check_values(signature, high_s); !checked)
    return checked;
  std::array<Byte, 65> sec1;
  sec1[0] = 0x04;
  std::ranges::copy(public_key.bytes, sec1.begin() + 1);
  secp256k1_pubkey point;
  if (secp256k1_ec_pubkey_parse(context(), &point, sec1.data(), sec1.size()) != 1)
    return fail(Errc::malformed, "public key: not a point on secp256k1");
  const auto rs = compact(signature);
  secp256k1_ecdsa_signature native;
  TALLY_ASSERT(secp256k1_ecdsa_signature_parse_compact(context(), &native, rs.data()) == 1);
  // The library verifies low-s signatures only; under HighS::allow, fold s into the low half.
  secp256k1_ecdsa_signature_normalize(context(), &native, &native);
  if (secp256k1_ecdsa_verify(context(), &native, digest.data(), &point) != 1)
    return fail(Errc::verification_failed, "signature: does not verify against the public key");
  return {};
}

Result<void> check_scalar_range(const Signature& signature) {
  return detail::check_rs_range(signature.r, signature.s, kOrder);
}

}  // namespace tally::secp256k1
