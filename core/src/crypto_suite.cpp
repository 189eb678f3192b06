#include <algorithm>

#include <tally/core/assert.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/hash.hpp>
#include <tally/core/keccak.hpp>

namespace tally {
namespace {

bool is_known(SuiteId id) noexcept {
  return id == SuiteId::standard || id == SuiteId::guomi;
}

std::unexpected<Error> wrong_suite(std::string_view what, SuiteId got, SuiteId expected) {
  return fail(Errc::invalid_argument, str_cat(what, " of suite ", suite_name(got),
                                              " given to suite ", suite_name(expected)));
}

}  // namespace

std::string_view suite_name(SuiteId id) noexcept {
  switch (id) {
    case SuiteId::standard:
      return "standard";
    case SuiteId::guomi:
      return "guomi";
  }
  return "unknown";
}

Result<SuiteId> parse_suite_id(std::string_view name) {
  if (name == "standard")
    return SuiteId::standard;
  if (name == "guomi")
    return SuiteId::guomi;
  return fail(Errc::invalid_argument,
              str_cat("crypto suite: \"", name, "\" is not \"standard\" or \"guomi\""));
}

Result<SuiteId> suite_id_from_value(std::uint8_t value) {
  const auto id = static_cast<SuiteId>(value);
  if (!is_known(id))
    return fail(Errc::unsupported, str_cat("crypto suite: unknown id ", value));
  return id;
}

SuiteId KeyPair::suite() const noexcept {
  return std::holds_alternative<StandardKey>(key_) ? SuiteId::standard : SuiteId::guomi;
}

const PublicKey& KeyPair::public_key() const noexcept {
  if (const auto* standard = std::get_if<StandardKey>(&key_))
    return standard->public_key;
  return std::get<sm2::PrivateKey>(key_).public_key();
}

BytesView KeyPair::reveal_private_key() const& noexcept {
  if (const auto* standard = std::get_if<StandardKey>(&key_))
    return standard->key.reveal();
  return std::get<sm2::PrivateKey>(key_).reveal();
}

Signature Signature::from_standard(const secp256k1::Signature& signature) {
  Signature out(SuiteId::standard);
  const auto encoded = signature.encode();
  std::ranges::copy(encoded.bytes, out.bytes_.begin());
  return out;
}

Signature Signature::from_guomi(const sm2::Signature& signature, const PublicKey& public_key) {
  Signature out(SuiteId::guomi);
  const auto encoded = signature.encode();
  std::ranges::copy(encoded.bytes, out.bytes_.begin());
  std::ranges::copy(public_key.bytes, out.bytes_.begin() + sm2::Signature::kSize);
  return out;
}

Result<Signature> Signature::decode(SuiteId suite, BytesView bytes) {
  TALLY_ASSERT(is_known(suite));
  const std::size_t expected = encoded_size(suite);
  if (bytes.size() != expected) {
    return fail(Errc::malformed, str_cat("signature: a ", suite_name(suite), " signature has ",
                                         expected, " bytes, got ", bytes.size()));
  }
  Signature out(suite);
  std::ranges::copy(bytes, out.bytes_.begin());
  return out;
}

secp256k1::Signature Signature::standard() const {
  TALLY_ASSERT(suite_ == SuiteId::standard);
  return secp256k1::Signature::decode(encoded()).value();
}

sm2::Signature Signature::guomi() const {
  TALLY_ASSERT(suite_ == SuiteId::guomi);
  return sm2::Signature::decode(encoded().first(sm2::Signature::kSize)).value();
}

PublicKey Signature::guomi_public_key() const {
  TALLY_ASSERT(suite_ == SuiteId::guomi);
  return PublicKey::from_span(encoded().subspan(sm2::Signature::kSize)).value();
}

CryptoSuite::CryptoSuite(SuiteId id) : id_(id) {
  TALLY_ASSERT(is_known(id));
}

Result<CryptoSuite> CryptoSuite::from_name(std::string_view name) {
  const auto id = parse_suite_id(name);
  if (!id)
    return std::unexpected(id.error());
  return CryptoSuite(*id);
}

Hash256 CryptoSuite::hash(BytesView data) const {
  return id_ == SuiteId::standard ? keccak256(data) : sm3(data);
}

KeyPair CryptoSuite::generate_key_pair() const {
  if (id_ == SuiteId::standard) {
    auto key = secp256k1::PrivateKey::generate();
    const PublicKey public_key = secp256k1::derive_public_key(key);
    return KeyPair(KeyPair::StandardKey{std::move(key), public_key});
  }
  return KeyPair(sm2::PrivateKey::generate());
}

Result<KeyPair> CryptoSuite::key_pair_from_private_key(BytesView private_key) const {
  if (id_ == SuiteId::standard) {
    auto key = secp256k1::PrivateKey::from_bytes(private_key);
    if (!key)
      return std::unexpected(std::move(key.error()));
    const PublicKey public_key = secp256k1::derive_public_key(*key);
    return KeyPair(KeyPair::StandardKey{std::move(*key), public_key});
  }
  auto key = sm2::PrivateKey::from_bytes(private_key);
  if (!key)
    return std::unexpected(std::move(key.error()));
  return KeyPair(std::move(*key));
}

Result<Signature> CryptoSuite::sign(const Hash256& hash, const KeyPair& key_pair) const {
  if (key_pair.suite() != id_)
    return wrong_suite("key pair", key_pair.suite(), id_);
  if (const auto* standard = std::get_if<KeyPair::StandardKey>(&key_pair.key_))
    return Signature::from_standard(secp256k1::sign(hash, standard->key));
  const auto& key = std::get<sm2::PrivateKey>(key_pair.key_);
  const auto signature = sm2::sign(hash.view(), key);
  if (!signature)
    return std::unexpected(signature.error());
  return Signature::from_guomi(*signature, key.public_key());
}

Result<PublicKey> CryptoSuite::recover_signer(const Hash256& hash,
                                              const Signature& signature) const {
  if (signature.suite() != id_)
    return wrong_suite("signature", signature.suite(), id_);
  if (id_ == SuiteId::standard)
    return secp256k1::recover(hash, signature.standard(), secp256k1::HighS::reject);
  const PublicKey public_key = signature.guomi_public_key();
  if (auto verified = sm2::verify(hash.view(), signature.guomi(), public_key); !verified)
    return std::unexpected(std::move(verified.error()));
  return public_key;
}

Result<void> CryptoSuite::verify(const Hash256& hash,
                                 const Signature& signature,
                                 const PublicKey& public_key) const {
  const auto signer = recover_signer(hash, signature);
  if (!signer)
    return std::unexpected(signer.error());
  if (*signer != public_key)
    return fail(Errc::verification_failed, "signature: signed by a different key");
  return {};
}

Address CryptoSuite::address(const PublicKey& public_key) const {
  const Hash256 digest = hash(public_key.view());
  Address out;
  std::copy(digest.bytes.end() - Address::kSize, digest.bytes.end(), out.bytes.begin());
  return out;
}

}  // namespace tally
