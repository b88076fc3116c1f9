-- Answers per question and area, and over all areas (area_id NULL, the second grouping
-- set): how many, and for numbers the mean, the median (percentile_cont) and the range.
SELECT a.question_id, r.area_id, count(*) AS answers,
       avg(a.number) AS mean,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY a.number) AS median,
       min(a.number) AS min, max(a.number) AS max
FROM participation_consultationanswer a
JOIN participation_consultationresponse r ON r.id = a.response_id
WHERE r.consultation_id = %(consultation)s
GROUP BY GROUPING SETS ((a.question_id, r.area_id), (a.question_id))
