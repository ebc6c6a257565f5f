// The `order` key in both of Cube's forms, and Joi's alternatives messages.
#include <gtest/gtest.h>

#include "query_test_support.h"

namespace tessera::query {
namespace {

using testing::Parse;
using testing::ParseError;

std::string WithOrder(std::string_view order) {
  return R"({"measures":["A.b"],"dimensions":["A.c"],"order":)" + std::string(order) + "}";
}

TEST(OrderParse, ObjectForm) {
  auto q = Parse(WithOrder(R"({"A.b":"desc","A.c":"asc"})"));
  ASSERT_TRUE(q.ok()) << q.status();
  ASSERT_TRUE(q->order.has_value());
  ASSERT_EQ(q->order->size(), 2u);
  EXPECT_EQ((*q->order)[0].member, "A.b");
  EXPECT_TRUE((*q->order)[0].desc);
  EXPECT_EQ((*q->order)[1].member, "A.c");
  EXPECT_FALSE((*q->order)[1].desc);
  EXPECT_TRUE(q->order_given_as_object);
}

TEST(OrderParse, ArrayForm) {
  auto q = Parse(WithOrder(R"([["A.c","asc"],["A.b","desc"]])"));
  ASSERT_TRUE(q.ok()) << q.status();
  ASSERT_EQ(q->order->size(), 2u);
  EXPECT_EQ((*q->order)[0].member, "A.c");
  EXPECT_FALSE((*q->order)[0].desc);
  EXPECT_TRUE((*q->order)[1].desc);
  EXPECT_FALSE(q->order_given_as_object);
}

TEST(OrderParse, EmptyOrderMeansNoOrdering) {
  auto q = Parse(WithOrder("[]"));
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(q->order.has_value());
  EXPECT_TRUE(q->order->empty());
  q = Parse(WithOrder("{}"));
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->order->empty());
}

TEST(OrderParse, ObjectErrors) {
  EXPECT_EQ(ParseError(WithOrder(R"({"A.b":"up"})")),
            "Invalid query format: child \"order\" fails because [child \"A.b\" fails because "
            "[\"A.b\" must be one of [asc, desc]], \"order\" must be an array]");
  EXPECT_EQ(ParseError(WithOrder(R"({"Ab":"asc"})")),
            "Invalid query format: child \"order\" fails because [\"Ab\" is not allowed, "
            "\"order\" must be an array]");
  // Directions are case-sensitive, as in Cube.
  EXPECT_EQ(ParseError(WithOrder(R"({"A.b":"DESC"})")),
            "Invalid query format: child \"order\" fails because [child \"A.b\" fails because "
            "[\"A.b\" must be one of [asc, desc]], \"order\" must be an array]");
}

TEST(OrderParse, ArrayErrors) {
  EXPECT_EQ(ParseError(WithOrder(R"([["A.b","up"]])")),
            "Invalid query format: child \"order\" fails because [\"order\" must be an object, "
            "\"order\" at position 0 fails because [\"0\" at position 1 fails because [\"1\" "
            "must be one of [asc, desc]]]]");
  EXPECT_EQ(ParseError(WithOrder(R"([["Ab","asc"]])")),
            "Invalid query format: child \"order\" fails because [\"order\" must be an object, "
            "\"order\" at position 0 fails because [\"0\" at position 0 fails because [\"0\" "
            "with value \"Ab\" fails to match the required pattern: "
            "/^[a-zA-Z0-9_]+\\.[a-zA-Z0-9_]+$/]]]");
  EXPECT_EQ(ParseError(WithOrder(R"([["A.b"]])")),
            "Invalid query format: child \"order\" fails because [\"order\" must be an object, "
            "\"order\" at position 0 fails because [\"0\" must contain at least 2 items]]");
  EXPECT_EQ(ParseError(WithOrder(R"([["A.b","asc","x"]])")),
            "Invalid query format: child \"order\" fails because [\"order\" must be an object, "
            "\"order\" at position 0 fails because [\"0\" at position 2 fails because array "
            "must contain at most 2 items]]");
  EXPECT_EQ(ParseError(WithOrder(R"(["A.b"])")),
            "Invalid query format: child \"order\" fails because [\"order\" must be an object, "
            "\"order\" at position 0 fails because [\"0\" must be an array]]");
  EXPECT_EQ(ParseError(WithOrder(R"("x")")),
            "Invalid query format: child \"order\" fails because [\"order\" must be an object, "
            "\"order\" must be an array]");
}

}  // namespace
}  // namespace tessera::query
