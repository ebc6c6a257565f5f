SELECT
  "users".first_name || ' ' || "users".last_name "orders__customer_name",
  count("orders".id) "orders__count"
FROM
  (SELECT * FROM orders) AS "orders"
  LEFT JOIN (SELECT * FROM users) AS "users" ON "orders".user_id = "users".id
GROUP BY 1
ORDER BY 2 DESC NULLS FIRST
LIMIT $1
-- params
1 3
