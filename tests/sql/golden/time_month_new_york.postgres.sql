SELECT
  date_trunc('month', ("orders".created_at::timestamptz AT TIME ZONE $1)) "orders__created_at_month",
  sum("orders".amount) "orders__total_amount"
FROM
  (SELECT * FROM orders) AS "orders"
WHERE ("orders".created_at >= $2::timestamptz AND "orders".created_at <= $3::timestamptz)
GROUP BY 1
ORDER BY 1 ASC NULLS LAST
LIMIT $4
-- params
0 America/New_York
3 2024-01-01T05:00:00.000Z
3 2024-04-01T03:59:59.999Z
1 10000
