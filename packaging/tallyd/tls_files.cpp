#include "tls_files.hpp"

#include <fstream>
#include <sstream>

#include <tally/core/str_cat.hpp>

namespace tally::tallyd {

namespace {

constexpr std::size_t kMaxPemFileBytes = 1024 * 1024;
constexpr std::string_view kPemEnd = "-----END ";

Result<std::string> read_text(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error)
    return fail(Errc::io_error, str_cat(path.string(), ": ", error.message()));
  if (size > kMaxPemFileBytes)
    return fail(Errc::limit_exceeded, str_cat(path.string(), ": larger than a PEM file can be"));
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in)
    return fail(Errc::io_error, str_cat(path.string(), ": read failed"));
  return text.str();
}

// The text up to the end of the first PEM block, and the rest.
Result<std::pair<std::string, std::string>> split_first_pem(const std::string& text,
                                                            const std::filesystem::path& path) {
  const std::size_t end = text.find(kPemEnd);
  const std::size_t line_end = end == std::string::npos ? end : text.find('\n', end);
  if (line_end == std::string::npos || text.find("-----BEGIN", line_end) == std::string::npos) {
    return fail(Errc::malformed,
                str_cat(path.string(), ": expected the node certificate, then its institution CA"));
  }
  return std::pair{text.substr(0, line_end + 1), text.substr(line_end + 1)};
}

}  // namespace

Result<void> load_tls_files(const node::TlsFiles& files, chain::PeerNetworkConfig& config) {
  TALLY_TRY(const std::string chain_pem, read_text(files.certificate));
  TALLY_TRY(auto parts, split_first_pem(chain_pem, files.certificate));
  config.credentials.certificate_pem = std::move(parts.first);
  config.institution_ca_pem = std::move(parts.second);
  TALLY_TRY(config.credentials.private_key_pem, read_text(files.private_key));
  TALLY_TRY(config.consortium_ca_pem, read_text(files.ca));
  config.crl_pems.clear();
  for (const auto& crl : files.crls) {
    TALLY_TRY(std::string pem, read_text(crl));
    config.crl_pems.push_back(std::move(pem));
  }
  return {};
}

}  // namespace tally::tallyd
