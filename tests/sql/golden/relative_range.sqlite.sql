SELECT
  tessera_bucket("orders".created_at, 'day', ?1) "orders__created_at_day",
  count("orders".id) "orders__count"
FROM
  (SELECT * FROM orders) AS "orders"
WHERE ("orders".created_at >= ?2 AND "orders".created_at <= ?3)
GROUP BY 1
ORDER BY 1 ASC NULLS LAST
LIMIT ?4
-- params
0 UTC
3 2024-06-08 00:00:00
3 2024-06-14 23:59:59.999
1 10000
