#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <tally/chain/pki.hpp>
#include <tally/core/hash.hpp>

namespace tally::chain {
namespace {

using namespace std::chrono_literals;

constexpr std::chrono::sys_seconds kStart{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}};
const Validity kYear{kStart, kStart + std::chrono::days{365}};

Address account(std::uint8_t fill) {
  Address out;
  out.bytes.fill(fill);
  out.bytes[0] = 0xab;
  return out;
}

struct Tree {
  Credentials root;
  Credentials institution;
  Credentials node;
};

Tree make_tree() {
  auto root = issue_root_ca({"Tally Consortium CA", "Tally", kYear});
  EXPECT_TRUE(root) << root.error();
  auto institution = issue_ca(*root, {"Bank A CA", "Bank A", kYear});
  EXPECT_TRUE(institution) << institution.error();
  NodeCertRequest request{.common_name = "node1",
                          .organization = "Bank A",
                          .account = account(0x11),
                          .dns_names = {"node1.bank-a.example", "localhost"},
                          .ip_addresses = {"127.0.0.1", "::1"},
                          .validity = kYear};
  auto node = issue_node_certificate(*institution, request);
  EXPECT_TRUE(node) << node.error();
  return {*root, *institution, *node};
}

// Independent verification with OpenSSL's own chain builder, at a chosen time.
struct StoreDeleter {
  void operator()(X509_STORE* store) const { X509_STORE_free(store); }
};

X509* cert_of(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* out = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return out;
}

X509_CRL* crl_of(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509_CRL* out = PEM_read_bio_X509_CRL(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return out;
}

// 0 when the node certificate verifies, otherwise OpenSSL's X509_V_ERR_* code.
int verify(const Tree& tree,
           std::chrono::sys_seconds at,
           const std::vector<std::string>& crls = {}) {
  X509_STORE* store = X509_STORE_new();
  X509* root = cert_of(tree.root.certificate_pem);
  X509_STORE_add_cert(store, root);
  X509_free(root);
  for (const std::string& pem : crls) {
    X509_CRL* crl = crl_of(pem);
    X509_STORE_add_crl(store, crl);
    X509_CRL_free(crl);
  }
  if (!crls.empty())
    X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  X509* leaf = cert_of(tree.node.certificate_pem);
  X509* middle = cert_of(tree.institution.certificate_pem);
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  sk_X509_push(untrusted, middle);
  X509_STORE_CTX* context = X509_STORE_CTX_new();
  X509_STORE_CTX_init(context, store, leaf, untrusted);
  X509_STORE_CTX_set_time(context, 0, static_cast<time_t>(at.time_since_epoch().count()));
  X509_STORE_CTX_set_purpose(context, X509_PURPOSE_SSL_CLIENT);
  const int ok = X509_verify_cert(context);
  const int error = ok == 1 ? 0 : X509_STORE_CTX_get_error(context);
  X509_STORE_CTX_free(context);
  sk_X509_pop_free(untrusted, X509_free);
  X509_free(leaf);
  X509_STORE_free(store);
  return error;
}

TEST(Pki, IssuesAChainThatOpenSslVerifies) {
  const Tree tree = make_tree();
  EXPECT_EQ(verify(tree, kStart + 10 * 24h), 0);
}

TEST(Pki, ReadsTheNodeCertificate) {
  const Tree tree = make_tree();
  auto info = read_certificate(tree.node.certificate_pem);
  ASSERT_TRUE(info) << info.error();
  EXPECT_EQ(info->subject, "CN=node1,O=Bank A");
  EXPECT_EQ(info->issuer, "CN=Bank A CA,O=Bank A");
  EXPECT_FALSE(info->is_ca);
  ASSERT_TRUE(info->account.has_value());
  EXPECT_EQ(*info->account, account(0x11));
  EXPECT_EQ(info->not_before, kYear.not_before);
  EXPECT_EQ(info->not_after, kYear.not_after);
  EXPECT_LE(info->serial_hex.size(), 32u);
  EXPECT_GE(info->serial_hex.size(), 31u);  // the top bits are fixed 01: 127 bits
  EXPECT_EQ(info->serial_hex.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Pki, CasAreCasAndCarryNoAccount) {
  const Tree tree = make_tree();
  auto root = read_certificate(tree.root.certificate_pem);
  auto institution = read_certificate(tree.institution.certificate_pem);
  ASSERT_TRUE(root && institution);
  EXPECT_TRUE(root->is_ca);
  EXPECT_TRUE(institution->is_ca);
  EXPECT_EQ(root->subject, root->issuer);
  EXPECT_EQ(institution->issuer, root->subject);
  EXPECT_FALSE(root->account.has_value());
}

TEST(Pki, NodeIdIsTheSha256OfTheSubjectPublicKeyInfo) {
  const Tree tree = make_tree();
  auto info = read_certificate(tree.node.certificate_pem);
  ASSERT_TRUE(info);
  BIO* bio =
      BIO_new_mem_buf(info->public_key_pem.data(), static_cast<int>(info->public_key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(key, nullptr);
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key, &der);
  ASSERT_GT(length, 0);
  EXPECT_EQ(info->node_id, sha256(BytesView(der, static_cast<std::size_t>(length))));
  OPENSSL_free(der);
  EVP_PKEY_free(key);
}

TEST(Pki, RenewingOverTheSameKeyKeepsTheNodeId) {
  const Tree tree = make_tree();
  NodeCertRequest request{.common_name = "node1",
                          .account = account(0x11),
                          .validity = {kStart + 300 * 24h, kStart + 700 * 24h},
                          .private_key_pem = tree.node.private_key_pem};
  auto renewed = issue_node_certificate(tree.institution, request);
  ASSERT_TRUE(renewed) << renewed.error();
  auto before = read_certificate(tree.node.certificate_pem);
  auto after = read_certificate(renewed->certificate_pem);
  ASSERT_TRUE(before && after);
  EXPECT_EQ(before->node_id, after->node_id);
  EXPECT_NE(before->serial_hex, after->serial_hex);
  EXPECT_EQ(renewed->private_key_pem, tree.node.private_key_pem);
}

TEST(Pki, FreshKeysGiveDistinctNodeIdsAndSerials) {
  const Tree a = make_tree();
  const Tree b = make_tree();
  auto node_a = read_certificate(a.node.certificate_pem);
  auto node_b = read_certificate(b.node.certificate_pem);
  ASSERT_TRUE(node_a && node_b);
  EXPECT_NE(node_a->node_id, node_b->node_id);
  EXPECT_NE(node_a->serial_hex, node_b->serial_hex);
}

TEST(Pki, ExpiredAndNotYetValidCertificatesDoNotVerify) {
  const Tree tree = make_tree();
  EXPECT_EQ(verify(tree, kYear.not_after + 24h), X509_V_ERR_CERT_HAS_EXPIRED);
  EXPECT_EQ(verify(tree, kYear.not_before - 24h), X509_V_ERR_CERT_NOT_YET_VALID);
}

TEST(Pki, CrlRevokesTheListedSerial) {
  const Tree tree = make_tree();
  auto node = read_certificate(tree.node.certificate_pem);
  ASSERT_TRUE(node);
  const CrlRequest when{kStart, kStart + 30 * 24h, 7};
  auto root_crl = issue_crl(tree.root, {}, when);
  auto empty = issue_crl(tree.institution, {}, when);
  const std::vector<std::string> revoked{"0x" + node->serial_hex, "01"};
  auto listing = issue_crl(tree.institution, revoked, when);
  ASSERT_TRUE(root_crl && empty && listing) << listing.error();

  const auto at = kStart + 24h;
  EXPECT_EQ(verify(tree, at, {*root_crl, *empty}), 0);
  EXPECT_EQ(verify(tree, at, {*root_crl, *listing}), X509_V_ERR_CERT_REVOKED);
  // CRL_CHECK_ALL with a CA lacking its CRL fails: the network requires one CRL per CA.
  EXPECT_EQ(verify(tree, at, {*empty}), X509_V_ERR_UNABLE_TO_GET_CRL);

  auto info = read_crl(*listing);
  ASSERT_TRUE(info) << info.error();
  EXPECT_EQ(info->issuer, "CN=Bank A CA,O=Bank A");
  EXPECT_EQ(info->this_update, when.this_update);
  EXPECT_EQ(info->next_update, when.next_update);
  ASSERT_EQ(info->revoked_serials_hex.size(), 2u);
  EXPECT_EQ(info->revoked_serials_hex[0], "1");
  EXPECT_EQ(info->revoked_serials_hex[1], node->serial_hex);
}

TEST(Pki, RefusesBadRequests) {
  const Tree tree = make_tree();
  const CaRequest backwards{"CA", "", {kStart, kStart}};
  EXPECT_EQ(issue_root_ca(backwards).error().code, Errc::invalid_argument);
  EXPECT_EQ(issue_root_ca({"", "", kYear}).error().code, Errc::invalid_argument);

  NodeCertRequest request{.common_name = "n", .account = account(1), .validity = kYear};
  request.dns_names = {"a.example,URI:tally:account:0x00"};
  EXPECT_EQ(issue_node_certificate(tree.institution, request).error().code, Errc::invalid_argument);
  request.dns_names = {};
  request.ip_addresses = {"not an ip"};
  EXPECT_EQ(issue_node_certificate(tree.institution, request).error().code, Errc::invalid_argument);
  request.ip_addresses = {};

  // A node certificate cannot issue, and a key must match its certificate.
  EXPECT_EQ(issue_node_certificate(tree.node, request).error().code, Errc::invalid_argument);
  const Credentials mismatched{tree.institution.certificate_pem, tree.root.private_key_pem};
  EXPECT_EQ(issue_node_certificate(mismatched, request).error().code, Errc::invalid_argument);
  EXPECT_EQ(
      issue_crl(tree.root, std::vector<std::string>{"xyz"}, {kStart, kStart + 1h}).error().code,
      Errc::malformed);
  EXPECT_EQ(read_certificate("garbage").error().code, Errc::malformed);
  EXPECT_EQ(read_crl("garbage").error().code, Errc::malformed);
}

TEST(Pki, AccountUriIsLowercaseHex) {
  EXPECT_EQ(account_uri(account(0xcd)), "tally:account:0xabcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd");
}

TEST(Pki, GeneratesP256Keys) {
  auto pem = generate_key_pem();
  ASSERT_TRUE(pem) << pem.error();
  BIO* bio = BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(key, nullptr);
  char group[64] = {};
  size_t length = 0;
  EXPECT_EQ(EVP_PKEY_get_group_name(key, group, sizeof group, &length), 1);
  EXPECT_STREQ(group, "prime256v1");
  EVP_PKEY_free(key);
}

}  // namespace
}  // namespace tally::chain
