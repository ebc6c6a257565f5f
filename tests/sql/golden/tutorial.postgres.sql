SELECT
  "orders".status "orders__status",
  count("orders".id) "orders__count"
FROM
  (SELECT * FROM orders) AS "orders"
GROUP BY 1
ORDER BY 2 DESC NULLS FIRST
LIMIT $1
-- params
1 10000
