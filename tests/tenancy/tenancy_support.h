#pragma once
// A small shop for the rewrite and tenancy tests: orders and customers of
// tenants a, b and c in one SQLite database (some orders point at another
// tenant's customer, so filters on joined cubes matter), products without a
// tenant, and the model over them. Per-tenant copies hold one tenant's rows.
#include <string>
#include <vector>

#include "policy/policy_support.h"

namespace tessera::policy_test {

class ShopDatabase {
 public:
  static constexpr int kOrders = 300;
  static constexpr int kCustomers = 12;

  static const std::vector<std::string>& Tenants() {
    static const auto* k = new std::vector<std::string>{"a", "b", "c"};
    return *k;
  }

  static constexpr char kModel[] = R"(cubes:
  - name: Orders
    sql_table: orders
    joins:
      - name: Customers
        sql: "{CUBE}.customer_id = {Customers}.id"
        relationship: many_to_one
    measures:
      - name: count
        type: count
      - name: total
        sql: amount
        type: sum
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: tenant_id
        sql: tenant_id
        type: string
      - name: status
        sql: status
        type: string
      - name: region
        sql: region
        type: string
      - name: created_at
        sql: created_at
        type: time
  - name: Customers
    sql_table: customers
    measures:
      - name: count
        type: count
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: tenant_id
        sql: tenant_id
        type: string
      - name: country
        sql: country
        type: string
  - name: Products
    sql_table: products
    measures:
      - name: count
        type: count
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: name
        sql: name
        type: string
)";

  explicit ShopDatabase(const std::string& prefix) : dir_(MakeTempDir(prefix)) {
    db_ = (dir_ / "shop.db").string();
    Write(db_, "");
    std::string errors;
    model_ = LoadModel(kModel, &errors);
    EXPECT_TRUE(model_) << errors;
  }
  ~ShopDatabase() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  const fs::path& dir() const { return dir_; }
  const std::string& db() const { return db_; }
  const model::CompiledModelPtr& model() const { return model_; }

  // A database with the rows of `tenant` only ("" = every tenant).
  static void Write(const std::string& path, const std::string& tenant) {
    Sqlite db(path);
    db.Exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, tenant_id TEXT, customer_id INTEGER, status TEXT, "
            "region TEXT, amount INTEGER, created_at TEXT)");
    db.Exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, tenant_id TEXT, country TEXT)");
    db.Exec("CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT)");
    db.Exec("BEGIN");
    const std::vector<std::string> countries = {"DE", "US", "FR"};
    for (int i = 1; i <= kCustomers; ++i) {
      std::string t = Tenants()[static_cast<size_t>(i) % Tenants().size()];
      if (!tenant.empty() && t != tenant) continue;
      db.Exec("INSERT INTO customers VALUES (" + std::to_string(i) + ", " + SqlQuote(t) + ", " +
              SqlQuote(countries[static_cast<size_t>(i / 3) % countries.size()]) + ")");
    }
    const std::vector<std::string> statuses = {"completed", "processing", "shipped"};
    const std::vector<std::string> regions = {"eu", "us", "apac"};
    for (int i = 1; i <= kOrders; ++i) {
      // Uneven shares (4/7, 2/7, 1/7), so a mixed-up tenant shows in a count.
      std::string t = i % 7 < 4 ? "a" : i % 7 < 6 ? "b" : "c";
      if (!tenant.empty() && t != tenant) continue;
      // Mostly a customer of the same tenant; every ninth order another's.
      int customer = 1 + (i * 5) % kCustomers;
      char date[32];
      std::snprintf(date, sizeof date, "2023-%02d-%02d 10:00:00", 1 + i % 12, 1 + i % 28);
      db.Exec("INSERT INTO orders VALUES (" + std::to_string(i) + ", " + SqlQuote(t) + ", " +
              std::to_string(customer) + ", " + SqlQuote(statuses[static_cast<size_t>(i) % 3]) + ", " +
              SqlQuote(regions[static_cast<size_t>(i / 2) % 3]) + ", " + std::to_string(i * 3 % 97) + ", " +
              SqlQuote(date) + ")");
    }
    for (int i = 1; i <= 5; ++i) db.Exec("INSERT INTO products VALUES (" + std::to_string(i) + ", 'p" + std::to_string(i) + "')");
    db.Exec("COMMIT");
  }

 private:
  fs::path dir_;
  std::string db_;
  model::CompiledModelPtr model_;
};

}  // namespace tessera::policy_test
