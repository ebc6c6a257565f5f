// ValidateClaims: the RFC 7519 §4.1 registered claims, their types, and the
// clock comparisons at the exact edges of the leeway.
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "identity/claims_validator.h"

namespace tessera::identity {
namespace {

namespace json = boost::json;

constexpr int64_t kNow = 1'000'000;

json::object Obj(std::string_view text) { return json::parse(std::string(text)).as_object(); }

ClaimRules Rules() {
  ClaimRules r;
  r.leeway = std::chrono::seconds(60);
  r.require_exp = true;
  return r;
}

std::string WithExp(std::string_view extra = "") {
  std::string out = "{\"exp\":" + std::to_string(kNow + 3600);
  if (!extra.empty()) out += "," + std::string(extra);
  return out + "}";
}

absl::Status Check(std::string_view claims, const ClaimRules& rules = Rules()) {
  return ValidateClaims(Obj(claims), rules, kNow);
}

::testing::AssertionResult Ok(const absl::Status& s) {
  if (s.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "refused: " << s;
}
::testing::AssertionResult Denied(const absl::Status& s) {
  if (s.ok()) return ::testing::AssertionFailure() << "accepted";
  if (s.code() != absl::StatusCode::kPermissionDenied) return ::testing::AssertionFailure() << "wrong code: " << s;
  return ::testing::AssertionSuccess();
}

std::string Num(int64_t v) { return std::to_string(v); }

TEST(ClaimsValidatorTest, ExpAtNowMinusLeewayIsRefused) {
  EXPECT_TRUE(Denied(Check("{\"exp\":" + Num(kNow - 60) + "}")));
}

TEST(ClaimsValidatorTest, ExpOneSecondInsideLeewayIsAccepted) {
  EXPECT_TRUE(Ok(Check("{\"exp\":" + Num(kNow - 59) + "}")));
}

TEST(ClaimsValidatorTest, ExpWithZeroLeewayIsRefusedOnExp) {
  ClaimRules r = Rules();
  r.leeway = std::chrono::seconds(0);
  EXPECT_TRUE(Denied(Check("{\"exp\":" + Num(kNow) + "}", r)));  // "on or after" exp
  EXPECT_TRUE(Ok(Check("{\"exp\":" + Num(kNow + 1) + "}", r)));
}

TEST(ClaimsValidatorTest, NbfAtNowPlusLeewayIsAccepted) {
  EXPECT_TRUE(Ok(Check(WithExp("\"nbf\":" + Num(kNow + 60)))));
}

TEST(ClaimsValidatorTest, NbfBeyondLeewayIsRefused) {
  EXPECT_TRUE(Denied(Check(WithExp("\"nbf\":" + Num(kNow + 61)))));
}

TEST(ClaimsValidatorTest, IatBeyondLeewayIsRefused) {
  EXPECT_TRUE(Denied(Check(WithExp("\"iat\":" + Num(kNow + 61)))));
}

TEST(ClaimsValidatorTest, IatAtNowPlusLeewayIsAccepted) {
  EXPECT_TRUE(Ok(Check(WithExp("\"iat\":" + Num(kNow + 60)))));
}

TEST(ClaimsValidatorTest, MissingExpRefusedByDefault) {
  EXPECT_TRUE(Denied(Check("{\"sub\":\"a\"}")));
  EXPECT_TRUE(Denied(Check("{}")));
}

TEST(ClaimsValidatorTest, MissingExpAcceptedWhenNotRequired) {
  ClaimRules r = Rules();
  r.require_exp = false;
  EXPECT_TRUE(Ok(Check("{\"sub\":\"a\"}", r)));
  // ...but an exp that is present is still checked.
  EXPECT_TRUE(Denied(Check("{\"exp\":" + Num(kNow - 1000) + "}", r)));
}

TEST(ClaimsValidatorTest, ExpOfWrongTypeRefused) {
  const std::string future = Num(kNow + 3600);
  EXPECT_TRUE(Denied(Check("{\"exp\":\"" + future + "\"}")));
  EXPECT_TRUE(Denied(Check("{\"exp\":true}")));
  EXPECT_TRUE(Denied(Check("{\"exp\":null}")));
  EXPECT_TRUE(Denied(Check("{\"exp\":[" + future + "]}")));
  EXPECT_TRUE(Denied(Check("{\"exp\":{}}")));
  // Not even with require_exp=false: a present exp of the wrong type is an error.
  ClaimRules r = Rules();
  r.require_exp = false;
  EXPECT_TRUE(Denied(Check("{\"exp\":null}", r)));
  EXPECT_TRUE(Denied(Check("{\"exp\":\"" + future + "\"}", r)));
}

TEST(ClaimsValidatorTest, NbfAndIatOfWrongTypeRefused) {
  EXPECT_TRUE(Denied(Check(WithExp("\"nbf\":\"0\""))));
  EXPECT_TRUE(Denied(Check(WithExp("\"iat\":false"))));
}

TEST(ClaimsValidatorTest, FractionalExp) {
  // now >= exp + leeway refuses: now - 59.5 + 60 = now + 0.5 > now.
  EXPECT_TRUE(Ok(Check("{\"exp\":" + Num(kNow - 60) + ".5}")));
  EXPECT_TRUE(Denied(Check("{\"exp\":" + Num(kNow - 61) + ".5}")));
  EXPECT_TRUE(Ok(Check("{\"exp\":" + Num(kNow + 10) + ".25}")));
}

TEST(ClaimsValidatorTest, HugeExpAcceptedWithoutCrash) {
  EXPECT_TRUE(Ok(Check("{\"exp\":1e300}")));
  EXPECT_TRUE(Ok(Check("{\"exp\":18446744073709551615}")));  // uint64 max
  EXPECT_TRUE(Denied(Check("{\"exp\":-1e300}")));
  EXPECT_TRUE(Ok(Check(WithExp("\"nbf\":-1e300"))));
  EXPECT_TRUE(Denied(Check(WithExp("\"nbf\":1e300"))));
}

TEST(ClaimsValidatorTest, IssuerMustEqualOneOfTheList) {
  ClaimRules r = Rules();
  r.issuers = {"https://a.example", "https://b.example"};
  EXPECT_TRUE(Ok(Check(WithExp("\"iss\":\"https://b.example\""), r)));
  EXPECT_TRUE(Ok(Check(WithExp("\"iss\":\"https://a.example\""), r)));
  EXPECT_TRUE(Denied(Check(WithExp("\"iss\":\"https://c.example\""), r)));
  EXPECT_TRUE(Denied(Check(WithExp("\"iss\":\"https://B.example\""), r)));     // exact, case-sensitive
  EXPECT_TRUE(Denied(Check(WithExp("\"iss\":\"https://b.example/\""), r)));    // no prefix matching
  EXPECT_TRUE(Denied(Check(WithExp("\"iss\":\"https://b.exampl\""), r)));
  EXPECT_TRUE(Denied(Check(WithExp(), r)));                                    // missing
  EXPECT_TRUE(Denied(Check(WithExp("\"iss\":[\"https://b.example\"]"), r)));   // wrong type
}

TEST(ClaimsValidatorTest, IssuerOfWrongTypeRefusedEvenWhenNotConfigured) {
  EXPECT_TRUE(Denied(Check(WithExp("\"iss\":1"))));
  EXPECT_TRUE(Ok(Check(WithExp("\"iss\":\"anyone\""))));
}

TEST(ClaimsValidatorTest, AudienceAsString) {
  ClaimRules r = Rules();
  r.audiences = {"api-1", "api-2"};
  EXPECT_TRUE(Ok(Check(WithExp("\"aud\":\"api-2\""), r)));
  EXPECT_TRUE(Denied(Check(WithExp("\"aud\":\"api-3\""), r)));
  EXPECT_TRUE(Denied(Check(WithExp("\"aud\":\"api-1 api-2\""), r)));
  EXPECT_TRUE(Denied(Check(WithExp(), r)));
}

TEST(ClaimsValidatorTest, AudienceAsArrayContainingOneConfigured) {
  ClaimRules r = Rules();
  r.audiences = {"api-1", "api-2"};
  EXPECT_TRUE(Ok(Check(WithExp("\"aud\":[\"other\",\"api-2\"]"), r)));
  EXPECT_TRUE(Ok(Check(WithExp("\"aud\":[\"api-1\"]"), r)));
  EXPECT_TRUE(Denied(Check(WithExp("\"aud\":[\"other\",\"third\"]"), r)));
  EXPECT_TRUE(Denied(Check(WithExp("\"aud\":[]"), r)));
}

TEST(ClaimsValidatorTest, AudienceOfWrongTypeRefused) {
  ClaimRules r = Rules();
  r.audiences = {"api-1"};
  EXPECT_TRUE(Denied(Check(WithExp("\"aud\":1"), r)));
  EXPECT_TRUE(Denied(Check(WithExp("\"aud\":{\"api-1\":true}"), r)));
  EXPECT_TRUE(Denied(Check(WithExp("\"aud\":[\"api-1\",2]"), r)));
  EXPECT_TRUE(Denied(Check(WithExp("\"aud\":null"), r)));
  // Wrong types are refused even when no audience is configured.
  EXPECT_TRUE(Denied(Check(WithExp("\"aud\":1"))));
  EXPECT_TRUE(Denied(Check(WithExp("\"aud\":[null]"))));
}

TEST(ClaimsValidatorTest, SubjectMustMatch) {
  ClaimRules r = Rules();
  r.subject = "service-a";
  EXPECT_TRUE(Ok(Check(WithExp("\"sub\":\"service-a\""), r)));
  EXPECT_TRUE(Denied(Check(WithExp("\"sub\":\"service-b\""), r)));
  EXPECT_TRUE(Denied(Check(WithExp("\"sub\":\"Service-A\""), r)));
  EXPECT_TRUE(Denied(Check(WithExp(), r)));
  EXPECT_TRUE(Denied(Check(WithExp("\"sub\":[\"service-a\"]"), r)));
  EXPECT_TRUE(Denied(Check(WithExp("\"sub\":7"))));  // wrong type, not configured
}

}  // namespace
}  // namespace tessera::identity
