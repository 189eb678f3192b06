// Hashes and signatures. BM_OpenSslSha3_256 is a peer, not a Tally function: SHA3-256 runs the same
// Keccak-f[1600] permutation at the same rate as Keccak-256 (only the pad byte differs), so the
// ratio of the two shows how our permutation compares with OpenSSL's (assembly on x86-64).

#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <tally/core/crypto_suite.hpp>
#include <tally/core/hash.hpp>
#include <tally/core/keccak.hpp>
#include <tally/core/secp256k1.hpp>
#include <tally/core/sm2.hpp>

namespace {

using namespace tally;

Bytes pattern(benchmark::State& state) {
  Bytes out(static_cast<std::size_t>(state.range(0)));
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<Byte>(i * 131 + 7);
  return out;
}

void set_bytes(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

#define TALLY_HASH_SIZES ->Arg(32)->Arg(1024)->Arg(1 << 20)

void BM_Keccak256(benchmark::State& state) {
  const Bytes data = pattern(state);
  for (auto _ : state)
    benchmark::DoNotOptimize(keccak256(data));
  set_bytes(state);
}
BENCHMARK(BM_Keccak256) TALLY_HASH_SIZES;

void BM_OpenSslSha3_256(benchmark::State& state) {
  const Bytes data = pattern(state);
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA3-256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char out[32];
  unsigned int size = 0;
  for (auto _ : state) {
    EVP_DigestInit_ex2(ctx, md, nullptr);
    EVP_DigestUpdate(ctx, data.data(), data.size());
    EVP_DigestFinal_ex(ctx, out, &size);
    benchmark::DoNotOptimize(out);
  }
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(md);
  set_bytes(state);
}
BENCHMARK(BM_OpenSslSha3_256) TALLY_HASH_SIZES;

void BM_Sha256(benchmark::State& state) {
  const Bytes data = pattern(state);
  for (auto _ : state)
    benchmark::DoNotOptimize(sha256(data));
  set_bytes(state);
}
BENCHMARK(BM_Sha256) TALLY_HASH_SIZES;

void BM_Sm3(benchmark::State& state) {
  const Bytes data = pattern(state);
  for (auto _ : state)
    benchmark::DoNotOptimize(sm3(data));
  set_bytes(state);
}
BENCHMARK(BM_Sm3) TALLY_HASH_SIZES;

void BM_Ripemd160(benchmark::State& state) {
  const Bytes data = pattern(state);
  for (auto _ : state)
    benchmark::DoNotOptimize(ripemd160(data));
  set_bytes(state);
}
BENCHMARK(BM_Ripemd160)->Arg(32)->Arg(1024);

const Hash256 kDigest = keccak256(as_bytes("benchmark digest"));

void BM_Secp256k1Sign(benchmark::State& state) {
  const auto key = secp256k1::PrivateKey::generate();
  for (auto _ : state)
    benchmark::DoNotOptimize(secp256k1::sign(kDigest, key));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Secp256k1Sign);

void BM_Secp256k1Recover(benchmark::State& state) {
  const auto key = secp256k1::PrivateKey::generate();
  const auto signature = secp256k1::sign(kDigest, key);
  for (auto _ : state)
    benchmark::DoNotOptimize(secp256k1::recover(kDigest, signature));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Secp256k1Recover);

void BM_Secp256k1Verify(benchmark::State& state) {
  const auto key = secp256k1::PrivateKey::generate();
  const auto public_key = secp256k1::derive_public_key(key);
  const auto signature = secp256k1::sign(kDigest, key);
  for (auto _ : state)
    benchmark::DoNotOptimize(secp256k1::verify(kDigest, signature, public_key));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Secp256k1Verify);

void BM_Sm2Sign(benchmark::State& state) {
  const auto key = sm2::PrivateKey::generate();
  for (auto _ : state)
    benchmark::DoNotOptimize(sm2::sign(kDigest.view(), key));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Sm2Sign);

void BM_Sm2Verify(benchmark::State& state) {
  const auto key = sm2::PrivateKey::generate();
  const auto signature = sm2::sign(kDigest.view(), key).value();
  for (auto _ : state)
    benchmark::DoNotOptimize(sm2::verify(kDigest.view(), signature, key.public_key()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Sm2Verify);

// "Who signed this transaction": what a node runs for every incoming tx, per suite.
void BM_SuiteRecoverSigner(benchmark::State& state) {
  const CryptoSuite suite(static_cast<SuiteId>(state.range(0)));
  const KeyPair key_pair = suite.generate_key_pair();
  const Hash256 hash = suite.hash(as_bytes("tx"));
  const Signature signature = suite.sign(hash, key_pair).value();
  for (auto _ : state)
    benchmark::DoNotOptimize(suite.recover_signer(hash, signature));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetLabel(std::string(suite.name()));
}
BENCHMARK(BM_SuiteRecoverSigner)
    ->Arg(static_cast<int>(SuiteId::standard))
    ->Arg(static_cast<int>(SuiteId::guomi));

}  // namespace
