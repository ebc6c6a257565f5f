#include <gtest/gtest.h>

#include <sstream>

#include "cli/commands.h"
#include "test_dir.h"

namespace tessera::cli {
namespace {

using testing::TestDir;

TEST(ValidateCommandTest, ValidModelPrintsCounts) {
  TestDir dir;
  dir.Write("users.yml", R"(cubes:
  - name: Users
    sql_table: users
    measures:
      - name: count
        type: count
    dimensions:
      - name: id
        sql: "{CUBE}.id"
        type: number
        primary_key: true
      - name: city
        sql: "{CUBE}.city"
        type: string
)");
  std::ostringstream out, err;
  EXPECT_EQ(RunValidate(dir.str(), out, err), 0) << err.str();
  EXPECT_EQ(out.str(), "Model is valid: 1 cubes, 1 measures, 2 dimensions, 0 segments\n");
  EXPECT_EQ(err.str(), "");
}

TEST(ValidateCommandTest, BrokenModelPrintsEveryErrorAndFails) {
  TestDir dir;
  dir.Write("orders.yml", R"(cubes:
  - name: Orders
    sql_table: orders
    measures:
      - name: total
        sql: "{CUBE}.amount"
        type: summ
    dimensions:
      - name: userName
        sql: "{Users.name}"
        type: string
)");
  std::ostringstream out, err;
  EXPECT_EQ(RunValidate(dir.str(), out, err), 1);
  const std::string text = err.str();
  EXPECT_NE(text.find("orders.yml:7: Orders.total:"), std::string::npos) << text;
  EXPECT_NE(text.find("summ"), std::string::npos) << text;
  EXPECT_NE(text.find("Users"), std::string::npos) << text;
  EXPECT_NE(text.find("Model is invalid: 2 errors in "), std::string::npos) << text;
  EXPECT_EQ(out.str(), "");
}

TEST(ValidateCommandTest, MissingFolderIsAnError) {
  TestDir dir;
  std::ostringstream out, err;
  EXPECT_EQ(RunValidate((dir.path() / "nope").string(), out, err), 1);
  EXPECT_NE(err.str().find("does not exist"), std::string::npos);
}

TEST(ValidateCommandTest, ChecksTheConfigFilesRulesAgainstTheModel) {
  TestDir dir;
  dir.Write("orders.yml", R"(cubes:
  - name: Orders
    sql_table: orders
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
)");
  ValidateConfig good{"tenancy:\n  claim: org\nquery_rewrite:\n  - name: t\n    filter: { dimension: tenant_id, operator: equals, values: [\"{ securityContext.org }\"] }\n",
                      "tessera.yaml"};
  std::ostringstream out, err;
  EXPECT_EQ(RunValidate(dir.str(), out, err, &good), 0) << err.str();
  EXPECT_EQ(out.str(),
            "Model is valid: 1 cubes, 1 measures, 2 dimensions, 0 segments\n"
            "Query rewrite rules are valid: 1\n"
            "Tenancy is valid: tenants from claim 'org'\n");
  ValidateConfig bad{"query_rewrite:\n  - name: t\n    require: { member: Orders.tenant }\n", "tessera.yaml"};
  std::ostringstream out2, err2;
  EXPECT_EQ(RunValidate(dir.str(), out2, err2, &bad), 1);
  EXPECT_EQ(err2.str(),
            "tessera.yaml:2: query_rewrite rule 't': 'Orders.tenant' is not a dimension of the model\n"
            "Configuration is invalid: tessera.yaml\n");

  // Issuers: checked with their lines; tenants need a tenancy section.
  ValidateConfig issuers{"tenancy:\n  claim: org\nissuers:\n  - issuer: https://idp.example/\n    audience: api\n"
                         "    tenants: [acme]\n",
                         "tessera.yaml"};
  std::ostringstream out3, err3;
  EXPECT_EQ(RunValidate(dir.str(), out3, err3, &issuers), 0) << err3.str();
  EXPECT_NE(out3.str().find("Issuers are valid: 1\n"), std::string::npos) << out3.str();
  ValidateConfig no_tenancy{"issuers:\n  - issuer: https://idp.example/\n    audience: api\n    tenants: [acme]\n",
                            "tessera.yaml"};
  std::ostringstream out4, err4;
  EXPECT_EQ(RunValidate(dir.str(), out4, err4, &no_tenancy), 1);
  EXPECT_EQ(err4.str(),
            "tessera.yaml:2: issuers: 'tenants' needs a 'tenancy' section to say which tenant a token is for\n"
            "Configuration is invalid: tessera.yaml\n");
  ValidateConfig no_audience{"issuers:\n  - issuer: https://idp.example/\n", "tessera.yaml"};
  std::ostringstream out5, err5;
  EXPECT_EQ(RunValidate(dir.str(), out5, err5, &no_audience), 1);
  EXPECT_EQ(err5.str(),
            "tessera.yaml:2: issuers: 'audience' is required: the identifier of this API at the provider\n"
            "Configuration is invalid: tessera.yaml\n");
}

}  // namespace
}  // namespace tessera::cli
