#include <tally/chain/nibbles.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

namespace {
constexpr Byte kLeafFlag = 2;
constexpr Byte kOddFlag = 1;
}  // namespace

Nibbles to_nibbles(BytesView key) {
  Nibbles out(key.size() * 2);
  for (std::size_t i = 0; i < key.size(); ++i) {
    out[2 * i] = static_cast<Byte>(key[i] >> 4);
    out[2 * i + 1] = static_cast<Byte>(key[i] & 0x0f);
  }
  return out;
}

Bytes nibbles_to_bytes(NibblesView path) {
  TALLY_ASSERT(path.size() % 2 == 0);
  Bytes out(path.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<Byte>((path[2 * i] << 4) | path[2 * i + 1]);
  return out;
}

void append_hex_prefix(Bytes& out, NibblesView path, bool leaf) {
  const bool odd = path.size() % 2 == 1;
  const Byte flags = static_cast<Byte>((leaf ? kLeafFlag : 0) | (odd ? kOddFlag : 0));
  std::size_t i = 0;
  if (odd) {
    out.push_back(static_cast<Byte>((flags << 4) | path[0]));
    i = 1;
  } else {
    out.push_back(static_cast<Byte>(flags << 4));
  }
  for (; i < path.size(); i += 2)
    out.push_back(static_cast<Byte>((path[i] << 4) | path[i + 1]));
}

Bytes hex_prefix_encode(NibblesView path, bool leaf) {
  Bytes out;
  out.reserve(hex_prefix_size(path));
  append_hex_prefix(out, path, leaf);
  return out;
}

Result<HexPrefixPath> hex_prefix_decode(BytesView encoded) {
  if (encoded.empty())
    return fail(Errc::malformed, "hex-prefix: empty path");
  const Byte flags = static_cast<Byte>(encoded[0] >> 4);
  if (flags > (kLeafFlag | kOddFlag))
    return fail(Errc::malformed, str_cat("hex-prefix: flags ", flags, " above 3"));
  const bool odd = (flags & kOddFlag) != 0;
  if (!odd && (encoded[0] & 0x0f) != 0)
    return fail(Errc::malformed, "hex-prefix: even path with a non-zero pad nibble");
  HexPrefixPath out;
  out.leaf = (flags & kLeafFlag) != 0;
  out.path.reserve(encoded.size() * 2);
  if (odd)
    out.path.push_back(encoded[0] & 0x0f);
  const Nibbles rest = to_nibbles(encoded.subspan(1));
  out.path.insert(out.path.end(), rest.begin(), rest.end());
  return out;
}

}  // namespace tally::chain
