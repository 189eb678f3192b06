#include <tally/chain/abi_type.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace {

class TypeParser {
 public:
  explicit TypeParser(std::string_view text) : text_(text) {}

  Result<AbiType> parse_all() {
    auto type = parse_type(0);
    if (!type)
      return type;
    if (position_ != text_.size())
      return error("unexpected character");
    return type;
  }

 private:
  Result<AbiType> parse_type(std::size_t depth) {
    if (depth > AbiType::kMaxTypeDepth)
      return fail(Errc::limit_exceeded, str_cat("abi type: nested deeper than ",
                                                AbiType::kMaxTypeDepth, " at offset ", position_));
    auto type = peek() == '(' ? parse_tuple(depth) : parse_elementary();
    if (!type)
      return type;
    while (peek() == '[') {
      if (++depth > AbiType::kMaxTypeDepth)
        return fail(Errc::limit_exceeded,
                    str_cat("abi type: nested deeper than ", AbiType::kMaxTypeDepth, " at offset ",
                            position_));
      ++position_;
      if (peek() == ']') {
        ++position_;
        type = AbiType::array(std::move(*type));
        continue;
      }
      auto length = parse_number();
      if (!length)
        return std::unexpected(length.error());
      if (*length == 0)
        return error("zero-length fixed array");
      if (peek() != ']')
        return error("expected ']'");
      ++position_;
      if (!type->is_dynamic() && type->head_size() > AbiType::kMaxStaticSize / *length)
        return fail(Errc::limit_exceeded,
                    str_cat("abi type: static size above ", AbiType::kMaxStaticSize, " bytes"));
      type = AbiType::fixed_array(std::move(*type), *length);
    }
    return type;
  }

  Result<AbiType> parse_tuple(std::size_t depth) {
    ++position_;  // '('
    std::vector<AbiType> components;
    std::size_t static_size = 0;
    if (peek() == ')') {
      // "()" is the argument list of a function without arguments; nested, an empty tuple would be
      // a zero-size type (Solidity has no empty structs), whose arrays no input length bounds.
      ++position_;
      if (depth > 0 || position_ != text_.size())
        return error("empty tuple inside a type");
      return AbiType::tuple({});
    }
    while (true) {
      auto component = parse_type(depth + 1);
      if (!component)
        return component;
      static_size += component->head_size();
      if (static_size > AbiType::kMaxStaticSize)
        return fail(Errc::limit_exceeded,
                    str_cat("abi type: static size above ", AbiType::kMaxStaticSize, " bytes"));
      components.push_back(std::move(*component));
      const char next = peek();
      ++position_;
      if (next == ')')
        return AbiType::tuple(std::move(components));
      if (next != ',') {
        --position_;
        return error("expected ',' or ')'");
      }
    }
  }

  Result<AbiType> parse_elementary() {
    const std::size_t start = position_;
    while (position_ < text_.size() && text_[position_] >= 'a' && text_[position_] <= 'z')
      ++position_;
    const std::string_view name = text_.substr(start, position_ - start);
    const bool has_digits = position_ < text_.size() && is_digit(text_[position_]);
    if (name == "address" || name == "bool" || name == "string") {
      if (has_digits)
        return error("unexpected digits");
      return name == "address" ? AbiType::address()
             : name == "bool"  ? AbiType::boolean()
                               : AbiType::string();
    }
    if (name == "bytes") {
      if (!has_digits)
        return AbiType::bytes();
      auto size = parse_number();
      if (!size)
        return std::unexpected(size.error());
      if (*size < 1 || *size > 32)
        return error("bytes<M> needs 1 <= M <= 32");
      return AbiType::fixed_bytes(*size);
    }
    if (name == "uint" || name == "int") {
      std::size_t bits = 256;
      if (has_digits) {
        auto parsed = parse_number();
        if (!parsed)
          return std::unexpected(parsed.error());
        bits = *parsed;
        if (bits < 8 || bits > 256 || bits % 8 != 0)
          return error("integer width must be a multiple of 8 from 8 to 256");
      }
      return name == "uint" ? AbiType::uint(bits) : AbiType::int_(bits);
    }
    position_ = start;
    return error(name.empty() ? "expected a type" : "unknown or unsupported type");
  }

  // Decimal without leading zeros, below 2^32.
  Result<std::size_t> parse_number() {
    const std::size_t start = position_;
    std::size_t value = 0;
    while (position_ < text_.size() && is_digit(text_[position_])) {
      value = value * 10 + static_cast<std::size_t>(text_[position_] - '0');
      ++position_;
      if (value > UINT32_MAX)
        return error("number too large");
    }
    if (position_ == start)
      return error("expected a number");
    if (text_[start] == '0' && position_ - start > 1)
      return error("leading zero");
    return value;
  }

  static bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
  char peek() const noexcept { return position_ < text_.size() ? text_[position_] : '\0'; }

  std::unexpected<Error> error(std::string_view what) const {
    return fail(Errc::malformed, str_cat("abi type: ", what, " at offset ", position_));
  }

  std::string_view text_;
  std::size_t position_ = 0;
};

}  // namespace

Result<AbiType> AbiType::parse(std::string_view text) {
  if (text.size() > kMaxTypeTextSize)
    return fail(Errc::limit_exceeded, str_cat("abi type: text of ", text.size(),
                                              " characters, limit ", kMaxTypeTextSize));
  return TypeParser(text).parse_all();
}

AbiType AbiType::uint(std::size_t bits) {
  TALLY_ASSERT(bits >= 8 && bits <= 256 && bits % 8 == 0);
  return {Kind::uint, bits, {}};
}
AbiType AbiType::int_(std::size_t bits) {
  TALLY_ASSERT(bits >= 8 && bits <= 256 && bits % 8 == 0);
  return {Kind::int_, bits, {}};
}
AbiType AbiType::address() {
  return {Kind::address, 0, {}};
}
AbiType AbiType::boolean() {
  return {Kind::boolean, 0, {}};
}
AbiType AbiType::fixed_bytes(std::size_t size) {
  TALLY_ASSERT(size >= 1 && size <= 32);
  return {Kind::fixed_bytes, size, {}};
}
AbiType AbiType::bytes() {
  return {Kind::bytes, 0, {}};
}
AbiType AbiType::string() {
  return {Kind::string, 0, {}};
}
AbiType AbiType::array(AbiType element) {
  return {Kind::array, 0, {std::move(element)}};
}
AbiType AbiType::fixed_array(AbiType element, std::size_t length) {
  TALLY_ASSERT(length > 0);
  return {Kind::fixed_array, length, {std::move(element)}};
}
AbiType AbiType::tuple(std::vector<AbiType> components) {
  return {Kind::tuple, 0, std::move(components)};
}

const AbiType& AbiType::element() const {
  TALLY_ASSERT(kind_ == Kind::array || kind_ == Kind::fixed_array);
  return components_.front();
}

bool AbiType::is_dynamic() const noexcept {
  switch (kind_) {
    case Kind::bytes:
    case Kind::string:
    case Kind::array:
      return true;
    case Kind::fixed_array:
      return components_.front().is_dynamic();
    case Kind::tuple:
      for (const AbiType& component : components_) {
        if (component.is_dynamic())
          return true;
      }
      return false;
    default:
      return false;
  }
}

std::size_t AbiType::head_size() const noexcept {
  if (is_dynamic())
    return 32;
  switch (kind_) {
    case Kind::fixed_array:
      return size_ * components_.front().head_size();
    case Kind::tuple: {
      std::size_t total = 0;
      for (const AbiType& component : components_)
        total += component.head_size();
      return total;
    }
    default:
      return 32;
  }
}

std::string AbiType::canonical() const {
  switch (kind_) {
    case Kind::uint:
      return str_cat("uint", size_);
    case Kind::int_:
      return str_cat("int", size_);
    case Kind::address:
      return "address";
    case Kind::boolean:
      return "bool";
    case Kind::fixed_bytes:
      return str_cat("bytes", size_);
    case Kind::bytes:
      return "bytes";
    case Kind::string:
      return "string";
    case Kind::array:
      return str_cat(components_.front().canonical(), "[]");
    case Kind::fixed_array:
      return str_cat(components_.front().canonical(), "[", size_, "]");
    case Kind::tuple: {
      std::string out = "(";
      for (std::size_t i = 0; i < components_.size(); ++i) {
        if (i > 0)
          out += ',';
        out += components_[i].canonical();
      }
      return out + ")";
    }
  }
  TALLY_ASSERT(false);
  return {};
}

}  // namespace tally::chain
