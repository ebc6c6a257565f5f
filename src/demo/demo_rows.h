#pragma once
// The rows of the demo data set, generated in memory before they are written
// as SQL, so that every output (SQL text, SQLite file) shows the same data.
// Money is kept in integer cents and time in Unix seconds (UTC) to keep the
// generation free of floating point and time zones.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "demo/demo_data.h"

namespace tessera::demo {

struct DemoUser {
  int64_t id = 0;
  std::string first_name;
  std::string last_name;
  std::string email;
  std::optional<std::string> city;  // a few users have none: null handling
  std::string company;              // one company per tenant
  int tenant_id = 0;
  int64_t created_at = 0;
};

struct DemoProduct {
  int64_t id = 0;
  std::string name;
  std::string category;
  int64_t price_cents = 0;
  int64_t created_at = 0;
};

struct DemoOrder {
  int64_t id = 0;
  int64_t user_id = 0;
  int64_t product_id = 0;  // the product of the first line item
  std::string_view status;
  int64_t amount_cents = 0;  // sum of the line items' quantity * price
  int quantity = 0;          // sum of the line items' quantities
  bool is_gift = false;
  int tenant_id = 0;  // the ordering user's tenant
  int64_t created_at = 0;
  std::optional<int64_t> completed_at;  // set only for completed orders
};

struct DemoLineItem {
  int64_t id = 0;
  int64_t order_id = 0;
  int64_t product_id = 0;
  int quantity = 0;
  int64_t price_cents = 0;  // unit price paid (the product's, sometimes discounted)
};

struct DemoDataSet {
  std::vector<DemoUser> users;
  std::vector<DemoProduct> products;
  std::vector<DemoOrder> orders;  // ids ascend with created_at
  std::vector<DemoLineItem> line_items;
};

// Negative counts count as zero; orders need at least one user and one
// product, so without either no orders are generated.
DemoDataSet GenerateDemoData(const DemoDataOptions& options);

// The order statuses, in the order of their weights in the generator.
inline constexpr std::string_view kOrderStatuses[] = {"processing", "shipped", "completed",
                                                      "cancelled"};

// "2024-01-31 23:59:59" for a Unix time (UTC).
std::string FormatSqlTimestamp(int64_t unix_seconds);

// "12.50" for 1250.
std::string FormatCents(int64_t cents);

}  // namespace tessera::demo
