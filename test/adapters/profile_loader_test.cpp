#include <gtest/gtest.h>

#include <tally/adapters/profile_loader.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/schemas/schemas.hpp>

namespace tally::adapters {
namespace {

std::string error_of(std::string_view json) {
  auto profile = load_profile(json, "p.json");
  return profile ? "loaded" : profile.error().message;
}

// The partner profile with one part replaced, to break it in one way at a time.
std::string fixed_width_with(std::string_view detail_fields, std::string_view trailer = "") {
  return str_cat(R"({"name": "f", "institution": "F", "format": "fixed_width", "encoding": "gbk",
    "currency": "CNY", "fixed_width": {"tag": {"offset": 0, "length": 1},
      "detail": {"tag": "D", "length": 30, "fields": {)",
                 detail_fields, "}}", trailer, "}}");
}

TEST(ProfileLoader, ShippedProfilesLoad) {
  const Profile joint = load_embedded_profile("platform-joint-loan").value();
  EXPECT_EQ(joint.format, ProfileFormat::csv);
  EXPECT_EQ(joint.institution, "PLATFORM-BANK");
  EXPECT_EQ(joint.fields.size(), 16u);
  EXPECT_EQ(joint.csv.trailer_tag, "合计");
  EXPECT_TRUE(joint.csv.find_header);
  EXPECT_EQ(joint.direction.from, DirectionRule::From::indicator);

  const Profile partner = load_embedded_profile("partner-gbk-fixed").value();
  EXPECT_EQ(partner.encoding, TextEncoding::gbk);
  EXPECT_EQ(partner.fixed_width.detail.length, 80u);
  EXPECT_EQ(partner.fixed_width.detail.fields.size(), 8u);
  EXPECT_EQ(partner.amounts.implied_decimals, 2);
  EXPECT_TRUE(partner.fixed_width.trailer_totals.has_sum);

  const Profile camt = load_embedded_profile("generic-camt053").value();
  EXPECT_EQ(camt.format, ProfileFormat::camt);
  EXPECT_FALSE(camt.keys.upper_case);

  EXPECT_EQ(load_embedded_profile("nope").error().code, Errc::not_found);
  EXPECT_TRUE(schemas::find("profiles/profile.schema.json").has_value());
}

// Shape errors come from the JSON Schema (schemas/profiles/profile.schema.json).
TEST(ProfileLoader, ShapeErrorsNameTheirJsonPointer) {
  EXPECT_EQ(error_of("[1]"), "profile p.json: must be an object");
  EXPECT_EQ(error_of(R"({"name": "x", "format": "csv"})"),
            "profile p.json: missing required property \"institution\"\n"
            "profile p.json: missing required property \"fields\"");
  EXPECT_EQ(error_of(R"({"name": "x", "institution": "I", "format": "xml"})"),
            "profile p.json: /format: must be one of \"csv\", \"fixed_width\", \"camt\", "
            "\"mt940\", \"bai2\"");
  EXPECT_EQ(error_of(R"({"name": "x", "institution": "I", "format": "camt", "colour": 1})"),
            "profile p.json: unknown property \"colour\"");
  EXPECT_EQ(error_of(R"({"name": "x", "institution": "I", "format": "csv", "currency": "CNY",
                        "fields": {"amount": {"column": 3}}})"),
            "profile p.json: /fields/amount/column: must be a string");
  EXPECT_EQ(error_of(R"({"name": "x", "institution": "I", "format": "csv", "currency": "CNY",
                        "fields": {"amont": {"index": 3}}})"),
            "profile p.json: /fields: unknown property \"amont\"");
  EXPECT_EQ(error_of("{"), "profile p.json: line 1, column 2: incomplete JSON");
}

TEST(ProfileLoader, SemanticErrorsNameTheField) {
  EXPECT_EQ(error_of(R"({"name": "x", "institution": "I", "format": "csv", "currency": "CNY",
                        "csv": {"header": "none"}, "fields": {"amount": {"column": "金额"}}})"),
            "profile p.json: field 'amount' names column '金额' but the file has no header row");
  EXPECT_EQ(error_of(R"({"name": "x", "institution": "I", "format": "csv",
                        "fields": {"amount": {"index": 1}}})"),
            "profile p.json: no currency: map the field 'currency' or give one");
  EXPECT_EQ(error_of(R"({"name": "x", "institution": "I", "format": "csv", "currency": "CNY",
                        "fields": {"reference": {"index": 1}}})"),
            "profile p.json: field 'amount' must be mapped: every record has an amount");
  EXPECT_EQ(error_of(R"({"name": "x", "institution": "I", "format": "csv", "currency": "CNY",
                        "fields": {"amount": {"index": 1}, "value_date": {"index": 2}}})"),
            "profile p.json: field 'value_date' is a date: give dates patterns");
  EXPECT_EQ(error_of(fixed_width_with(R"("amount": {"offset": 1, "length": 10},
                                         "reference": {"offset": 8, "length": 5})")),
            "profile p.json: detail fields 'amount' (offset 1, length 10) and 'reference' "
            "(offset 8, length 5) overlap");
  EXPECT_EQ(error_of(fixed_width_with(R"("amount": {"offset": 21, "length": 10})")),
            "profile p.json: detail field 'amount' (offset 21, length 10) is past the record's "
            "length of 30 bytes");
  EXPECT_EQ(error_of(fixed_width_with(R"("amount": {"offset": 0, "length": 10})")),
            "profile p.json: detail field 'amount' (offset 0, length 10) overlaps the record type "
            "tag");
  EXPECT_EQ(error_of(fixed_width_with(R"("amount": {"offset": 1, "length": 10})",
                                      R"(, "trailer": {"tag": "T", "length": 10,
                                          "count": {"offset": 1, "length": 8},
                                          "sum": {"offset": 9, "length": 8}})")),
            "profile p.json: trailer field 'sum' (offset 9, length 8) is past the record's length "
            "of 10 bytes");
  EXPECT_EQ(error_of(fixed_width_with(R"("amount": {"offset": 1, "length": 10})",
                                      R"(, "header": {"tag": "H", "length": 10,
                                          "fields": {"account": {"offset": 1, "length": 8}}})")),
            "profile p.json: header field 'account' is not read: a header gives only the "
            "details' business_date");
  EXPECT_EQ(error_of(fixed_width_with(R"("amount": {"offset": 1, "length": 10})")), "loaded");
}

}  // namespace
}  // namespace tally::adapters
