#pragma once
// Solidity ABI types (docs.soliditylang.org, "Contract ABI Specification"): uint<M>, int<M>,
// address, bool, bytes<M>, bytes, string, T[], T[k] and tuples (T1,...,Tn), nested freely.
//
// parse() reads the canonical text of a type as it appears in function signatures, with the
// aliases uint and int for uint256 and int256; canonical() writes it back without aliases. The
// empty tuple "()" is accepted only as the whole type (an argument list without arguments): nested
// it would be a zero-size type, which Solidity does not have. Limits:
// the text at most kMaxTypeTextSize characters, nesting at most kMaxTypeDepth levels, a static
// encoding at most kMaxStaticSize bytes. fixed<M>x<N>, ufixed and function are not supported.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <tally/core/error.hpp>

namespace tally::chain {

class AbiType {
 public:
  enum class Kind : std::uint8_t {
    uint,
    int_,
    address,
    boolean,
    fixed_bytes,  // bytes<M>
    bytes,
    string,
    array,        // T[]
    fixed_array,  // T[k]
    tuple,
  };

  static constexpr std::size_t kMaxTypeTextSize = 4096;
  static constexpr std::size_t kMaxTypeDepth = 32;
  static constexpr std::size_t kMaxStaticSize = std::size_t{1} << 24;

  // The empty tuple "()".
  AbiType() = default;

  static Result<AbiType> parse(std::string_view text);

  static AbiType uint(std::size_t bits = 256);
  static AbiType int_(std::size_t bits = 256);
  static AbiType address();
  static AbiType boolean();
  static AbiType fixed_bytes(std::size_t size);
  static AbiType bytes();
  static AbiType string();
  static AbiType array(AbiType element);
  static AbiType fixed_array(AbiType element, std::size_t length);
  static AbiType tuple(std::vector<AbiType> components);

  Kind kind() const noexcept { return kind_; }
  // Bits of uint/int, bytes of bytes<M>, the length of T[k]; 0 otherwise.
  std::size_t size() const noexcept { return size_; }
  // The element of T[] and T[k]; the members of a tuple.
  const AbiType& element() const;
  const std::vector<AbiType>& components() const noexcept { return components_; }

  // bytes, string, T[], and arrays and tuples holding any of them.
  bool is_dynamic() const noexcept;
  // The bytes it takes in its enclosing head: 32 for a dynamic type (the offset), else the whole
  // static encoding.
  std::size_t head_size() const noexcept;

  std::string canonical() const;

  friend bool operator==(const AbiType&, const AbiType&) = default;

 private:
  AbiType(Kind kind, std::size_t size, std::vector<AbiType> components)
      : kind_(kind), size_(size), components_(std::move(components)) {}

  Kind kind_ = Kind::tuple;
  std::size_t size_ = 0;
  std::vector<AbiType> components_;
};

}  // namespace tally::chain
