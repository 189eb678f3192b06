#include "sim/byzantine.hpp"

#include <tally/chain/block_seal.hpp>
#include <tally/core/assert.hpp>

namespace tally::sim {

using chain::Message;
using chain::MessageType;
using chain::Payload;

Hash256 ByzantineBehaviour::random_digest() {
  Hash256 digest;
  for (Byte& byte : digest.bytes)
    byte = static_cast<Byte>(rng_());
  return digest;
}

Bytes ByzantineBehaviour::signed_message(Payload payload, std::optional<chain::Block> block) {
  auto signed_payload = chain::SignedPayload::sign(std::move(payload), key_pair_, suite_);
  TALLY_ASSERT(signed_payload.has_value());
  return Message{std::move(*signed_payload), std::move(block), {}, {}}.encode();
}

Payload ByzantineBehaviour::vote(MessageType type,
                                 std::uint64_t block_number,
                                 std::uint32_t round,
                                 const Hash256& digest) {
  Payload payload{type, block_number, round, digest, std::nullopt, {}};
  if (type == MessageType::commit) {
    const auto seal = suite_.sign(chain::commit_seal_hash(digest, round, suite_), key_pair_);
    TALLY_ASSERT(seal.has_value());
    payload.commit_seal.assign(seal->encoded().begin(), seal->encoded().end());
  }
  return payload;
}

Bytes ByzantineBehaviour::equivocate(const Message& proposal) {
  chain::Block other = *proposal.block;
  other.header.timestamp += 1;
  const auto digest = chain::block_digest(other.header, suite_);
  TALLY_ASSERT(digest.has_value());
  other_digest_ = *digest;
  checker_.on_proposed(other);
  Payload payload = proposal.payload();
  payload.digest = *digest;
  auto signed_payload = chain::SignedPayload::sign(std::move(payload), key_pair_, suite_);
  TALLY_ASSERT(signed_payload.has_value());
  return Message{std::move(*signed_payload), std::move(other), proposal.round_changes,
                 proposal.prepares}
      .encode();
}

Bytes ByzantineBehaviour::corrupt_signature(Message message) {
  Bytes& signature = message.signed_payload.signature;
  signature[rng_() % 32] ^= static_cast<Byte>(1 + rng_() % 255);
  return message.encode();
}

Bytes ByzantineBehaviour::tamper(const Bytes& bytes, std::size_t to) {
  auto message = Message::decode(bytes, suite_, signers_);
  TALLY_ASSERT(message.has_value());  // the honest engine inside wrote it
  const Payload& payload = message->payload();
  const bool odd_half = to % 2 == 1;
  if (has(kBadSignatures) && rng_() % 4 == 0)
    return corrupt_signature(std::move(*message));
  if (has(kEquivocate) && payload.type == MessageType::proposal && odd_half)
    return equivocate(*message);
  const bool is_vote = payload.type == MessageType::prepare || payload.type == MessageType::commit;
  if (has(kConflictingVotes) && is_vote && odd_half) {
    const Hash256 other = other_digest_.value_or(random_digest());
    return signed_message(vote(payload.type, payload.block_number, payload.round, other));
  }
  return bytes;
}

std::vector<Bytes> ByzantineBehaviour::forge(std::uint64_t block_number, std::uint32_t round) {
  std::vector<Bytes> out;
  if (has(kUnknownVotes)) {
    const Hash256 unknown = random_digest();
    out.push_back(signed_message(vote(MessageType::prepare, block_number, round, unknown)));
    out.push_back(signed_message(vote(MessageType::commit, block_number, round, unknown)));
  }
  if (has(kFlood)) {
    if (block_number > 1)
      out.push_back(
          signed_message(vote(MessageType::prepare, block_number - 1, round, random_digest())));
    for (const std::uint64_t ahead : {1ULL, 2ULL, 3ULL, 1000ULL}) {
      out.push_back(
          signed_message(vote(MessageType::commit, block_number + ahead, round, random_digest())));
    }
    out.push_back(
        signed_message(vote(MessageType::prepare, block_number, round + 1000, random_digest())));
    Payload far_round{
        MessageType::round_change, block_number, round + 50, Hash256{}, std::nullopt, {}};
    out.push_back(signed_message(std::move(far_round)));
    out.push_back(Bytes(static_cast<std::size_t>(1 + rng_() % 64), static_cast<Byte>(rng_())));
  }
  return out;
}

}  // namespace tally::sim
