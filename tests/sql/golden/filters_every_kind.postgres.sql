SELECT
  count("orders".id) "orders__count"
FROM
  (SELECT * FROM orders) AS "orders"
  LEFT JOIN (SELECT * FROM products) AS "products" ON "orders".product_id = "products".id
  LEFT JOIN (SELECT * FROM users) AS "users" ON "orders".user_id = "users".id
WHERE ("orders".status <> $1 OR "orders".status IS NULL) AND ((("users".city ILIKE '%' || $2 || '%' OR "users".city ILIKE '%' || $3 || '%')) OR ("users".city IS NULL)) AND ("orders".amount >= $4) AND ("orders".created_at >= $5::timestamptz AND "orders".created_at <= $6::timestamptz) AND (("products".category ILIKE $7 || '%')) AND ("orders".created_at < $8::timestamptz)
LIMIT $9
-- params
0 cancelled
0 an
0 100\%
2 10.5
3 2024-01-01T00:00:00.000Z
3 2024-06-30T23:59:59.999Z
0 Home
3 2024-12-01T00:00:00.000Z
1 10000
