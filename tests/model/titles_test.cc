#include "model/titles.h"

#include "gtest/gtest.h"

namespace tessera::model {
namespace {

// Expected values follow Cube 0.27.53's CubeToMetaTransformer.titleize
// (camelcase -> inflection.underscore -> inflection.titleize).
TEST(Titles, MatchesCubeObservedOutput) {
  EXPECT_EQ(Titleize("createdAt"), "Created at");
  EXPECT_EQ(Titleize("created_at"), "Created at");
  EXPECT_EQ(Titleize("count"), "Count");
  EXPECT_EQ(Titleize("Products"), "Products");
}

TEST(Titles, EveryWordCapitalisedExceptSmallWords) {
  EXPECT_EQ(Titleize("line_items"), "Line Items");
  EXPECT_EQ(Titleize("LineItems"), "Line Items");
  EXPECT_EQ(Titleize("amount_in_usd"), "Amount in Usd");
  EXPECT_EQ(Titleize("of_the_day"), "Of the Day");  // first letter always upper
  EXPECT_EQ(Titleize("totalAmount"), "Total Amount");
}

TEST(Titles, AcronymsDigitsAndUnderscores) {
  EXPECT_EQ(Titleize("HTTPCode"), "Http Code");
  EXPECT_EQ(Titleize("order2items"), "Order2 Items");
  EXPECT_EQ(Titleize("_private"), "Private");
  EXPECT_EQ(Titleize("a__b"), "A B");
  EXPECT_EQ(Titleize("x"), "X");
  EXPECT_EQ(Titleize("ID"), "Id");
}

TEST(Titles, MemberTitleIsCubeTitleThenShortTitle) {
  EXPECT_EQ(MemberTitle("Products", "Created at"), "Products Created at");
}

}  // namespace
}  // namespace tessera::model
