-- Responses per area and in all (area_id NULL).
SELECT r.area_id, count(*) AS n
FROM participation_consultationresponse r
WHERE r.consultation_id = %(consultation)s
GROUP BY ROLLUP (r.area_id)
