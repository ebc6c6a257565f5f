#include "identity/jose/base64url.h"

#include <string>

#include <gtest/gtest.h>

namespace tessera::identity::jose {
namespace {

TEST(Base64Url, Rfc4648Vectors) {
  // RFC 4648 §10 vectors, without padding and with the URL alphabet.
  const std::pair<std::string, std::string> cases[] = {
      {"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [raw, encoded] : cases) {
    EXPECT_EQ(EncodeBase64Url(raw), encoded);
    absl::StatusOr<std::string> decoded = DecodeBase64Url(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded;
    EXPECT_EQ(*decoded, raw);
  }
}

TEST(Base64Url, UrlAlphabet) {
  const std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(EncodeBase64Url(bytes), "-_-_");
  EXPECT_EQ(*DecodeBase64Url("-_-_"), bytes);
}

TEST(Base64Url, RoundTripAllLengths) {
  std::string bytes;
  for (int i = 0; i < 70; ++i) {
    absl::StatusOr<std::string> back = DecodeBase64Url(EncodeBase64Url(bytes));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, bytes);
    bytes.push_back(static_cast<char>(i * 37 + 11));
  }
}

TEST(Base64Url, RejectsPaddingWhitespaceAndStandardAlphabet) {
  for (const char* bad : {"Zg==", "Zm8=", "Zm9v ", " Zm9v", "Zm\n9v", "Zm9v\r", "Zm+v", "Zm/v",
                          "Zm9v.", "Zm9v\t", "Zm9?", "Z"}) {
    EXPECT_FALSE(DecodeBase64Url(bad).ok()) << bad;
  }
  EXPECT_FALSE(DecodeBase64Url(std::string("Zm\0v", 4)).ok());
  EXPECT_FALSE(DecodeBase64Url("Zm9v\xc3\xa9").ok());
}

TEST(Base64Url, RejectsNonCanonicalTrailingBits) {
  // "Zg" is the only encoding of "f"; "Zh" differs only in unused low bits.
  EXPECT_TRUE(DecodeBase64Url("Zg").ok());
  EXPECT_FALSE(DecodeBase64Url("Zh").ok());
  EXPECT_FALSE(DecodeBase64Url("Zm9").ok());  // "fo" is "Zm8"
  EXPECT_TRUE(DecodeBase64Url("Zm8").ok());
  EXPECT_FALSE(DecodeBase64Url("AB").ok());  // Wycheproof ModifiedUnusedBitsInPayload
}

TEST(Base64Url, RejectsImpossibleLength) {
  EXPECT_FALSE(DecodeBase64Url("A").ok());
  EXPECT_FALSE(DecodeBase64Url("AAAAA").ok());
}

}  // namespace
}  // namespace tessera::identity::jose
