SELECT
  "orders".id "orders__id",
  "orders".status "orders__status"
FROM
  (SELECT * FROM orders) AS "orders"
ORDER BY 1 ASC NULLS LAST
LIMIT $1
-- params
1 3
