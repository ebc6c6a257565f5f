#include "demo/demo_rows.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "demo/random.h"

namespace tessera::demo {
namespace {

// Stream tags: one PRNG stream per table.
constexpr uint64_t kUsersTag = 1, kProductsTag = 2, kOrdersTag = 3;

const absl::CivilSecond kEpoch(1970, 1, 1, 0, 0, 0);

int64_t UnixSeconds(absl::CivilSecond t) { return t - kEpoch; }

// Orders span the two calendar years 2023 and 2024 (UTC).
const int64_t kOrdersBegin = UnixSeconds(absl::CivilSecond(2023, 1, 1, 0, 0, 0));
const int64_t kOrdersEnd = UnixSeconds(absl::CivilSecond(2025, 1, 1, 0, 0, 0));
const int64_t kUsersBegin = UnixSeconds(absl::CivilSecond(2022, 1, 1, 0, 0, 0));
const int64_t kProductsBegin = kUsersBegin;
const int64_t kProductsEnd = UnixSeconds(absl::CivilSecond(2023, 1, 1, 0, 0, 0));

constexpr std::array<absl::string_view, 32> kFirstNames = {
    "James", "Mary",   "Robert", "Patricia", "John",    "Jennifer", "Michael", "Linda",
    "David", "Elena",  "Wei",    "Aisha",    "Carlos",  "Sofia",    "Hiroshi", "Priya",
    "Liam",  "Emma",   "Noah",   "Olivia",   "Mateo",   "Chloe",    "Arjun",   "Fatima",
    "Lukas", "Ingrid", "Kwame",  "Amara",    "Dmitri",  "Yuki",     "Omar",    "Zoe"};
// O'Connor and D'Angelo put quotes into the data: SQL literals must escape them.
constexpr std::array<absl::string_view, 32> kLastNames = {
    "Smith",  "Johnson", "Williams", "Brown",    "Jones",  "Garcia",  "Miller",   "Davis",
    "Chen",   "Wang",    "Patel",    "Kumar",    "Muller", "Schmidt", "Rossi",    "Silva",
    "Santos", "Kim",     "Lee",      "Nguyen",   "Tanaka", "Sato",    "O'Connor", "D'Angelo",
    "Novak",  "Kowalski", "Ivanova", "Andersen", "Dubois", "Moreau",  "Okafor",   "Haddad"};

struct City {
  absl::string_view name;
  uint32_t weight;
};
constexpr std::array<City, 16> kCities = {{{"New York", 120},
                                           {"San Francisco", 90},
                                           {"Los Angeles", 80},
                                           {"Chicago", 70},
                                           {"Austin", 50},
                                           {"Seattle", 50},
                                           {"Boston", 45},
                                           {"London", 70},
                                           {"Berlin", 55},
                                           {"Paris", 45},
                                           {"Amsterdam", 30},
                                           {"Mumbai", 50},
                                           {"Bangalore", 40},
                                           {"Tokyo", 45},
                                           {"Singapore", 30},
                                           {"Sydney", 30}}};
constexpr uint32_t kUsersWithoutCityPercent = 2;

// Tenant i + 1 is company kCompanies[i]; a few big tenants, many small.
constexpr std::array<absl::string_view, 8> kCompanies = {
    "Acme Corp", "Globex",    "Initech",           "Umbrella",
    "Hooli",     "Soylent",   "Wayne Enterprises", "Vandelay Industries"};
constexpr std::array<uint32_t, 8> kTenantWeights = {25, 18, 14, 12, 10, 9, 7, 5};

struct Category {
  absl::string_view name;
  int64_t min_dollars;
  int64_t max_dollars;
  std::array<absl::string_view, 6> nouns;
};
constexpr std::array<Category, 8> kCategories = {{
    {"Books", 5, 60, {"Novel", "Cookbook", "Atlas", "Biography", "Poetry Collection", "Guide"}},
    {"Electronics", 19, 1499, {"Headphones", "Laptop", "Monitor", "Speaker", "Camera", "Tablet"}},
    {"Clothing", 9, 199, {"Jacket", "Sweater", "Sneakers", "Scarf", "Jeans", "T-Shirt"}},
    {"Home & Kitchen", 14, 399, {"Kettle", "Blender", "Lamp", "Skillet", "Rug", "Knife Set"}},
    {"Toys & Games", 7, 99, {"Puzzle", "Board Game", "Robot Kit", "Plush Bear", "Kite", "Blocks"}},
    {"Sports", 9, 299, {"Yoga Mat", "Racket", "Bicycle Helmet", "Dumbbells", "Tent", "Ball"}},
    {"Beauty", 4, 99, {"Serum", "Perfume", "Lipstick", "Face Cream", "Shampoo", "Brush Set"}},
    {"Grocery", 1, 49, {"Coffee Beans", "Olive Oil", "Green Tea", "Honey", "Pasta", "Chocolate"}},
}};
constexpr std::array<absl::string_view, 10> kAdjectives = {
    "Classic", "Deluxe", "Eco", "Compact", "Premium", "Essential", "Vintage", "Smart", "Pro",
    "Everyday"};

// Unit quantity is most common; the weights are for 1..5.
constexpr std::array<uint32_t, 5> kQuantityWeights = {60, 25, 10, 3, 2};
// Line items per order, for 1..4.
constexpr std::array<uint32_t, 4> kLineItemWeights = {50, 25, 15, 10};
// Weights in the order of kOrderStatuses. Recent orders are mostly still in
// flight; older ones have mostly completed.
constexpr std::array<uint32_t, 4> kStatusWeights = {5, 10, 70, 15};
constexpr std::array<uint32_t, 4> kRecentStatusWeights = {35, 35, 25, 5};
const int64_t kRecentSince = UnixSeconds(absl::CivilSecond(2024, 12, 1, 0, 0, 0));

// Seasonality: relative order volume per month (holiday peak), per hour of
// day (quiet nights, UTC) and per year (2024 grew by 30%).
constexpr std::array<uint32_t, 12> kMonthWeights = {80, 75, 90, 95, 100, 95,
                                                    90, 95, 100, 110, 140, 160};
constexpr uint32_t kMaxMonthWeight = 160;
uint32_t HourWeight(int hour) { return hour < 6 ? 40 : hour < 9 ? 80 : 100; }
uint32_t YearWeight(int64_t year) { return year == 2024 ? 130 : 100; }

// An order time drawn by rejection sampling against the seasonal weights.
int64_t SeasonalOrderTime(SplitMix64& rng) {
  constexpr uint64_t kMaxWeight = uint64_t{kMaxMonthWeight} * 130 * 100;
  for (;;) {
    int64_t t = rng.Between(kOrdersBegin, kOrdersEnd - 1);
    absl::CivilSecond c = kEpoch + t;
    uint64_t w = uint64_t{kMonthWeights[c.month() - 1]} * YearWeight(c.year()) * HourWeight(c.hour());
    if (rng.Below(kMaxWeight) < w) return t;
  }
}

// Skewed towards low ids (the minimum of two uniform draws): a few customers
// and products account for many orders, as in real shops.
int64_t SkewedId(SplitMix64& rng, int64_t count) {
  uint64_t n = static_cast<uint64_t>(count);
  return static_cast<int64_t>(std::min(rng.Below(n), rng.Below(n))) + 1;
}

std::vector<DemoUser> GenerateUsers(int64_t count, uint64_t seed) {
  SplitMix64 rng = StreamFor(seed, kUsersTag);
  std::array<uint32_t, kCities.size()> city_weights;
  for (size_t i = 0; i < kCities.size(); ++i) city_weights[i] = kCities[i].weight;
  std::vector<DemoUser> users;
  users.reserve(count);
  for (int64_t id = 1; id <= count; ++id) {
    DemoUser u;
    u.id = id;
    u.first_name = std::string(kFirstNames[rng.Below(kFirstNames.size())]);
    u.last_name = std::string(kLastNames[rng.Below(kLastNames.size())]);
    std::string local = absl::StrCat(u.first_name, ".", u.last_name, id);
    absl::StrReplaceAll({{"'", ""}}, &local);
    u.email = absl::StrCat(absl::AsciiStrToLower(local), "@example.com");
    size_t city = rng.Weighted(city_weights);
    if (!rng.Percent(kUsersWithoutCityPercent)) u.city = std::string(kCities[city].name);
    u.tenant_id = static_cast<int>(rng.Weighted(kTenantWeights)) + 1;
    u.company = std::string(kCompanies[u.tenant_id - 1]);
    u.created_at = rng.Between(kUsersBegin, kOrdersEnd - 1);
    users.push_back(std::move(u));
  }
  return users;
}

std::vector<DemoProduct> GenerateProducts(int64_t count, uint64_t seed) {
  SplitMix64 rng = StreamFor(seed, kProductsTag);
  constexpr std::array<uint32_t, 3> kCentsWeights = {70, 20, 10};  // .99, .49, .00
  constexpr std::array<int64_t, 3> kCents = {99, 49, 0};
  std::vector<DemoProduct> products;
  products.reserve(count);
  for (int64_t id = 1; id <= count; ++id) {
    const Category& cat = kCategories[rng.Below(kCategories.size())];
    DemoProduct p;
    p.id = id;
    p.category = std::string(cat.name);
    p.name = absl::StrCat(kAdjectives[rng.Below(kAdjectives.size())], " ",
                          cat.nouns[rng.Below(cat.nouns.size())], " ", id);
    p.price_cents =
        rng.Between(cat.min_dollars, cat.max_dollars) * 100 + kCents[rng.Weighted(kCentsWeights)];
    p.created_at = rng.Between(kProductsBegin, kProductsEnd - 1);
    products.push_back(std::move(p));
  }
  return products;
}

void GenerateOrders(const DemoDataOptions& options, DemoDataSet& data) {
  SplitMix64 rng = StreamFor(options.seed, kOrdersTag);
  // Times first, sorted, so that order ids ascend with time as in a real shop.
  std::vector<int64_t> times(options.orders);
  for (int64_t& t : times) t = SeasonalOrderTime(rng);
  std::sort(times.begin(), times.end());

  data.orders.reserve(options.orders);
  data.line_items.reserve(options.orders * 2);
  for (int64_t i = 0; i < options.orders; ++i) {
    DemoOrder o;
    o.id = i + 1;
    o.created_at = times[i];
    o.user_id = SkewedId(rng, options.users);
    o.tenant_id = data.users[o.user_id - 1].tenant_id;
    const auto& status_weights = o.created_at >= kRecentSince ? kRecentStatusWeights : kStatusWeights;
    o.status = kOrderStatuses[rng.Weighted(status_weights)];
    if (o.status == "completed") {
      o.completed_at = o.created_at + rng.Between(3600, 14 * 86400);
    }
    o.is_gift = rng.Percent(8);
    size_t items = rng.Weighted(kLineItemWeights) + 1;
    for (size_t k = 0; k < items; ++k) {
      DemoLineItem li;
      li.id = static_cast<int64_t>(data.line_items.size()) + 1;
      li.order_id = o.id;
      li.product_id = SkewedId(rng, options.products);
      li.quantity = static_cast<int>(rng.Weighted(kQuantityWeights)) + 1;
      li.price_cents = data.products[li.product_id - 1].price_cents;
      if (rng.Percent(10)) li.price_cents = li.price_cents * 9 / 10;  // a 10% discount
      if (k == 0) o.product_id = li.product_id;
      o.quantity += li.quantity;
      o.amount_cents += li.quantity * li.price_cents;
      data.line_items.push_back(li);
    }
    data.orders.push_back(std::move(o));
  }
}

}  // namespace

DemoDataSet GenerateDemoData(const DemoDataOptions& options) {
  DemoDataOptions o = options;
  o.users = std::max<int64_t>(o.users, 0);
  o.products = std::max<int64_t>(o.products, 0);
  o.orders = (o.users == 0 || o.products == 0) ? 0 : std::max<int64_t>(o.orders, 0);
  DemoDataSet data;
  data.users = GenerateUsers(o.users, o.seed);
  data.products = GenerateProducts(o.products, o.seed);
  GenerateOrders(o, data);
  return data;
}

std::string FormatSqlTimestamp(int64_t unix_seconds) {
  absl::CivilSecond c = kEpoch + unix_seconds;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", static_cast<int>(c.year()),
                c.month(), c.day(), c.hour(), c.minute(), c.second());
  return buf;
}

std::string FormatCents(int64_t cents) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", cents < 0 ? "-" : "",
                static_cast<long long>((cents < 0 ? -cents : cents) / 100),
                static_cast<long long>((cents < 0 ? -cents : cents) % 100));
  return buf;
}

}  // namespace tessera::demo
