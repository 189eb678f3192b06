#include <gtest/gtest.h>

#include <tally/adapters/text_encoding.hpp>

namespace tally::adapters {
namespace {

std::string decode(std::string_view bytes, TextEncoding encoding) {
  std::string out;
  auto decoded = append_utf8(as_bytes(bytes), encoding, out);
  return decoded ? out : "error at " + std::to_string(decoded.error().offset);
}

TEST(TextEncoding, GbkAndGb18030DecodeToUtf8) {
  EXPECT_EQ(decode("\xD5\xC5\xC8\xFD abc", TextEncoding::gbk), "张三 abc");
  EXPECT_EQ(decode("\xA3\xA4\x31", TextEncoding::gbk), "￥1");
  EXPECT_EQ(decode("\x96\x7C", TextEncoding::gbk), "東");  // trail byte 0x7C is '|' in ASCII
  EXPECT_EQ(decode("\x95\x32\x82\x36", TextEncoding::gb18030), "\U00020000");
  EXPECT_EQ(decode("\x81\x30\x81\x30", TextEncoding::gb18030), "\u0080");
  EXPECT_EQ(decode("plain", TextEncoding::gbk), "plain");
}

TEST(TextEncoding, MalformedBytesAreLocatedNeverReplaced) {
  EXPECT_EQ(decode("ab\xD5", TextEncoding::gbk), "error at 2");        // truncated
  EXPECT_EQ(decode("\xD5\xC5\xFF", TextEncoding::gbk), "error at 2");  // 0xFF never leads
  EXPECT_EQ(decode("\x80", TextEncoding::gbk), "error at 0");          // not GBK (CP936's €)
  EXPECT_EQ(decode("\x95\x32\x82\x36", TextEncoding::gbk), "error at 0");
  EXPECT_EQ(decode("ok\xC3\x28", TextEncoding::utf8), "error at 2");
  EXPECT_EQ(decode("\xE0\x80\xAF", TextEncoding::utf8), "error at 0");      // overlong
  EXPECT_EQ(decode("\xED\xA0\x80", TextEncoding::utf8), "error at 0");      // a surrogate
  EXPECT_EQ(decode("\xF4\x90\x80\x80", TextEncoding::utf8), "error at 0");  // past U+10FFFF
  EXPECT_EQ(decode("张", TextEncoding::utf8), "张");
}

TEST(TextEncoding, CharacterLengthsFollowEachEncodingsByteRanges) {
  const auto length = [](std::string_view bytes, TextEncoding encoding) {
    return character_length(as_bytes(bytes), encoding);
  };
  EXPECT_EQ(length("\x81\x40", TextEncoding::gbk), 2u);
  EXPECT_EQ(length("\x81\x7F", TextEncoding::gbk), 0u);  // 0x7F is no trail byte
  EXPECT_EQ(length("\xFE\xFE", TextEncoding::gbk), 2u);
  EXPECT_EQ(length("\x81\x30\x81\x30", TextEncoding::gbk), 0u);
  EXPECT_EQ(length("\x81\x30\x81\x30", TextEncoding::gb18030), 4u);
  EXPECT_EQ(length("\x81\x30\x81", TextEncoding::gb18030), 0u);
  EXPECT_EQ(length("\xF0\x9F\x98\x80", TextEncoding::utf8), 4u);
}

TEST(TextEncoding, NfkcFoldsFullwidthKeysToAscii) {
  EXPECT_EQ(nfkc_fold("ＬＯＡＮ－００１").value(), "LOAN-001");
  EXPECT_EQ(nfkc_fold("ＲＥＦ　０１").value(), "REF 01");
  EXPECT_EQ(nfkc_fold("张三").value(), "张三");
  EXPECT_EQ(nfkc_fold("ascii stays").value(), "ascii stays");
}

TEST(TextEncoding, AsciiFastPathAndBom) {
  EXPECT_TRUE(is_ascii(as_bytes("0123456789abcdefgh")));
  EXPECT_FALSE(is_ascii(as_bytes("0123456789abcdef\x80")));
  EXPECT_FALSE(is_ascii(as_bytes("\xD5\xC5")));
  EXPECT_EQ(utf8_bom_length(as_bytes("\xEF\xBB\xBFx")), 3u);
  EXPECT_EQ(utf8_bom_length(as_bytes("\xEF\xBBx")), 0u);
  EXPECT_EQ(parse_text_encoding("gb18030").value(), TextEncoding::gb18030);
  EXPECT_FALSE(parse_text_encoding("latin1"));
}

}  // namespace
}  // namespace tally::adapters
