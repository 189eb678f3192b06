#include <algorithm>
#include <array>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <tally/core/assert.hpp>
#include <tally/core/hash.hpp>
#include <tally/core/sm2.hpp>

#include "constant_hex.hpp"
#include "openssl_ptr.hpp"
#include "signature_scalars.hpp"

namespace tally::sm2 {
namespace {

using detail::OpenSslPtr;
using PkeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using PkeyCtxPtr = OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using MdCtxPtr = OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;
using BignumPtr = OpenSslPtr<BIGNUM, BN_clear_free>;
using EcdsaSigPtr = OpenSslPtr<ECDSA_SIG, ECDSA_SIG_free>;
using PointPtr = OpenSslPtr<EC_POINT, EC_POINT_clear_free>;
using ParamBldPtr = OpenSslPtr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using ParamPtr = OpenSslPtr<OSSL_PARAM, OSSL_PARAM_free>;
using BioPtr = OpenSslPtr<BIO, BIO_free>;

// The SM2 recommended curve (GB/T 32918.5), big-endian; the coefficients and base point enter Z.
constexpr Hash256 kA =
    detail::constant_hex<32>("fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc");
constexpr Hash256 kB =
    detail::constant_hex<32>("28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93");
constexpr Hash256 kGx =
    detail::constant_hex<32>("32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7");
constexpr Hash256 kGy =
    detail::constant_hex<32>("bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0");
constexpr Hash256 kOrder =
    detail::constant_hex<32>("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123");
constexpr Hash256 kOrderMinus1 =
    detail::constant_hex<32>("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54122");

constexpr std::size_t kMaxDerSize = 72;  // SEQUENCE of two INTEGERs of up to 33 bytes

// A failed OpenSSL call leaves entries on this thread's error queue; drop them so that they do
// not surface later in an unrelated caller's ERR_get_error().
std::unexpected<Error> openssl_failure(Errc code, std::string message) {
  ERR_clear_error();
  return fail(code, std::move(message));
}

// Compares in place: copying the secret into a Hash256 would leave an uncleansed copy behind.
bool valid_private_scalar(BytesView d) {
  const bool zero = std::ranges::all_of(d, [](Byte b) { return b == 0; });
  return !zero && std::ranges::lexicographical_compare(d, kOrderMinus1.bytes);
}

const EC_GROUP* group() {
  static const EC_GROUP* const curve = EC_GROUP_new_by_curve_name(NID_sm2);
  TALLY_ASSERT(curve != nullptr);
  return curve;
}

BignumPtr secret_bignum(BytesView d) {
  BignumPtr out(BN_secure_new());
  TALLY_ASSERT(out != nullptr);
  TALLY_ASSERT(BN_bin2bn(d.data(), static_cast<int>(d.size()), out.get()) != nullptr);
  return out;
}

PublicKey derive_public_key(BytesView d) {
  const BignumPtr scalar = secret_bignum(d);
  const PointPtr point(EC_POINT_new(group()));
  TALLY_ASSERT(point != nullptr);
  TALLY_ASSERT(EC_POINT_mul(group(), point.get(), scalar.get(), nullptr, nullptr, nullptr) == 1);
  std::array<Byte, 65> sec1;
  TALLY_ASSERT(EC_POINT_point2oct(group(), point.get(), POINT_CONVERSION_UNCOMPRESSED, sec1.data(),
                                  sec1.size(), nullptr) == sec1.size());
  PublicKey out;
  std::copy(sec1.begin() + 1, sec1.end(), out.bytes.begin());
  return out;
}

// An EVP_PKEY of type SM2 from the public key, and the private scalar when given. OpenSSL checks
// that the point lies on the curve.
Result<PkeyPtr> make_pkey(const PublicKey& public_key, const PrivateKey* private_key) {
  std::array<Byte, 65> sec1;
  sec1[0] = 0x04;
  std::ranges::copy(public_key.bytes, sec1.begin() + 1);
  const ParamBldPtr builder(OSSL_PARAM_BLD_new());
  TALLY_ASSERT(builder != nullptr);
  BignumPtr scalar;
  bool ok = OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, SN_sm2, 0) &&
            OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, sec1.data(),
                                             sec1.size());
  if (private_key != nullptr) {
    scalar = secret_bignum(private_key->reveal());
    ok = ok && OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, scalar.get());
  }
  const ParamPtr params(ok ? OSSL_PARAM_BLD_to_param(builder.get()) : nullptr);
  const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
  if (params == nullptr || ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1)
    return openssl_failure(Errc::internal, "sm2: cannot set up key import");
  EVP_PKEY* raw = nullptr;
  const int selection = private_key != nullptr ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) != 1)
    return openssl_failure(Errc::malformed, "public key: not a point on the SM2 curve");
  return PkeyPtr(raw);
}

Result<Signature> signature_from_openssl(BytesView der) {
  auto signature = Signature::from_der(der);
  if (!signature)
    return fail(Errc::internal, "sm2: OpenSSL produced an unreadable signature");
  return signature;
}

// A message-digest context whose signature operation uses SM3 and `user_id` for Z. The id is set
// on a key context given to the digest context before initialisation, so OpenSSL applies it when
// the operation starts instead of its own default.
struct DigestOperation {
  PkeyCtxPtr pkey_ctx;  // outlives md_ctx, which borrows it
  MdCtxPtr md_ctx;
};

Result<DigestOperation> start_digest_operation(EVP_PKEY* pkey,
                                               std::string_view user_id,
                                               bool signing) {
  if (user_id.size() > kMaxUserIdBytes)
    return fail(Errc::invalid_argument, str_cat("sm2: user id of ", user_id.size(), " bytes"));
  DigestOperation op{PkeyCtxPtr(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr)),
                     MdCtxPtr(EVP_MD_CTX_new())};
  if (op.pkey_ctx == nullptr || op.md_ctx == nullptr ||
      EVP_PKEY_CTX_set1_id(op.pkey_ctx.get(), user_id.data(), static_cast<int>(user_id.size())) !=
          1)
    return openssl_failure(Errc::internal, "sm2: cannot set the user id");
  EVP_MD_CTX_set_pkey_ctx(op.md_ctx.get(), op.pkey_ctx.get());
  const int started = signing ? EVP_DigestSignInit_ex(op.md_ctx.get(), nullptr, "SM3", nullptr,
                                                      nullptr, pkey, nullptr)
                              : EVP_DigestVerifyInit_ex(op.md_ctx.get(), nullptr, "SM3", nullptr,
                                                        nullptr, pkey, nullptr);
  if (started != 1)
    return openssl_failure(Errc::internal, "sm2: cannot start an SM3 signature operation");
  return op;
}

}  // namespace

Result<PrivateKey> PrivateKey::from_bytes(BytesView bytes) {
  if (bytes.size() != 32)
    return fail(Errc::out_of_range, str_cat("private key: expected 32 bytes, got ", bytes.size()));
  if (!valid_private_scalar(bytes))
    return fail(Errc::out_of_range, "private key: not in [1, n-2]");
  return PrivateKey(SecretBytes<32>(bytes), derive_public_key(bytes));
}

PrivateKey PrivateKey::generate() {
  // Rejection sampling: a uniform 256-bit value falls outside [1, n-2] with probability ~2^-32.
  SecretBytes<32> candidate;
  do {
    TALLY_ASSERT(RAND_priv_bytes(candidate.data(), static_cast<int>(candidate.size())) == 1);
  } while (!valid_private_scalar(candidate.reveal()));
  return PrivateKey(candidate, derive_public_key(candidate.reveal()));
}

FixedBytes<Signature::kSize> Signature::encode() const {
  FixedBytes<kSize> out;
  detail::write_rs(r, s, out.bytes);
  return out;
}

Result<Signature> Signature::decode(BytesView bytes) {
  if (bytes.size() != kSize)
    return fail(Errc::malformed, str_cat("signature: expected 64 bytes, got ", bytes.size()));
  const auto [r, s] = detail::read_rs(bytes.first<kSize>());
  return Signature{r, s};
}

Bytes Signature::to_der() const {
  const EcdsaSigPtr native(ECDSA_SIG_new());
  BIGNUM* r_value = BN_bin2bn(r.data(), 32, nullptr);
  BIGNUM* s_value = BN_bin2bn(s.data(), 32, nullptr);
  TALLY_ASSERT(native != nullptr && r_value != nullptr && s_value != nullptr);
  TALLY_ASSERT(ECDSA_SIG_set0(native.get(), r_value, s_value) == 1);  // takes both
  const int size = i2d_ECDSA_SIG(native.get(), nullptr);
  TALLY_ASSERT(size > 0);
  Bytes out(static_cast<std::size_t>(size));
  Byte* cursor = out.data();
  TALLY_ASSERT(i2d_ECDSA_SIG(native.get(), &cursor) == size);
  return out;
}

Result<Signature> Signature::from_der(BytesView der) {
  const Byte* cursor = der.data();
  const EcdsaSigPtr native(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
  if (native == nullptr)
    return openssl_failure(Errc::malformed, "signature: not a DER SEQUENCE of two INTEGERs");
  const auto consumed = static_cast<std::size_t>(cursor - der.data());
  if (consumed != der.size())
    return fail(Errc::malformed, str_cat("signature: trailing bytes at offset ", consumed));
  const BIGNUM* r_value = ECDSA_SIG_get0_r(native.get());
  const BIGNUM* s_value = ECDSA_SIG_get0_s(native.get());
  if (BN_is_negative(r_value) || BN_num_bytes(r_value) > 32)
    return fail(Errc::malformed, "signature: r is negative or wider than 256 bits");
  if (BN_is_negative(s_value) || BN_num_bytes(s_value) > 32)
    return fail(Errc::malformed, "signature: s is negative or wider than 256 bits");
  Signature out;
  TALLY_ASSERT(BN_bn2binpad(r_value, out.r.data(), 32) == 32);
  TALLY_ASSERT(BN_bn2binpad(s_value, out.s.data(), 32) == 32);
  // DER has one encoding per value; BER leniencies (long-form lengths, padding) would make a
  // signature malleable in its byte form.
  const Bytes canonical = out.to_der();
  if (!std::ranges::equal(canonical, der))
    return fail(Errc::malformed, "signature: not in canonical DER");
  return out;
}

Result<Hash256> compute_z(const PublicKey& public_key, std::string_view user_id) {
  if (user_id.size() > kMaxUserIdBytes)
    return fail(Errc::invalid_argument, str_cat("sm2: user id of ", user_id.size(), " bytes"));
  const std::size_t id_bits = user_id.size() * 8;
  Bytes input;
  input.reserve(2 + user_id.size() + 4 * 32 + public_key.size());
  input.push_back(static_cast<Byte>(id_bits >> 8));
  input.push_back(static_cast<Byte>(id_bits & 0xff));
  const BytesView id = as_bytes(user_id);
  input.insert(input.end(), id.begin(), id.end());
  for (const Hash256* part : {&kA, &kB, &kGx, &kGy})
    input.insert(input.end(), part->bytes.begin(), part->bytes.end());
  input.insert(input.end(), public_key.bytes.begin(), public_key.bytes.end());
  return sm3(input);
}

Result<Hash256> message_digest(const PublicKey& public_key,
                               BytesView message,
                               std::string_view user_id) {
  const auto z = compute_z(public_key, user_id);
  if (!z)
    return std::unexpected(z.error());
  Bytes input(z->bytes.begin(), z->bytes.end());
  input.insert(input.end(), message.begin(), message.end());
  return sm3(input);
}

Result<Signature> sign(BytesView message, const PrivateKey& key, std::string_view user_id) {
  auto pkey = make_pkey(key.public_key(), &key);
  if (!pkey)
    return std::unexpected(std::move(pkey.error()));
  auto op = start_digest_operation(pkey->get(), user_id, /*signing=*/true);
  if (!op)
    return std::unexpected(std::move(op.error()));
  std::array<Byte, kMaxDerSize> der;
  std::size_t size = der.size();
  if (EVP_DigestSign(op->md_ctx.get(), der.data(), &size, message.data(), message.size()) != 1)
    return openssl_failure(Errc::internal, "sm2: signing failed");
  return signature_from_openssl(BytesView(der.data(), size));
}

Result<void> verify(BytesView message,
                    const Signature& signature,
                    const PublicKey& public_key,
                    std::string_view user_id) {
  if (auto checked = detail::check_rs_range(signature.r, signature.s, kOrder); !checked)
    return in_context(std::move(checked), "signature");
  auto pkey = make_pkey(public_key, nullptr);
  if (!pkey)
    return std::unexpected(std::move(pkey.error()));
  auto op = start_digest_operation(pkey->get(), user_id, /*signing=*/false);
  if (!op)
    return std::unexpected(std::move(op.error()));
  const Bytes der = signature.to_der();
  if (EVP_DigestVerify(op->md_ctx.get(), der.data(), der.size(), message.data(), message.size()) !=
      1)
    return openssl_failure(Errc::verification_failed, "signature: does not verify");
  return {};
}

Result<Signature> sign_digest(const Hash256& e, const PrivateKey& key) {
  auto pkey = make_pkey(key.public_key(), &key);
  if (!pkey)
    return std::unexpected(std::move(pkey.error()));
  const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey->get(), nullptr));
  std::array<Byte, kMaxDerSize> der;
  std::size_t size = der.size();
  if (ctx == nullptr || EVP_PKEY_sign_init(ctx.get()) != 1 ||
      EVP_PKEY_sign(ctx.get(), der.data(), &size, e.data(), e.size()) != 1)
    return openssl_failure(Errc::internal, "sm2: signing failed");
  return signature_from_openssl(BytesView(der.data(), size));
}

Result<void> verify_digest(const Hash256& e,
                           const Signature& signature,
                           const PublicKey& public_key) {
  if (auto checked = detail::check_rs_range(signature.r, signature.s, kOrder); !checked)
    return in_context(std::move(checked), "signature");
  auto pkey = make_pkey(public_key, nullptr);
  if (!pkey)
    return std::unexpected(std::move(pkey.error()));
  const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey->get(), nullptr));
  if (ctx == nullptr || EVP_PKEY_verify_init(ctx.get()) != 1)
    return openssl_failure(Errc::internal, "sm2: cannot start verification");
  const Bytes der = signature.to_der();
  if (EVP_PKEY_verify(ctx.get(), der.data(), der.size(), e.data(), e.size()) != 1)
    return openssl_failure(Errc::verification_failed, "signature: does not verify");
  return {};
}

Result<std::string> public_key_to_pem(const PublicKey& public_key) {
  auto pkey = make_pkey(public_key, nullptr);
  if (!pkey)
    return std::unexpected(std::move(pkey.error()));
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_PUBKEY(bio.get(), pkey->get()) != 1)
    return openssl_failure(Errc::internal, "sm2: cannot write PEM");
  char* text = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &text);
  return std::string(text, static_cast<std::size_t>(size));
}

Result<PublicKey> public_key_from_pem(std::string_view pem) {
  const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  TALLY_ASSERT(bio != nullptr);
  const PkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (pkey == nullptr)
    return openssl_failure(Errc::malformed, "pem: not a PEM public key");
  std::array<char, 16> curve{};
  std::size_t curve_size = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve.data(),
                                     curve.size(), &curve_size) != 1 ||
      std::string_view(curve.data(), curve_size) != SN_sm2)
    return openssl_failure(Errc::unsupported, "pem: not a public key on the SM2 curve");
  BIGNUM* x = nullptr;
  BIGNUM* y = nullptr;
  const bool got = EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1 &&
                   EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1;
  const BignumPtr x_owner(x);
  const BignumPtr y_owner(y);
  if (!got)
    return openssl_failure(Errc::malformed, "pem: public key without a point");
  PublicKey out;
  TALLY_ASSERT(BN_bn2binpad(x, out.data(), 32) == 32);
  TALLY_ASSERT(BN_bn2binpad(y, out.data() + 32, 32) == 32);
  return out;
}

Result<void> check_scalar_range(const Signature& signature) {
  return detail::check_rs_range(signature.r, signature.s, kOrder);
}

}  // namespace tally::sm2
