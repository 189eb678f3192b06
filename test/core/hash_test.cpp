#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <tally/core/hash.hpp>

namespace tally {
namespace {

// Known answers: SHA-256 from FIPS 180-2 appendix B, RIPEMD-160 from the designers' page
// (Dobbertin, Bosselaers, Preneel), SM3 from GB/T 32905-2016 appendix A.

const std::string kMillionA(1'000'000, 'a');

TEST(Sha256, NistKnownAnswers) {
  EXPECT_EQ(sha256({}).hex(false),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256(as_bytes("abc")).hex(false),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256(as_bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).hex(false),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256(as_bytes(kMillionA)).hex(false),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Stream, PiecesOfAnySizeGiveTheDigestOfTheWhole) {
  Sha256Stream stream;
  const BytesView all = as_bytes(kMillionA);
  // Uneven pieces, crossing the 64-byte block boundary at every offset.
  std::size_t taken = 0;
  for (std::size_t piece = 1; taken < all.size(); piece = piece % 131 + 1) {
    const std::size_t n = std::min(piece, all.size() - taken);
    stream.update(all.subspan(taken, n));
    taken += n;
  }
  EXPECT_EQ(stream.finish().hex(false),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // finish() starts over: the next digest is of what comes after it only.
  stream.update(as_bytes("abc"));
  EXPECT_EQ(stream.finish(), sha256(as_bytes("abc")));
  EXPECT_EQ(stream.finish(), sha256({}));
}

TEST(Ripemd160, DesignersKnownAnswers) {
  EXPECT_EQ(ripemd160({}).hex(false), "9c1185a5c5e9fc54612808977ee8f548b2258d31");
  EXPECT_EQ(ripemd160(as_bytes("abc")).hex(false), "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc");
  EXPECT_EQ(ripemd160(as_bytes("message digest")).hex(false),
            "5d0689ef49d2fae572b881b123a85ffa21595f36");
  std::string digits80;
  for (int i = 0; i < 8; ++i)
    digits80 += "1234567890";
  EXPECT_EQ(ripemd160(as_bytes(digits80)).hex(false), "9b752e45573d4b39f4dbd3323cab82bf63326bfb");
  EXPECT_EQ(ripemd160(as_bytes(kMillionA)).hex(false), "52783243c1697bdbe16d37f97f68f08325dc1528");
}

TEST(Sm3, StandardExamples) {
  EXPECT_EQ(sm3(as_bytes("abc")).hex(false),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  std::string abcd16;
  for (int i = 0; i < 16; ++i)
    abcd16 += "abcd";
  EXPECT_EQ(sm3(as_bytes(abcd16)).hex(false),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

TEST(Hashes, SameAnswersFromConcurrentThreads) {
  // Each thread reuses its own OpenSSL digest context; interleaved digests must not mix.
  const Hash256 expected_sha = sha256(as_bytes("abc"));
  const Hash256 expected_sm3 = sm3(as_bytes("abc"));
  const auto expected_ripemd = ripemd160(as_bytes("abc"));
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < failures.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        failures[t] += sha256(as_bytes("abc")) != expected_sha;
        failures[t] += sm3(as_bytes("abc")) != expected_sm3;
        failures[t] += ripemd160(as_bytes("abc")) != expected_ripemd;
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace tally
