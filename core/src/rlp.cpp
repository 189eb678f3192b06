#include <tally/core/rlp.hpp>

namespace tally {
namespace {

// Depth is bounded by kRlpMaxDepth through RlpReader::read_list, so recursion is safe here.
Result<RlpItem> decode_item(RlpReader& reader) {
  auto kind = reader.peek_kind();
  if (!kind)
    return std::unexpected(std::move(kind.error()));
  if (*kind == RlpKind::string) {
    auto bytes = reader.read_string();
    if (!bytes)
      return std::unexpected(std::move(bytes.error()));
    return RlpItem::string(*bytes);
  }
  auto inner = reader.read_list();
  if (!inner)
    return std::unexpected(std::move(inner.error()));
  RlpItem list = RlpItem::list({});
  while (!inner->at_end()) {
    auto element = decode_item(*inner);
    if (!element)
      return element;
    list.items.push_back(std::move(*element));
  }
  return list;
}

void append_string(std::string& out, const RlpItem& item) {
  if (!item.is_list) {
    out += to_hex(item.bytes);
    return;
  }
  out += '[';
  for (std::size_t i = 0; i < item.items.size(); ++i) {
    if (i != 0)
      out += ", ";
    append_string(out, item.items[i]);
  }
  out += ']';
}

}  // namespace

RlpItem RlpItem::uint(std::uint64_t value) {
  RlpItem item;
  for (; value != 0; value >>= 8)
    item.bytes.insert(item.bytes.begin(), static_cast<Byte>(value & 0xff));
  return item;
}

void append_rlp(RlpWriter& writer, const RlpItem& item) {
  if (!item.is_list) {
    writer.add_string(item.bytes);
    return;
  }
  writer.begin_list();
  for (const RlpItem& element : item.items)
    append_rlp(writer, element);
  writer.end_list();
}

Bytes rlp_encode(const RlpItem& item) {
  RlpWriter writer;
  append_rlp(writer, item);
  return writer.finish();
}

Result<RlpItem> rlp_decode(BytesView encoded) {
  RlpReader reader(encoded);
  auto item = decode_item(reader);
  if (!item)
    return item;
  if (auto done = reader.finish(); !done)
    return std::unexpected(std::move(done.error()));
  return item;
}

std::string to_string(const RlpItem& item) {
  std::string out;
  append_string(out, item);
  return out;
}

}  // namespace tally
