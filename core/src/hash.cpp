#include <openssl/evp.h>
#include <openssl/provider.h>

#include <tally/core/assert.hpp>
#include <tally/core/hash.hpp>

#include "openssl_ptr.hpp"

namespace tally {
namespace {

// Fetches a digest by name from the default providers; if that fails, loads the legacy provider
// (keeping the default one available) and tries again. Called once per digest, under the static
// initialisation guard of the caller, so the provider loads happen at most once.
const EVP_MD* fetch_digest(const char* name) {
  if (EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr))
    return md;
  OSSL_PROVIDER_load(nullptr, "default");
  OSSL_PROVIDER_load(nullptr, "legacy");
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  TALLY_ASSERT(md != nullptr && "digest missing from this OpenSSL build");
  return md;  // held for the life of the process
}

// One digest context per thread, reused: allocating a context costs more than hashing 32 bytes.
EVP_MD_CTX* thread_context() {
  thread_local const detail::OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free> ctx(EVP_MD_CTX_new());
  TALLY_ASSERT(ctx != nullptr);
  return ctx.get();
}

template <std::size_t N>
FixedBytes<N> digest(const EVP_MD* md, BytesView data) {
  TALLY_ASSERT(static_cast<std::size_t>(EVP_MD_get_size(md)) == N);
  EVP_MD_CTX* ctx = thread_context();
  FixedBytes<N> out;
  unsigned int size = 0;
  const bool ok = EVP_DigestInit_ex2(ctx, md, nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, data.data(), data.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, out.data(), &size) == 1;
  TALLY_ASSERT(ok && size == N);
  return out;
}

const EVP_MD* sha256_md() {
  static const EVP_MD* const md = fetch_digest("SHA2-256");
  return md;
}

}  // namespace

Hash256 sha256(BytesView data) {
  return digest<32>(sha256_md(), data);
}

Ripemd160Digest ripemd160(BytesView data) {
  static const EVP_MD* const md = fetch_digest("RIPEMD-160");
  return digest<20>(md, data);
}

Hash256 sm3(BytesView data) {
  static const EVP_MD* const md = fetch_digest("SM3");
  return digest<32>(md, data);
}

struct Sha256Stream::Context {
  detail::OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free> ctx{EVP_MD_CTX_new()};
};

namespace {

void start(EVP_MD_CTX* ctx) {
  const bool ok = ctx != nullptr && EVP_DigestInit_ex2(ctx, sha256_md(), nullptr) == 1;
  TALLY_ASSERT(ok);
}

}  // namespace

Sha256Stream::Sha256Stream() : context_(std::make_unique<Context>()) {
  start(context_->ctx.get());
}
Sha256Stream::Sha256Stream(Sha256Stream&&) noexcept = default;
Sha256Stream& Sha256Stream::operator=(Sha256Stream&&) noexcept = default;
Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::update(BytesView data) {
  const bool ok = EVP_DigestUpdate(context_->ctx.get(), data.data(), data.size()) == 1;
  TALLY_ASSERT(ok);
}

Hash256 Sha256Stream::finish() {
  Hash256 out;
  unsigned int size = 0;
  const bool ok = EVP_DigestFinal_ex(context_->ctx.get(), out.data(), &size) == 1;
  TALLY_ASSERT(ok && size == 32);
  start(context_->ctx.get());
  return out;
}

}  // namespace tally
