#pragma once
// SHA-256, RIPEMD-160 and SM3 (GB/T 32905), computed by OpenSSL 3. SHA-256 and RIPEMD-160 back the
// EVM precompiles 0x02 and 0x03; SM3 is the guomi suite's hash. Keccak-256 is in keccak.hpp.
//
// The digests are fetched from OpenSSL once per process. If this OpenSSL build lacks one of them
// (RIPEMD-160 sits in the legacy provider of OpenSSL releases before 3.0.7), the legacy provider
// is loaded; a build that still lacks it stops the process at first use, since a node that cannot
// hash cannot run.

#include <memory>

#include <tally/core/bytes.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally {

using Ripemd160Digest = FixedBytes<20>;

Hash256 sha256(BytesView data);
Ripemd160Digest ripemd160(BytesView data);
Hash256 sm3(BytesView data);

// SHA-256 of data that arrives in pieces (a file read in chunks): the digest of the pieces'
// concatenation, without holding them all.
class Sha256Stream {
 public:
  Sha256Stream();
  Sha256Stream(Sha256Stream&&) noexcept;
  Sha256Stream& operator=(Sha256Stream&&) noexcept;
  ~Sha256Stream();

  void update(BytesView data);
  // The digest of everything given so far; the stream starts over afterwards.
  Hash256 finish();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

}  // namespace tally
