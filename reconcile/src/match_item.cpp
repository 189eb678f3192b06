#include "match_item.hpp"

#include <tally/core/str_cat.hpp>

namespace tally::reconcile {
namespace {

// side, source, seq, currency, flags, mask, day, amount, stated, share, 4 components, key length
constexpr std::size_t kFixedBytes = 1 + 4 + 8 + 2 + 1 + 1 + 4 + 8 + 8 + 4 + 4 * 8 + 4;

template <typename T>
void put(std::uint8_t*& out, T value) {
  auto bits = static_cast<std::make_unsigned_t<T>>(value);
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    *out++ = static_cast<std::uint8_t>(bits & 0xFF);
    bits = static_cast<decltype(bits)>(bits >> 4 >> 4);
  }
}

template <typename T>
T get(const std::uint8_t*& in) {
  std::make_unsigned_t<T> bits = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i)
    bits = static_cast<decltype(bits)>(
        bits | static_cast<decltype(bits)>(static_cast<decltype(bits)>(*in++) << (8 * i)));
  return static_cast<T>(bits);
}

}  // namespace

Result<void> write_item(std::FILE* file, const MatchItem& item) {
  std::uint8_t fixed[kFixedBytes];
  std::uint8_t* out = fixed;
  put(out, static_cast<std::uint8_t>(item.ref.side));
  put(out, item.ref.source);
  put(out, item.ref.seq);
  put(out, item.currency);
  put(out, item.flags);
  const JointShare& joint = item.joint.get();
  put(out, joint.component_mask);
  put(out, item.day);
  put(out, item.amount);
  put(out, item.stated);
  put(out, joint.share_bp);
  for (const std::int64_t component : joint.components)
    put(out, component);
  put(out, static_cast<std::uint32_t>(item.key.size()));
  if (std::fwrite(fixed, 1, kFixedBytes, file) != kFixedBytes ||
      std::fwrite(item.key.data(), 1, item.key.size(), file) != item.key.size())
    return fail(Errc::io_error, "spill file: write failed");
  return {};
}

Result<std::optional<MatchItem>> read_item(std::FILE* file) {
  std::uint8_t fixed[kFixedBytes];
  const std::size_t got = std::fread(fixed, 1, kFixedBytes, file);
  if (got == 0 && std::feof(file))
    return std::optional<MatchItem>{};
  if (got != kFixedBytes)
    return fail(Errc::corrupted, "spill file: truncated item");
  const std::uint8_t* in = fixed;
  MatchItem item;
  const auto side = get<std::uint8_t>(in);
  if (side < 1 || side > 3)
    return fail(Errc::corrupted, str_cat("spill file: side ", side));
  item.ref.side = static_cast<Side>(side);
  item.ref.source = get<std::uint32_t>(in);
  item.ref.seq = get<std::uint64_t>(in);
  item.currency = get<std::uint16_t>(in);
  item.flags = get<std::uint8_t>(in);
  JointShare joint;
  joint.component_mask = get<std::uint8_t>(in);
  item.day = get<std::int32_t>(in);
  item.amount = get<std::int64_t>(in);
  item.stated = get<std::int64_t>(in);
  joint.share_bp = get<std::uint32_t>(in);
  bool any_joint = joint.component_mask != 0 || joint.share_bp != 0;
  for (std::int64_t& component : joint.components) {
    component = get<std::int64_t>(in);
    any_joint = any_joint || component != 0;
  }
  if (any_joint)  // absent reads as all zero: only a share with figures is boxed
    item.joint.set() = joint;
  const auto key_size = get<std::uint32_t>(in);
  if (key_size > kMaxKeyBytes)
    return fail(Errc::corrupted, str_cat("spill file: key of ", key_size, " bytes"));
  item.key.resize(key_size);
  if (std::fread(item.key.data(), 1, key_size, file) != key_size)
    return fail(Errc::corrupted, "spill file: truncated key");
  return std::optional<MatchItem>{std::move(item)};
}

}  // namespace tally::reconcile
