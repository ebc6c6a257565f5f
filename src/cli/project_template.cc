#include "cli/project_template.h"

#include "absl/strings/str_cat.h"

namespace tessera::cli {

std::string ProjectDotEnv(const std::string& api_secret) {
  return absl::StrCat(
      "# Tessera reads the same variables as Cube; real environment variables\n"
      "# override this file. It holds the API secret: keep it out of version control.\n"
      "CUBEJS_DB_TYPE=sqlite\n"
      "CUBEJS_DB_NAME=data.db\n"
      "# Development mode: switch it off (false) before exposing the API.\n"
      "CUBEJS_DEV_MODE=true\n"
      "CUBEJS_API_SECRET=",
      api_secret, "\n");
}

std::string ExampleCubeYaml() {
  return R"(# An example cube over the `orders` table of Tessera's demo data set.
# Replace it with cubes for your own tables: `tessera generate-model`.
cubes:
  - name: Orders
    sql_table: orders

    measures:
      - name: count
        type: count
        drill_members:
          - id
          - status
          - createdAt

      - name: totalAmount
        sql: "{CUBE}.amount"
        type: sum
        format: currency

    dimensions:
      - name: id
        sql: "{CUBE}.id"
        type: number
        primary_key: true

      - name: status
        sql: "{CUBE}.status"
        type: string

      - name: createdAt
        sql: "{CUBE}.created_at"
        type: time

    segments:
      - name: completed
        sql: "{CUBE}.completed_at IS NOT NULL"
)";
}

std::string ProjectReadme(const std::string& project_name) {
  return absl::StrCat("# ", project_name, R"(

A Tessera analytics API project: JSON queries over the
data model in `model/` become SQL on your database, through Cube's REST API.

## Files

- `.env` — database connection and secrets, in Cube's variable names
  (`CUBEJS_DB_TYPE`, `CUBEJS_DB_NAME`, `CUBEJS_API_SECRET`, ...). Environment
  variables override it. It holds the API secret: do not commit it.
- `tessera.yaml` — every other setting, commented out at its default.
- `model/` — the data model: cubes in Cube's YAML syntax.
  `model/orders.yml` is an example for the `orders` table of the demo data.

## Next steps

1. Point `.env` at your database. For PostgreSQL:

       CUBEJS_DB_TYPE=postgres
       CUBEJS_DB_HOST=localhost
       CUBEJS_DB_NAME=mydb
       CUBEJS_DB_USER=me
       CUBEJS_DB_PASS=...

   For SQLite, `CUBEJS_DB_NAME` is the database file, relative to this folder.
2. Generate cubes from your tables, then edit them:

       tessera generate-model                  # every table
       tessera generate-model --tables orders,users

   Existing files are never overwritten unless you pass `--overwrite`.
3. Check the model: `tessera validate model`
4. Start the API: `tessera serve`, then query it:

       curl http://localhost:4000/cubejs-api/v1/load \
         -G -s --data-urlencode 'query={"measures":["Orders.count"]}'

5. Before exposing the API, set `CUBEJS_DEV_MODE=false`: requests then need a
   JSON Web Token signed with `CUBEJS_API_SECRET`.
)");
}

}  // namespace tessera::cli
