SELECT
  count("users".id) "users__count"
FROM
  (SELECT * FROM users) AS "users"
WHERE ("users".city IN ('London', 'Berlin', 'Paris', 'Amsterdam'))
LIMIT ?1
-- params
1 10000
-- total
SELECT count(*) "total_count" FROM (
SELECT
  count("users".id) "users__count"
FROM
  (SELECT * FROM users) AS "users"
WHERE ("users".city IN ('London', 'Berlin', 'Paris', 'Amsterdam'))
) AS "original_query"
