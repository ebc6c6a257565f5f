// The echoed "query" object. Expected strings were produced by Cube 0.27.53's
// normalizeQuery on the same input (see docs/cube-rest-examples.md for the
// first one), so these are byte-for-byte Cube's echo.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "query/normalize.h"
#include "query_test_support.h"

namespace tessera::query {
namespace {

using testing::Echo;

TEST(NormalizedJson, CubeRestExampleLoad) {
  EXPECT_EQ(
      Echo(R"({"measures":["Products.count"],"timeDimensions":[{"dimension":"Products.createdAt","granularity":"month","dateRange":["2024-01-01","2024-02-29"]}]})"),
      R"({"measures":["Products.count"],"timeDimensions":[{"dimension":"Products.createdAt","granularity":"month","dateRange":["2024-01-01T00:00:00.000","2024-02-29T23:59:59.999"]}],"timezone":"UTC","order":[],"filters":[],"dimensions":[]})");
}

TEST(NormalizedJson, CubeRestExampleDryRun) {
  EXPECT_EQ(Echo(R"({"measures":["Products.count"]})"),
            R"({"measures":["Products.count"],"timezone":"UTC","order":[],"filters":[],"dimensions":[],"timeDimensions":[]})");
}

TEST(NormalizedJson, ClientKeysFirstThenCubesKeys) {
  EXPECT_EQ(
      Echo(R"({"limit":10,"measures":["A.b"],"order":{"A.b":"desc","A.c":"asc"},"offset":3,"renewQuery":true,"ungrouped":false,"timeDimensions":[{"dimension":"A.t","granularity":"day","dateRange":"2024-01-05"}]})"),
      R"({"limit":10,"measures":["A.b"],"order":[{"id":"A.b","desc":true},{"id":"A.c","desc":false}],"offset":3,"renewQuery":true,"ungrouped":false,"timeDimensions":[{"dimension":"A.t","granularity":"day","dateRange":["2024-01-05T00:00:00.000","2024-01-05T23:59:59.999"]}],"rowLimit":10,"timezone":"UTC","filters":[],"dimensions":[]})");
}

TEST(NormalizedJson, FiltersEchoMemberLast) {
  EXPECT_EQ(
      Echo(R"({"dimensions":["A.d"],"segments":["A.s"],"timezone":"America/New_York","filters":[{"dimension":"A.d","operator":"notEquals","values":["x"]},{"or":[{"member":"A.d","operator":"set"},{"member":"A.b","operator":"gt","values":["5"]}]}],"measures":["A.b"],"order":[["A.b","desc"]]})"),
      R"({"dimensions":["A.d"],"segments":["A.s"],"timezone":"America/New_York","filters":[{"operator":"notEquals","values":["x"],"member":"A.d"},{"or":[{"member":"A.d","operator":"set"},{"member":"A.b","operator":"gt","values":["5"]}]}],"measures":["A.b"],"order":[{"id":"A.b","desc":true}],"timeDimensions":[]})");
}

TEST(NormalizedJson, NullAndEmptyValues) {
  EXPECT_EQ(
      Echo(R"({"measures":["A.b"],"filters":[{"member":"A.b","operator":"equals","values":[null,""]}]})"),
      R"({"measures":["A.b"],"filters":[{"operator":"equals","values":[null,""],"member":"A.b"}],"timezone":"UTC","order":[],"dimensions":[],"timeDimensions":[]})");
}

TEST(NormalizedJson, NumbersInValuesAreEchoedAsText) {
  EXPECT_EQ(
      Echo(R"({"measures":["A.b"],"filters":[{"member":"A.b","operator":"gt","values":[10.50]}]})"),
      R"({"measures":["A.b"],"filters":[{"operator":"gt","values":["10.5"],"member":"A.b"}],"timezone":"UTC","order":[],"dimensions":[],"timeDimensions":[]})");
}

TEST(NormalizedJson, DimensionWithGranularityMovesToTimeDimensions) {
  EXPECT_EQ(Echo(R"({"measures":["A.b"],"dimensions":["A.c.day","A.d"]})"),
            R"({"measures":["A.b"],"dimensions":["A.d"],"timezone":"UTC","order":[],"filters":[],"timeDimensions":[{"dimension":"A.c","granularity":"day"}]})");
}

TEST(NormalizedJson, EmptyGroupAndNoMeasuresKey) {
  EXPECT_EQ(Echo(R"({"dimensions":["A.d"],"filters":[{"and":[]}]})"),
            R"({"dimensions":["A.d"],"filters":[{"and":[]}],"timezone":"UTC","order":[],"timeDimensions":[]})");
}

TEST(NormalizedJson, DateTimeBoundsKeepTheirTime) {
  EXPECT_EQ(
      Echo(R"({"measures":["A.b"],"timeDimensions":[{"dimension":"A.t","granularity":"day","dateRange":["2024-01-01T10:00:00","2024-01-02T11:30:00.250"]},{"dimension":"A.u"}]})"),
      R"({"measures":["A.b"],"timeDimensions":[{"dimension":"A.t","granularity":"day","dateRange":["2024-01-01T10:00:00.000","2024-01-02T11:30:00.250"]},{"dimension":"A.u"}],"timezone":"UTC","order":[],"filters":[],"dimensions":[]})");
}

TEST(NormalizedJson, RelativeRangeInTheQueryZone) {
  EXPECT_EQ(
      Echo(R"({"measures":["A.b"],"timezone":"America/New_York","timeDimensions":[{"dimension":"A.t","dateRange":"last 7 days"}]})"),
      R"({"measures":["A.b"],"timezone":"America/New_York","timeDimensions":[{"dimension":"A.t","dateRange":["2024-03-08T00:00:00.000","2024-03-14T23:59:59.999"]}],"order":[],"filters":[],"dimensions":[]})");
}

TEST(NormalizedJson, TotalIsEchoedWhereGiven) {
  EXPECT_EQ(Echo(R"({"measures":["A.b"],"total":true})"),
            R"({"measures":["A.b"],"total":true,"timezone":"UTC","order":[],"filters":[],"dimensions":[],"timeDimensions":[]})");
}

TEST(NormalizedJson, QueryBuiltInCode) {
  Query q;
  q.measures = {"A.b"};
  q.dimensions = {"A.c"};
  q.limit = 100;
  FilterNode f;
  f.leaf = MemberFilter{"A.c", FilterOperator::kSet, {}};
  q.filters.push_back(f);
  q.order = std::vector<OrderItem>{{"A.c", false}};
  EXPECT_EQ(boost::json::serialize(NormalizedJson(q)),
            R"({"measures":["A.b"],"limit":100,"rowLimit":100,"timezone":"UTC","order":[{"id":"A.c","desc":false}],"filters":[{"operator":"set","member":"A.c"}],"dimensions":["A.c"],"timeDimensions":[]})");
}

}  // namespace
}  // namespace tessera::query
