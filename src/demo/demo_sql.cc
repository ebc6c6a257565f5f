#include "demo/demo_sql.h"

#include <algorithm>
#include <ostream>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "demo/demo_rows.h"

namespace tessera::demo {
namespace {

// Type names both databases accept: SQLite maps them to its affinities
// (TIMESTAMP and NUMERIC -> NUMERIC affinity, timestamps stay text because
// 'YYYY-MM-DD HH:MM:SS' is not a number; BOOLEAN stores TRUE/FALSE as 1/0).
// Drops run in reverse dependency order so the script can be re-run.
constexpr std::string_view kSchema[] = {
    "DROP TABLE IF EXISTS line_items;",
    "DROP TABLE IF EXISTS orders;",
    "DROP TABLE IF EXISTS products;",
    "DROP TABLE IF EXISTS users;",
    "CREATE TABLE users (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  first_name TEXT NOT NULL,\n"
    "  last_name TEXT NOT NULL,\n"
    "  email TEXT NOT NULL,\n"
    "  city TEXT,\n"
    "  company TEXT NOT NULL,\n"
    "  tenant_id INTEGER NOT NULL,\n"
    "  created_at TIMESTAMP NOT NULL\n"
    ");",
    "CREATE TABLE products (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL,\n"
    "  category TEXT NOT NULL,\n"
    "  price NUMERIC(10,2) NOT NULL,\n"
    "  created_at TIMESTAMP NOT NULL\n"
    ");",
    "CREATE TABLE orders (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  user_id INTEGER NOT NULL REFERENCES users (id),\n"
    "  product_id INTEGER NOT NULL REFERENCES products (id),\n"
    "  status TEXT NOT NULL,\n"
    "  amount NUMERIC(10,2) NOT NULL,\n"
    "  quantity INTEGER NOT NULL,\n"
    "  is_gift BOOLEAN NOT NULL,\n"
    "  tenant_id INTEGER NOT NULL,\n"
    "  created_at TIMESTAMP NOT NULL,\n"
    "  completed_at TIMESTAMP\n"
    ");",
    "CREATE TABLE line_items (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  order_id INTEGER NOT NULL REFERENCES orders (id),\n"
    "  product_id INTEGER NOT NULL REFERENCES products (id),\n"
    "  quantity INTEGER NOT NULL,\n"
    "  price NUMERIC(10,2) NOT NULL\n"
    ");",
};

// Built after the rows are in: cheaper than maintaining them per insert.
constexpr std::string_view kIndexes[] = {
    "CREATE INDEX users_tenant_id_idx ON users (tenant_id);",
    "CREATE INDEX orders_user_id_idx ON orders (user_id);",
    "CREATE INDEX orders_product_id_idx ON orders (product_id);",
    "CREATE INDEX orders_created_at_idx ON orders (created_at);",
    "CREATE INDEX orders_tenant_id_idx ON orders (tenant_id);",
    "CREATE INDEX line_items_order_id_idx ON line_items (order_id);",
    "CREATE INDEX line_items_product_id_idx ON line_items (product_id);",
};

// A SQL string literal; quotes are doubled, which both databases accept.
void AppendQuoted(std::string& out, std::string_view text) {
  out.push_back('\'');
  for (char c : text) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
}

void AppendTimestamp(std::string& out, int64_t unix_seconds) {
  AppendQuoted(out, FormatSqlTimestamp(unix_seconds));
}

void AppendRow(std::string& out, const DemoUser& u) {
  absl::StrAppend(&out, "(", u.id, ",");
  AppendQuoted(out, u.first_name);
  out.push_back(',');
  AppendQuoted(out, u.last_name);
  out.push_back(',');
  AppendQuoted(out, u.email);
  out.push_back(',');
  if (u.city) {
    AppendQuoted(out, *u.city);
  } else {
    out += "NULL";
  }
  out.push_back(',');
  AppendQuoted(out, u.company);
  absl::StrAppend(&out, ",", u.tenant_id, ",");
  AppendTimestamp(out, u.created_at);
  out.push_back(')');
}

void AppendRow(std::string& out, const DemoProduct& p) {
  absl::StrAppend(&out, "(", p.id, ",");
  AppendQuoted(out, p.name);
  out.push_back(',');
  AppendQuoted(out, p.category);
  absl::StrAppend(&out, ",", FormatCents(p.price_cents), ",");
  AppendTimestamp(out, p.created_at);
  out.push_back(')');
}

void AppendRow(std::string& out, const DemoOrder& o) {
  absl::StrAppend(&out, "(", o.id, ",", o.user_id, ",", o.product_id, ",");
  AppendQuoted(out, o.status);
  absl::StrAppend(&out, ",", FormatCents(o.amount_cents), ",", o.quantity, ",",
                  o.is_gift ? "TRUE" : "FALSE", ",", o.tenant_id, ",");
  AppendTimestamp(out, o.created_at);
  out.push_back(',');
  if (o.completed_at) {
    AppendTimestamp(out, *o.completed_at);
  } else {
    out += "NULL";
  }
  out.push_back(')');
}

void AppendRow(std::string& out, const DemoLineItem& li) {
  absl::StrAppend(&out, "(", li.id, ",", li.order_id, ",", li.product_id, ",", li.quantity, ",",
                  FormatCents(li.price_cents), ")");
}

template <typename Row>
void EmitInserts(std::string_view head, const std::vector<Row>& rows,
                 absl::FunctionRef<void(const std::string&)> emit) {
  std::string stmt;
  for (size_t begin = 0; begin < rows.size(); begin += kRowsPerInsert) {
    size_t end = std::min(rows.size(), begin + kRowsPerInsert);
    stmt.assign(head.data(), head.size());
    stmt += " VALUES\n";
    for (size_t i = begin; i < end; ++i) {
      if (i != begin) stmt += ",\n";
      AppendRow(stmt, rows[i]);
    }
    stmt += ';';
    emit(stmt);
  }
}

}  // namespace

void ForEachDemoStatement(const DemoDataOptions& options,
                          absl::FunctionRef<void(const std::string&)> emit) {
  const DemoDataSet data = GenerateDemoData(options);
  emit("BEGIN;");
  for (std::string_view s : kSchema) emit(std::string(s));
  EmitInserts(
      "INSERT INTO users (id, first_name, last_name, email, city, company, tenant_id, created_at)",
      data.users, emit);
  EmitInserts("INSERT INTO products (id, name, category, price, created_at)", data.products, emit);
  EmitInserts(
      "INSERT INTO orders (id, user_id, product_id, status, amount, quantity, is_gift, "
      "tenant_id, created_at, completed_at)",
      data.orders, emit);
  EmitInserts("INSERT INTO line_items (id, order_id, product_id, quantity, price)",
              data.line_items, emit);
  for (std::string_view s : kIndexes) emit(std::string(s));
  emit("COMMIT;");
}

void WriteDemoSql(const DemoDataOptions& options, std::ostream& out) {
  ForEachDemoStatement(options, [&out](const std::string& stmt) { out << stmt << '\n'; });
}

}  // namespace tessera::demo
