// UserDirectory::parse on any text: it accepts or refuses without crashing, and every user it
// accepts has a valid name and is found under it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <tally/core/assert.hpp>
#include <tally/reconcile/user_directory.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto directory = tally::reconcile::UserDirectory::parse(text);
  if (!directory)
    return 0;
  TALLY_ASSERT(directory->size() <= tally::reconcile::kMaxUsers);
  // The first word of each line, when the directory knows it, must be a valid name.
  const std::string_view first = text.substr(0, text.find_first_of(" \t\r\n"));
  if (const auto user = directory->find(first))
    TALLY_ASSERT(tally::reconcile::valid_user_name(user->name) && user->name == first);
  return 0;
}
