SELECT
  date_trunc('day', ("orders".created_at::timestamptz AT TIME ZONE $1)) "orders__created_at_day",
  count("orders".id) "orders__count"
FROM
  (SELECT * FROM orders) AS "orders"
WHERE ("orders".created_at >= $2::timestamptz AND "orders".created_at <= $3::timestamptz)
GROUP BY 1
ORDER BY 1 ASC NULLS LAST
LIMIT $4
-- params
0 UTC
3 2024-06-08T00:00:00.000Z
3 2024-06-14T23:59:59.999Z
1 10000
