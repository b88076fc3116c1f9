-- Counts per value of the list questions, per area and over all areas (area_id NULL).
SELECT a.question_id, r.area_id, c.key, count(*) AS n
FROM participation_consultationanswer a
JOIN participation_consultationresponse r ON r.id = a.response_id
CROSS JOIN LATERAL unnest(a.choices) AS c(key)
WHERE r.consultation_id = %(consultation)s
GROUP BY GROUPING SETS ((a.question_id, r.area_id, c.key), (a.question_id, c.key))
