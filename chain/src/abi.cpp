#include <algorithm>

#include <tally/chain/abi.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/keccak.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace {

constexpr std::size_t kWord = 32;
constexpr Selector kErrorSelector{{0x08, 0xc3, 0x79, 0xa0}};
constexpr Selector kPanicSelector{{0x4e, 0x48, 0x7b, 0x71}};

std::size_t padded_size(std::size_t size) noexcept {
  return (size + kWord - 1) / kWord * kWord;
}

void append_word(Bytes& out, const u256& value) {
  const Hash256 word = value.to_be();
  out.insert(out.end(), word.bytes.begin(), word.bytes.end());
}

void append_padded(Bytes& out, BytesView data) {
  out.insert(out.end(), data.begin(), data.end());
  out.resize(out.size() + padded_size(data.size()) - data.size(), 0);
}

std::unexpected<Error> mismatch(const std::string& path, std::string_view what) {
  return fail(Errc::invalid_argument,
              str_cat("abi encode: value at ", path.empty() ? "<root>" : path, ": ", what));
}

// ---- Encoding -----------------------------------------------------------------------------------

Result<Bytes> encode_value(const AbiType& type, const AbiValue& value, const std::string& path);

// Heads then tails; a dynamic component's head is the offset of its tail from the sequence start.
template <class TypeAt>
Result<Bytes> encode_sequence(TypeAt type_at,
                              const AbiValue::List& values,
                              const std::string& path) {
  std::size_t head_size = 0;
  for (std::size_t i = 0; i < values.size(); ++i)
    head_size += type_at(i).head_size();
  Bytes head;
  Bytes tail;
  head.reserve(head_size);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const AbiType& type = type_at(i);
    auto encoded = encode_value(type, values[i], str_cat(path, "[", i, "]"));
    if (!encoded)
      return encoded;
    if (type.is_dynamic()) {
      append_word(head, u256(head_size + tail.size()));
      tail.insert(tail.end(), encoded->begin(), encoded->end());
    } else {
      head.insert(head.end(), encoded->begin(), encoded->end());
    }
  }
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

Result<Bytes> encode_scalar(const AbiType& type, const AbiValue& value, const std::string& path) {
  Bytes out;
  switch (type.kind()) {
    case AbiType::Kind::uint: {
      const u256* number = value.as_u256();
      if (!number)
        return mismatch(path, "expected an integer");
      if (number->bit_length() > type.size())
        return mismatch(path, str_cat("above the range of uint", type.size()));
      append_word(out, *number);
      return out;
    }
    case AbiType::Kind::int_: {
      const u256* number = value.as_u256();
      if (!number)
        return mismatch(path, "expected an integer");
      if (signextend(type.size() / 8 - 1, *number) != *number)
        return mismatch(path, str_cat("outside the range of int", type.size()));
      append_word(out, *number);
      return out;
    }
    case AbiType::Kind::address: {
      const Address* address = value.as_address();
      if (!address)
        return mismatch(path, "expected an address");
      out.resize(kWord - Address::kSize, 0);
      out.insert(out.end(), address->bytes.begin(), address->bytes.end());
      return out;
    }
    case AbiType::Kind::boolean: {
      const bool* flag = value.as_bool();
      if (!flag)
        return mismatch(path, "expected a bool");
      append_word(out, *flag ? 1 : 0);
      return out;
    }
    case AbiType::Kind::fixed_bytes: {
      const Bytes* bytes = value.as_bytes();
      if (!bytes || bytes->size() != type.size())
        return mismatch(path, str_cat("expected exactly ", type.size(), " bytes"));
      append_padded(out, *bytes);
      return out;
    }
    default:
      TALLY_ASSERT(false);
      return out;
  }
}

Result<Bytes> encode_value(const AbiType& type, const AbiValue& value, const std::string& path) {
  using Kind = AbiType::Kind;
  switch (type.kind()) {
    case Kind::bytes:
    case Kind::string: {
      BytesView content;
      if (type.kind() == Kind::bytes && value.as_bytes())
        content = *value.as_bytes();
      else if (type.kind() == Kind::string && value.as_string())
        content = tally::as_bytes(*value.as_string());
      else
        return mismatch(path, type.kind() == Kind::bytes ? "expected bytes" : "expected a string");
      Bytes out;
      append_word(out, u256(content.size()));
      append_padded(out, content);
      return out;
    }
    case Kind::array:
    case Kind::fixed_array:
    case Kind::tuple: {
      const AbiValue::List* list = value.as_list();
      if (!list)
        return mismatch(path, "expected a list");
      if (type.kind() == Kind::tuple) {
        if (list->size() != type.components().size())
          return mismatch(
              path, str_cat("expected ", type.components().size(), " members, got ", list->size()));
        return encode_sequence(
            [&](std::size_t i) -> const AbiType& { return type.components()[i]; }, *list, path);
      }
      if (type.kind() == Kind::fixed_array && list->size() != type.size())
        return mismatch(path, str_cat("expected ", type.size(), " elements, got ", list->size()));
      auto elements = encode_sequence([&](std::size_t) -> const AbiType& { return type.element(); },
                                      *list, path);
      if (!elements || type.kind() == Kind::fixed_array)
        return elements;
      Bytes out;
      append_word(out, u256(list->size()));
      out.insert(out.end(), elements->begin(), elements->end());
      return out;
    }
    default:
      return encode_scalar(type, value, path);
  }
}

// ---- Decoding -----------------------------------------------------------------------------------

class Decoder {
 public:
  explicit Decoder(BytesView data)
      : data_(data),
        values_left_(std::max(kMinDecodeBudget, data.size())),
        bytes_left_(data.size()) {}

  // The value whose encoding starts at `position` (for a dynamic type: where its offset points).
  Result<AbiValue> decode(const AbiType& type, std::size_t position) {
    if (values_left_ == 0)
      return fail(Errc::limit_exceeded,
                  str_cat("abi decode: more than ", std::max(kMinDecodeBudget, data_.size()),
                          " values from ", data_.size(), " bytes"));
    --values_left_;
    using Kind = AbiType::Kind;
    switch (type.kind()) {
      case Kind::bytes:
      case Kind::string:
        return decode_bytes(type, position);
      case Kind::array: {
        auto count = length_at(position);
        if (!count)
          return std::unexpected(count.error());
        return decode_sequence([&](std::size_t) -> const AbiType& { return type.element(); },
                               *count, position + kWord, true);
      }
      case Kind::fixed_array:
        return decode_sequence([&](std::size_t) -> const AbiType& { return type.element(); },
                               type.size(), position, true);
      case Kind::tuple:
        return decode_sequence(
            [&](std::size_t i) -> const AbiType& { return type.components()[i]; },
            type.components().size(), position, false);
      default:
        return decode_scalar(type, position);
    }
  }

 private:
  template <class TypeAt>
  Result<AbiValue> decode_sequence(TypeAt type_at,
                                   std::size_t count,
                                   std::size_t start,
                                   bool uniform) {
    // The heads must fit before anything is allocated for them. Array elements all have the
    // element's head size; a tuple's members are few (bounded by its type).
    const std::size_t remaining = start <= data_.size() ? data_.size() - start : 0;
    const std::size_t first_head = count == 0 ? 0 : type_at(0).head_size();
    if (uniform && first_head > 0 && count > remaining / first_head)
      return malformed(
          start, str_cat(count, " elements cannot fit in the ", remaining, " bytes that remain"));
    if (uniform && first_head == 0 && count > values_left_)
      return fail(Errc::limit_exceeded, str_cat("abi decode: ", count, " elements at offset ",
                                                start, " exceed the decode budget"));
    if (!uniform) {
      std::size_t heads = 0;
      for (std::size_t i = 0; i < count; ++i)
        heads += type_at(i).head_size();
      if (heads > remaining)
        return malformed(start, str_cat("tuple heads of ", heads, " bytes cannot fit in the ",
                                        remaining, " bytes that remain"));
    }
    AbiValue::List values;
    values.reserve(count);
    std::size_t head = start;
    for (std::size_t i = 0; i < count; ++i) {
      const AbiType& type = type_at(i);
      std::size_t position = head;
      if (type.is_dynamic()) {
        auto offset = length_at(head);
        if (!offset)
          return std::unexpected(offset.error());
        if (*offset > data_.size() - start)
          return malformed(head, str_cat("offset ", *offset, " points past the end"));
        position = start + *offset;
      }
      auto value = decode(type, position);
      if (!value)
        return value;
      values.push_back(std::move(*value));
      head += type.head_size();
    }
    return AbiValue::list(std::move(values));
  }

  Result<AbiValue> decode_bytes(const AbiType& type, std::size_t position) {
    auto size = length_at(position);
    if (!size)
      return std::unexpected(size.error());
    const std::size_t content = position + kWord;
    if (*size > data_.size() - content)
      return malformed(position, str_cat("length ", *size, " runs past the end"));
    if (*size > bytes_left_)
      return fail(Errc::limit_exceeded, str_cat("abi decode: content at offset ", position,
                                                " exceeds the decode budget"));
    bytes_left_ -= *size;
    const auto begin = data_.begin() + static_cast<std::ptrdiff_t>(content);
    const auto end = begin + static_cast<std::ptrdiff_t>(*size);
    if (type.kind() == AbiType::Kind::string)
      return AbiValue::string(std::string(begin, end));
    return AbiValue::bytes(Bytes(begin, end));
  }

  Result<AbiValue> decode_scalar(const AbiType& type, std::size_t position) {
    auto word = word_at(position);
    if (!word)
      return std::unexpected(word.error());
    switch (type.kind()) {
      case AbiType::Kind::uint:
        if (word->bit_length() > type.size())
          return malformed(position, str_cat("dirty bits above uint", type.size()));
        return AbiValue::uint(*word);
      case AbiType::Kind::int_:
        if (signextend(type.size() / 8 - 1, *word) != *word)
          return malformed(position, str_cat("not a sign-extended int", type.size()));
        return AbiValue::uint(*word);
      case AbiType::Kind::address: {
        if (word->bit_length() > 160)
          return malformed(position, "dirty bits above an address");
        const Hash256 bytes = word->to_be();
        Address address;
        std::copy(bytes.bytes.begin() + 12, bytes.bytes.end(), address.bytes.begin());
        return AbiValue::address(address);
      }
      case AbiType::Kind::boolean:
        if (*word > u256(1))
          return malformed(position, "bool neither 0 nor 1");
        return AbiValue::boolean(*word == u256(1));
      case AbiType::Kind::fixed_bytes: {
        const std::size_t size = type.size();
        const auto begin = data_.begin() + static_cast<std::ptrdiff_t>(position);
        if (!std::all_of(begin + static_cast<std::ptrdiff_t>(size), begin + kWord,
                         [](Byte b) { return b == 0; }))
          return malformed(position, str_cat("dirty bytes after bytes", size));
        return AbiValue::bytes(Bytes(begin, begin + static_cast<std::ptrdiff_t>(size)));
      }
      default:
        TALLY_ASSERT(false);
        return AbiValue{};
    }
  }

  Result<u256> word_at(std::size_t position) const {
    if (position > data_.size() || data_.size() - position < kWord)
      return malformed(position, str_cat("word past the end of ", data_.size(), " bytes"));
    Hash256 word;
    std::copy_n(data_.begin() + static_cast<std::ptrdiff_t>(position), kWord, word.bytes.begin());
    return u256::from_be(word);
  }

  // A length or offset word: any value above the input size is wrong whatever follows.
  Result<std::size_t> length_at(std::size_t position) const {
    auto word = word_at(position);
    if (!word)
      return std::unexpected(word.error());
    if (!word->fits_u64() || word->low_u64() > data_.size())
      return malformed(position, str_cat("length or offset ", word->decimal(),
                                         " exceeds the input size ", data_.size()));
    return static_cast<std::size_t>(word->low_u64());
  }

  static std::unexpected<Error> malformed(std::size_t position, std::string_view what) {
    return fail(Errc::malformed, str_cat("abi decode: at offset ", position, ": ", what));
  }

  BytesView data_;
  std::size_t values_left_;
  std::size_t bytes_left_;
};

bool is_identifier_char(char c, bool first) noexcept {
  const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
  return letter || (!first && c >= '0' && c <= '9');
}

}  // namespace

AbiValue AbiValue::int_(std::int64_t value) {
  return uint(signextend(7, u256(static_cast<std::uint64_t>(value))));
}

Result<Bytes> abi_encode(const AbiType& type, const AbiValue& value) {
  return encode_value(type, value, "");
}

Result<AbiValue> abi_decode(const AbiType& type, BytesView data) {
  return Decoder(data).decode(type, 0);
}

Selector function_selector(std::string_view signature) noexcept {
  const Hash256 hash = keccak256(tally::as_bytes(signature));
  Selector out;
  std::copy_n(hash.bytes.begin(), Selector::kSize, out.bytes.begin());
  return out;
}

Result<AbiFunction> parse_function_signature(std::string_view text) {
  const std::size_t open = text.find('(');
  if (open == std::string_view::npos || open == 0)
    return fail(Errc::malformed, "abi function signature: expected name(types)");
  const std::string_view name = text.substr(0, open);
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!is_identifier_char(name[i], i == 0))
      return fail(Errc::malformed,
                  str_cat("abi function signature: bad character in the name at offset ", i));
  }
  auto inputs = AbiType::parse(text.substr(open));
  if (!inputs)
    return std::unexpected(inputs.error());
  if (inputs->kind() != AbiType::Kind::tuple)
    return fail(Errc::malformed, "abi function signature: arguments are not one tuple");
  std::string signature = str_cat(name, inputs->canonical());
  const Selector selector = function_selector(signature);
  return AbiFunction{std::string(name), std::move(*inputs), std::move(signature), selector};
}

Bytes encode_error_reason(std::string_view reason) {
  Bytes out(kErrorSelector.bytes.begin(), kErrorSelector.bytes.end());
  append_word(out, u256(kWord));
  append_word(out, u256(reason.size()));
  append_padded(out, tally::as_bytes(reason));
  return out;
}

Bytes encode_panic(const u256& code) {
  Bytes out(kPanicSelector.bytes.begin(), kPanicSelector.bytes.end());
  append_word(out, code);
  return out;
}

Result<std::string> decode_error_reason(BytesView revert_data) {
  if (revert_data.size() < Selector::kSize ||
      !std::equal(kErrorSelector.bytes.begin(), kErrorSelector.bytes.end(), revert_data.begin()))
    return fail(Errc::malformed, "revert data: not Error(string)");
  auto value =
      abi_decode(AbiType::tuple({AbiType::string()}), revert_data.subspan(Selector::kSize));
  if (!value)
    return std::unexpected(value.error());
  // A decoded tuple(string) is a one-element list holding a string.
  return value->list_value().front().string_value();
}

}  // namespace tally::chain
