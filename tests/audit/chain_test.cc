#include "audit/chain.h"

#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "audit/record_fields.h"
#include "audit/record_signer.h"

namespace tessera::audit {
namespace {

std::string WithoutNewline(const SealedRecord& r) { return r.line.substr(0, r.line.size() - 1); }

TEST(Chain, SealedRecordsLinkToTheirPredecessor) {
  ChainPoint start;
  SealedRecord a = Seal(start, RecordFields().Str("kind", "start").text());
  EXPECT_EQ(a.seq, 1);
  EXPECT_EQ(a.line.back(), '\n');
  absl::StatusOr<OpenedRecord> opened = OpenLine(WithoutNewline(a));
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->prev, std::string(kGenesisHash));
  EXPECT_EQ(opened->hash, a.hash);
  EXPECT_EQ(opened->fields.at("kind").as_string(), "start");

  SealedRecord b = Seal(ChainPoint{a.seq, a.hash}, RecordFields().Str("kind", "request").text());
  opened = OpenLine(WithoutNewline(b));
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->seq, 2);
  EXPECT_EQ(opened->prev, a.hash);
  EXPECT_NE(a.hash, b.hash);
}

TEST(Chain, AnyEditBreaksTheRecord) {
  SealedRecord a = Seal(ChainPoint{}, RecordFields().Str("subject", "alice").Int("rows", 12).text());
  std::string line = WithoutNewline(a);
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"alice", "mallory"}, {"\"rows\":12", "\"rows\":13"}, {"\"seq\":1", "\"seq\":2"}, {"\"prev\":\"0", "\"prev\":\"1"}}) {
    std::string edited = line;
    edited.replace(edited.find(from), from.size(), to);
    EXPECT_FALSE(OpenLine(edited).ok()) << edited;
  }
  // A duplicate seq member placed before the hashed one is refused.
  std::string dup = "{\"seq\":9," + line.substr(1);
  EXPECT_FALSE(OpenLine(dup).ok());
  EXPECT_FALSE(OpenLine(line.substr(0, line.size() - 5)).ok());
  EXPECT_FALSE(OpenLine("").ok());
  EXPECT_FALSE(OpenLine("not json").ok());
}

TEST(RecordFields, StringsStayValidJsonWhateverTheBytes) {
  std::string out;
  AppendJsonString(out, std::string("a\"b\\c\n\x01\xff\xc3\xa9\xed\xa0\x80", 13));
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001\\ufffd\xc3\xa9\\ufffd\\ufffd\\ufffd\"");
  RecordFields f;
  f.Str("a", "x").Int("n", -3).Null("z").StrList("l", {"p", "q"}).Millis("d", 1234).Bool("b", true);
  EXPECT_EQ(f.text(), R"("a":"x","n":-3,"z":null,"l":["p","q"],"d":1.234,"b":true)");
  EXPECT_EQ(RecordFields().Millis("d", 5).text(), R"("d":0.005)");
  EXPECT_EQ(RecordFields().Int("a", 1).Members(R"("b":2,"c":3)").Members("").text(), R"("a":1,"b":2,"c":3)");
}

TEST(RecordFields, RecordTimeIsUtcWithMicroseconds) {
  for (int i = 0; i < 3; ++i) {
    absl::Time before = absl::Now();
    std::string t = RecordTime();
    absl::Time after = absl::Now();
    ASSERT_EQ(t.size(), 27u) << t;
    absl::Time parsed;
    std::string error;
    ASSERT_TRUE(absl::ParseTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone(), &parsed, &error)) << t << error;
    EXPECT_GE(parsed, before - absl::Microseconds(1)) << t;
    EXPECT_LE(parsed, after) << t;
  }
}

TEST(RecordSigner, SignsAChainPointThatOnlyTheMatchingPublicKeyVerifies) {
  // A fixed Ed25519 key (RFC 8032 test 1's secret, PKCS#8).
  const char* pem =
      "-----BEGIN PRIVATE KEY-----\n"
      "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
      "-----END PRIVATE KEY-----\n";
  auto signer = RecordSigner::FromPem(pem);
  ASSERT_TRUE(signer.ok()) << signer.status();
  ChainPoint point{42, std::string(64, 'a')};
  std::string sig = (*signer)->Sign(point);
  EXPECT_EQ(sig.size(), 86u);  // 64 bytes, base64url without padding
  auto checker = SignatureChecker::FromPem((*signer)->public_pem());
  ASSERT_TRUE(checker.ok()) << checker.status();
  EXPECT_EQ((*checker)->key_id(), (*signer)->key_id());
  EXPECT_TRUE((*checker)->Verify(point, sig));
  EXPECT_FALSE((*checker)->Verify(ChainPoint{43, point.hash}, sig));
  EXPECT_FALSE((*checker)->Verify(ChainPoint{42, std::string(64, 'b')}, sig));
  EXPECT_FALSE((*checker)->Verify(point, sig.substr(1)));
  EXPECT_FALSE(SignatureChecker::FromPem(pem).ok());  // a private key is not for verifiers
  EXPECT_FALSE(RecordSigner::FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").ok());
}

}  // namespace
}  // namespace tessera::audit
