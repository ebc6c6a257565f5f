SELECT
  "users".city "users__city",
  count("orders".id) "orders__count"
FROM
  (SELECT * FROM orders) AS "orders"
  LEFT JOIN (SELECT * FROM users) AS "users" ON "orders".user_id = "users".id
GROUP BY 1
HAVING (sum("orders".amount) > ?1)
ORDER BY 1 ASC NULLS LAST
LIMIT ?2
OFFSET ?3
-- params
1 1000
1 5
1 2
