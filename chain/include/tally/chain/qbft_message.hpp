#pragma once
// QBFT's four messages, their wire encoding and signatures (the chain suite's).
//
// A payload is what a validator signs: rlp of
//   proposal     [1, block_number, round, digest]
//   prepare      [2, block_number, round, digest]
//   commit       [3, block_number, round, digest, commit_seal]
//   round change [4, block_number, round] or [4, ..., round, prepared_round, prepared_digest]
// A signed payload is rlp([payload, signature]); the signature is over the suite hash of the
// payload's encoding and names its signer (recovered, never sent). A message is
//   rlp([signed payload, block or "", [signed round changes], [signed prepares]])
// where a proposal carries its block, and for a round above 0 the round changes that justify it
// and the prepares of the highest prepared block among them; a round change carries its
// prepared block and the quorum of prepares that prepared it. Prepares and commits carry nothing.
// Decoding checks the shape of each type; whether a message is acceptable is qbft_checks.hpp.

#include <cstdint>
#include <optional>
#include <vector>

#include <tally/chain/block.hpp>
#include <tally/chain/signer_cache.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

// A proposal carries a whole block; beyond this a peer is refused before anything is decoded.
inline constexpr std::size_t kMaxConsensusMessageBytes = 32 * 1024 * 1024;

enum class MessageType : std::uint8_t { proposal = 1, prepare = 2, commit = 3, round_change = 4 };

struct Payload {
  MessageType type = MessageType::prepare;
  std::uint64_t block_number = 0;
  std::uint32_t round = 0;
  Hash256 digest;  // the block; for a round change, the prepared block (zero when none)
  std::optional<std::uint32_t> prepared_round;  // round change only
  Bytes commit_seal;                            // commit only

  Bytes encode() const;
  static Result<Payload> decode(BytesView encoded);
  bool operator==(const Payload&) const = default;
};

struct SignedPayload {
  Payload payload;
  Bytes signature;  // the suite's canonical encoding
  Address signer;   // recovered from the signature

  static Result<SignedPayload> sign(Payload payload,
                                    const KeyPair& key_pair,
                                    const CryptoSuite& suite);
  Bytes encode() const;
  // Recovers the signer (through `signers`): verification_failed or malformed for a bad
  // signature.
  static Result<SignedPayload> decode(BytesView encoded,
                                      const CryptoSuite& suite,
                                      SignerCache& signers);
  bool operator==(const SignedPayload&) const = default;
};

struct Message {
  SignedPayload signed_payload;
  std::optional<Block> block;
  std::vector<SignedPayload> round_changes;
  std::vector<SignedPayload> prepares;

  const Payload& payload() const noexcept { return signed_payload.payload; }
  const Address& signer() const noexcept { return signed_payload.signer; }

  Bytes encode() const;
  static Result<Message> decode(BytesView encoded, const CryptoSuite& suite, SignerCache& signers);
  bool operator==(const Message&) const = default;
};

}  // namespace tally::chain
