#include "http/request_id.h"

#include <regex>
#include <set>
#include <string>

#include "gtest/gtest.h"

namespace tessera::http {
namespace {

TEST(RequestIdTest, AcceptsSaneClientIds) {
  EXPECT_TRUE(IsAcceptableRequestId("abc"));
  EXPECT_TRUE(IsAcceptableRequestId("3f9a1c2e-7b4d-4e8a-9c1f-2a3b4c5d6e7f-span-1"));
  EXPECT_TRUE(IsAcceptableRequestId("trace:01.AB_cd-9"));
  EXPECT_TRUE(IsAcceptableRequestId(std::string(128, 'x')));
}

TEST(RequestIdTest, RejectsEmptyLongOrUnsafeIds) {
  EXPECT_FALSE(IsAcceptableRequestId(""));
  EXPECT_FALSE(IsAcceptableRequestId(std::string(129, 'x')));
  EXPECT_FALSE(IsAcceptableRequestId("has space"));
  EXPECT_FALSE(IsAcceptableRequestId("quote\""));
  EXPECT_FALSE(IsAcceptableRequestId("line\r\nbreak"));
  EXPECT_FALSE(IsAcceptableRequestId("caf\xc3\xa9"));
}

TEST(RequestIdTest, GeneratedIdsLookLikeCubesAndDoNotRepeat) {
  const std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-span-1");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewRequestId();
    ASSERT_TRUE(std::regex_match(id, shape)) << id;
    ASSERT_TRUE(IsAcceptableRequestId(id));
    seen.insert(std::move(id));
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(RequestIdTest, ChooseKeepsGoodClientIdAndReplacesBadOne) {
  const std::string good = "client-42";
  const std::string bad = "bad id";
  EXPECT_EQ(ChooseRequestId(&good), "client-42");
  EXPECT_NE(ChooseRequestId(&bad), "bad id");
  EXPECT_TRUE(IsAcceptableRequestId(ChooseRequestId(&bad)));
  EXPECT_TRUE(IsAcceptableRequestId(ChooseRequestId(nullptr)));
}

}  // namespace
}  // namespace tessera::http
