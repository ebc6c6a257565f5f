SELECT
  tessera_bucket("orders".created_at, 'month', ?1) "orders__created_at_month",
  sum("orders".amount) "orders__total_amount"
FROM
  (SELECT * FROM orders) AS "orders"
WHERE ("orders".created_at >= ?2 AND "orders".created_at <= ?3)
GROUP BY 1
ORDER BY 1 ASC NULLS LAST
LIMIT ?4
-- params
0 America/New_York
3 2024-01-01 05:00:00
3 2024-04-01 03:59:59.999
1 10000
