// demo_sql [--orders N] [--users N] [--products N] [--seed N] > demo.sql
// Writes the demo data set's SQL to stdout, for psql or sqlite3.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "demo/demo_data.h"

int main(int argc, char** argv) {
  tessera::demo::DemoDataOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "missing value for %s\n", flag.c_str());
      return 2;
    }
    const char* value = argv[++i];
    char* end = nullptr;
    unsigned long long n = std::strtoull(value, &end, 10);
    if (*value == '\0' || *end != '\0') {
      std::fprintf(stderr, "not a number: %s\n", value);
      return 2;
    }
    if (flag == "--orders") {
      options.orders = static_cast<int64_t>(n);
    } else if (flag == "--users") {
      options.users = static_cast<int64_t>(n);
    } else if (flag == "--products") {
      options.products = static_cast<int64_t>(n);
    } else if (flag == "--seed") {
      options.seed = n;
    } else {
      std::fprintf(stderr, "usage: demo_sql [--orders N] [--users N] [--products N] [--seed N]\n");
      return 2;
    }
  }
  std::ios::sync_with_stdio(false);
  tessera::demo::WriteDemoSql(options, std::cout);
  std::cout.flush();
  return std::cout ? 0 : 1;
}
