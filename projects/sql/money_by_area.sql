-- Totals per area: a project's money is shared equally between the sections it touches
-- (a road through three sections counts a third in each), so that the areas add up to
-- the whole; a commune gets the shares of its sections. Rounded once, at the end.
, per_project AS (
    SELECT project_id, sum(planned) AS planned, sum(committed) AS committed, sum(spent) AS spent
    FROM lines GROUP BY project_id
), shares AS (
    SELECT pa.project_id, pa.adminarea_id AS section_id,
           count(*) OVER (PARTITION BY pa.project_id) AS parts
    FROM projects_project_areas pa
    WHERE pa.project_id IN (SELECT project_id FROM per_project)
), by_area AS (
    SELECT CASE WHEN %(level)s = 'commune' THEN s.parent_id ELSE s.id END AS area_id,
           sum(pp.planned / sh.parts) AS planned,
           sum(pp.committed / sh.parts) AS committed,
           sum(pp.spent / sh.parts) AS spent,
           count(DISTINCT sh.project_id) AS projects
    FROM shares sh
    JOIN per_project pp ON pp.project_id = sh.project_id
    JOIN layers_adminarea s ON s.id = sh.section_id
    GROUP BY 1
)
SELECT a.pcode, a.name_fr, a.name_ht, a.name_en, a.level, a.population, b.projects,
       round(b.planned, 2) AS planned, round(b.committed, 2) AS committed,
       round(b.spent, 2) AS spent,
       round(b.spent / NULLIF(a.population, 0), 2) AS spent_per_resident,
       round(b.planned * 1000 / NULLIF(a.population, 0), 2) AS planned_per_1000,
       round(b.spent * 1000 / NULLIF(a.population, 0), 2) AS spent_per_1000
FROM by_area b
JOIN layers_adminarea a ON a.id = b.area_id
ORDER BY a.pcode
