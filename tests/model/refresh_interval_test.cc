#include "model/refresh_interval.h"

#include "gtest/gtest.h"

namespace tessera::model {
namespace {

TEST(RefreshInterval, UnitsSingularAndPlural) {
  EXPECT_EQ(*ParseRefreshInterval("10 second"), 10);
  EXPECT_EQ(*ParseRefreshInterval("10 seconds"), 10);
  EXPECT_EQ(*ParseRefreshInterval("30 minutes"), 1800);
  EXPECT_EQ(*ParseRefreshInterval("1 hour"), 3600);
  EXPECT_EQ(*ParseRefreshInterval("2 days"), 172800);
  EXPECT_EQ(*ParseRefreshInterval("1 week"), 604800);
}

TEST(RefreshInterval, RejectsOtherForms) {
  for (const char* bad : {"", "hour", "1hour", "1  hour", " 1 hour", "1 hours ", "1 month",
                          "-1 hour", "1.5 hours", "0 seconds", "*/5 * * * *",
                          "9999999999 weeks"}) {
    EXPECT_FALSE(ParseRefreshInterval(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace tessera::model
