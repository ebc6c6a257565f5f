SELECT
  count("orders".id) "orders__count"
FROM
  (SELECT * FROM orders) AS "orders"
  LEFT JOIN (SELECT * FROM products) AS "products" ON "orders".product_id = "products".id
  LEFT JOIN (SELECT * FROM users) AS "users" ON "orders".user_id = "users".id
WHERE ("orders".status <> ?1 OR "orders".status IS NULL) AND ((("users".city LIKE '%' || ?2 || '%' ESCAPE '\' OR "users".city LIKE '%' || ?3 || '%' ESCAPE '\')) OR ("users".city IS NULL)) AND ("orders".amount >= ?4) AND ("orders".created_at >= ?5 AND "orders".created_at <= ?6) AND (("products".category LIKE ?7 || '%' ESCAPE '\')) AND ("orders".created_at < ?8)
LIMIT ?9
-- params
0 cancelled
0 an
0 100\%
2 10.5
3 2024-01-01 00:00:00
3 2024-06-30 23:59:59.999
0 Home
3 2024-12-01 00:00:00
1 10000
