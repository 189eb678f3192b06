#pragma once
// Ownership of OpenSSL objects in the crypto sources (private to core/src): a std::unique_ptr
// whose deleter is the object's own free function, e.g. OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free>.

#include <memory>

namespace tally::detail {

template <auto Free>
struct FreeWith {
  template <typename T>
  void operator()(T* pointer) const noexcept {
    Free(pointer);
  }
};

template <typename T, auto Free>
using OpenSslPtr = std::unique_ptr<T, FreeWith<Free>>;

}  // namespace tally::detail
