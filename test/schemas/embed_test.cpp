#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include <tally/schemas/schemas.hpp>

#include "support/testdata.hpp"

namespace tally {
namespace {

const std::filesystem::path kSchemasDir = TALLY_SCHEMAS_DIR;

TEST(Schemas, EmbedsEverySqlAndJsonFileByteForByte) {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kSchemasDir)) {
    const auto extension = entry.path().extension();
    if (extension != ".sql" && extension != ".json")
      continue;
    ++files;
    const std::string relative = entry.path().lexically_relative(kSchemasDir).generic_string();
    const auto embedded = schemas::find(relative);
    ASSERT_TRUE(embedded) << relative;
    EXPECT_EQ(*embedded, test::read_file(entry.path())) << relative;
  }
  EXPECT_GE(files, 1U);
  EXPECT_EQ(schemas::paths().size(), files);
}

TEST(Schemas, UnknownPathsAreAbsent) {
  EXPECT_FALSE(schemas::find("sql/absent.sql"));
  EXPECT_FALSE(schemas::find(""));
}

}  // namespace
}  // namespace tally
