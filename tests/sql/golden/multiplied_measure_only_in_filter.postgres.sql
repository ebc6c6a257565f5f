SELECT
  "q_0"."orders__status",
  "q_0"."line_items__count" "line_items__count"
FROM (
SELECT
  "orders".status "orders__status",
  count("line_items".id) "line_items__count"
FROM
  (SELECT * FROM orders) AS "orders"
  LEFT JOIN (SELECT * FROM line_items) AS "line_items" ON "orders".id = "line_items".order_id
GROUP BY 1
) AS "q_0"
INNER JOIN (
SELECT
  "keys"."orders__status",
  sum("orders".amount) "orders__total_amount"
FROM (
SELECT DISTINCT
  "orders".status "orders__status",
  "orders".id "pk__key"
FROM
  (SELECT * FROM orders) AS "orders"
  LEFT JOIN (SELECT * FROM line_items) AS "line_items" ON "orders".id = "line_items".order_id
) AS "keys"
  LEFT JOIN (SELECT * FROM orders) AS "orders" ON "keys"."pk__key" = "orders".id
GROUP BY 1
) AS "q_1" ON ("q_0"."orders__status" = "q_1"."orders__status" OR ("q_0"."orders__status" IS NULL AND "q_1"."orders__status" IS NULL))
WHERE ("q_1"."orders__total_amount" > $1)
ORDER BY 2 DESC NULLS FIRST
LIMIT $2
-- params
1 1000
1 10000
