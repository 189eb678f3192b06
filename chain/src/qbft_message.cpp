#include <tally/chain/extra_data.hpp>
#include <tally/chain/qbft_message.hpp>
#include <tally/core/rlp.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace {

Result<MessageType> read_type(RlpReader& reader) {
  TALLY_TRY(const std::uint64_t type, in_context(reader.read_uint64(), "payload: type"));
  if (type < 1 || type > 4)
    return fail(Errc::malformed, str_cat("payload: type: unknown ", type));
  return static_cast<MessageType>(type);
}

Result<std::uint32_t> read_round(RlpReader& reader, std::string_view name) {
  TALLY_TRY(const std::uint64_t round, in_context(reader.read_uint64(), name));
  if (round > UINT32_MAX)
    return fail(Errc::out_of_range, str_cat(name, ": ", round, " exceeds 32 bits"));
  return static_cast<std::uint32_t>(round);
}

Result<void> read_justification(RlpReader& reader,
                                const CryptoSuite& suite,
                                SignerCache& signers,
                                std::string_view name,
                                std::vector<SignedPayload>& out) {
  TALLY_TRY(RlpReader list, in_context(reader.read_list(), name));
  while (!list.at_end()) {
    if (out.size() == kMaxValidators)
      return fail(Errc::limit_exceeded, str_cat(name, ": more than ", kMaxValidators));
    const std::string place = str_cat(name, " ", out.size());
    TALLY_TRY(const BytesView raw, in_context(list.read_raw(), place));
    TALLY_TRY(SignedPayload signed_payload,
              in_context(SignedPayload::decode(raw, suite, signers), place));
    out.push_back(std::move(signed_payload));
  }
  return {};
}

// The parts each type carries, and only those.
Result<void> check_shape(const Message& message) {
  const Payload& payload = message.payload();
  const bool has_prepares = !message.prepares.empty();
  const bool has_changes = !message.round_changes.empty();
  switch (payload.type) {
    case MessageType::proposal:
      if (!message.block)
        return fail(Errc::malformed, "proposal: no block");
      return {};
    case MessageType::prepare:
    case MessageType::commit:
      if (message.block || has_prepares || has_changes)
        return fail(Errc::malformed, "vote: carries a block or a justification");
      return {};
    case MessageType::round_change:
      if (has_changes)
        return fail(Errc::malformed, "round change: carries round changes");
      if (payload.prepared_round.has_value() != message.block.has_value() ||
          payload.prepared_round.has_value() != has_prepares)
        return fail(Errc::malformed, "round change: prepared round, block and prepares disagree");
      return {};
  }
  return {};
}

}  // namespace

Bytes Payload::encode() const {
  RlpWriter writer;
  writer.begin_list();
  writer.add_uint(static_cast<std::uint8_t>(type));
  writer.add_uint(block_number);
  writer.add_uint(round);
  if (type != MessageType::round_change) {
    writer.add_string(digest.view());
  } else if (prepared_round) {
    writer.add_uint(*prepared_round);
    writer.add_string(digest.view());
  }
  if (type == MessageType::commit)
    writer.add_string(commit_seal);
  writer.end_list();
  return writer.finish();
}

Result<Payload> Payload::decode(BytesView encoded) {
  TALLY_TRY(RlpReader reader, in_context(rlp_open_list(encoded), "payload"));
  Payload payload;
  TALLY_TRY(payload.type, read_type(reader));
  TALLY_TRY(payload.block_number, in_context(reader.read_uint64(), "payload: block_number"));
  TALLY_TRY(payload.round, read_round(reader, "payload: round"));
  if (payload.type == MessageType::round_change && !reader.at_end()) {
    TALLY_TRY(payload.prepared_round, read_round(reader, "payload: prepared_round"));
  }
  if (payload.type != MessageType::round_change || payload.prepared_round) {
    TALLY_TRY(payload.digest, in_context(reader.read_fixed<32>(), "payload: digest"));
  }
  if (payload.type == MessageType::commit) {
    TALLY_TRY(const BytesView seal, in_context(reader.read_string(), "payload: commit_seal"));
    if (seal.size() > kMaxSealBytes)
      return fail(Errc::limit_exceeded, "payload: commit_seal too long");
    payload.commit_seal.assign(seal.begin(), seal.end());
  }
  TALLY_TRY_VOID(in_context(reader.finish(), "payload: after the last field"));
  return payload;
}

Result<SignedPayload> SignedPayload::sign(Payload payload,
                                          const KeyPair& key_pair,
                                          const CryptoSuite& suite) {
  TALLY_TRY(const Signature signature, suite.sign(suite.hash(payload.encode()), key_pair));
  const BytesView encoded = signature.encoded();
  return SignedPayload{std::move(payload), Bytes(encoded.begin(), encoded.end()),
                       suite.address(key_pair.public_key())};
}

Bytes SignedPayload::encode() const {
  RlpWriter writer;
  writer.begin_list();
  writer.add_raw(payload.encode());
  writer.add_string(signature);
  writer.end_list();
  return writer.finish();
}

Result<SignedPayload> SignedPayload::decode(BytesView encoded,
                                            const CryptoSuite& suite,
                                            SignerCache& signers) {
  TALLY_TRY(RlpReader reader, in_context(rlp_open_list(encoded), "signed payload"));
  TALLY_TRY(const BytesView raw_payload, in_context(reader.read_raw(), "signed payload"));
  TALLY_TRY(const BytesView raw_signature, in_context(reader.read_string(), "signature"));
  TALLY_TRY_VOID(in_context(reader.finish(), "signed payload: after the signature"));
  SignedPayload out;
  TALLY_TRY(out.payload, Payload::decode(raw_payload));
  TALLY_TRY(out.signer, in_context(signers.recover(suite, suite.hash(raw_payload), raw_signature),
                                   "signature"));
  out.signature.assign(raw_signature.begin(), raw_signature.end());
  return out;
}

Bytes Message::encode() const {
  RlpWriter writer;
  writer.begin_list();
  writer.add_raw(signed_payload.encode());
  if (block)
    writer.add_raw(block->encode());
  else
    writer.add_string({});
  for (const auto* list : {&round_changes, &prepares}) {
    writer.begin_list();
    for (const SignedPayload& item : *list)
      writer.add_raw(item.encode());
    writer.end_list();
  }
  writer.end_list();
  return writer.finish();
}

Result<Message> Message::decode(BytesView encoded, const CryptoSuite& suite, SignerCache& signers) {
  if (encoded.size() > kMaxConsensusMessageBytes) {
    return fail(Errc::limit_exceeded, str_cat("consensus message: ", encoded.size(),
                                              " bytes exceeds ", kMaxConsensusMessageBytes));
  }
  TALLY_TRY(RlpReader reader, in_context(rlp_open_list(encoded), "consensus message"));
  Message message;
  TALLY_TRY(const BytesView raw_signed, in_context(reader.read_raw(), "consensus message"));
  TALLY_TRY(message.signed_payload, SignedPayload::decode(raw_signed, suite, signers));
  TALLY_TRY(const RlpKind kind, in_context(reader.peek_kind(), "consensus message: block"));
  if (kind == RlpKind::list) {
    TALLY_TRY(const BytesView raw_block, reader.read_raw());
    TALLY_TRY(message.block, in_context(Block::decode(raw_block), "consensus message"));
  } else {
    TALLY_TRY(const BytesView empty, in_context(reader.read_string(), "consensus message: block"));
    if (!empty.empty())
      return fail(Errc::malformed, "consensus message: block: neither a block nor empty");
  }
  TALLY_TRY_VOID(read_justification(reader, suite, signers, "round change", message.round_changes));
  TALLY_TRY_VOID(read_justification(reader, suite, signers, "prepare", message.prepares));
  TALLY_TRY_VOID(in_context(reader.finish(), "consensus message: after the prepares"));
  TALLY_TRY_VOID(check_shape(message));
  return message;
}

}  // namespace tally::chain
