-- A category by code with its questions (as JSON, in the order of Question.Meta.ordering
-- within one category), read in one query as every report is filed, rather than two.
SELECT c.*,
       coalesce((SELECT json_agg(q ORDER BY q."order", q.code)
                 FROM reports_question q
                 WHERE q.category_id = c.id), '[]'::json) AS filing_questions
FROM reports_category c
WHERE c.code = %(code)s
ORDER BY c.code
LIMIT 1
