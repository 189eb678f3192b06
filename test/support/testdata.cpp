#include "support/testdata.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <boost/json/parse.hpp>

namespace tally::test {

std::filesystem::path testdata_dir() {
  const char* env = std::getenv("TALLY_TESTDATA");
  std::filesystem::path dir = env != nullptr ? env : TALLY_TESTDATA_DIR;
  if (!std::filesystem::is_directory(dir)) {
    throw std::runtime_error("test data not found at " + dir.string() +
                             " (set TALLY_TESTDATA to the shared/testdata folder)");
  }
  return dir;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot open " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

boost::json::value read_json(const std::filesystem::path& path) {
  return boost::json::parse(read_file(path));
}

}  // namespace tally::test
