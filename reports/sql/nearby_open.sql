-- Open, visible reports of one category within a radius in metres, nearest first, with
-- every column the public view of a report shows (reports/api/output.py,
-- report_public_row): one query, no model instances. The box that holds the circle
-- (layers.geometry.box_around) lets the GiST index on the location find the candidates;
-- ST_DWithin on geography then measures true metres. Without it every open report of the
-- category was measured (3.5 s at 1M reports, make bench-duplicates).
-- The candidates are the nearest reports in the box by the index's distance order (a KNN
-- scan, in degrees), at most four times the answer's limit (`candidates`): where hundreds
-- of open reports pile up on one spot (a flooded bridge in a storm), the check reads a few
-- dozen rather than measuring every one of them on the sphere. The function that finds
-- them (migration reports 0011) says why it is a function. They are then measured and
-- ordered in true metres. A degree of longitude is ~5 %% shorter than one of latitude in
-- Haiti: the ten nearest in metres are among the forty nearest in degrees unless thirty
-- more sit in that 5 %% margin. Among reports at the very same point, which ones are read
-- first is the index's order.
WITH here AS (
    SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS point
),
near AS (
    SELECT candidate.*, candidate.location::geography <-> here.point::geography AS metres
    FROM here, reports_duplicate_candidates(
        %(category)s, %(open)s, %(lon)s, %(lat)s, %(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s,
        %(exclude)s, %(candidates)s
    ) found
    JOIN reports_report candidate ON candidate.id = found.report_id
    WHERE ST_DWithin(candidate.location::geography, here.point::geography, %(radius)s)
    ORDER BY metres, candidate.id
    LIMIT %(limit)s
)
SELECT n.id, n.reference, n.status, n.priority,
       ST_X(n.location) AS lon, ST_Y(n.location) AS lat,
       n.address, n.description, n.answers, n.asset_id, n.support_count, n.version,
       n.created_at, n.updated_at, n.expected_at, n.resolved_at, n.closed_at,
       c.code AS category_code, c.name_fr AS category_name_fr,
       c.name_ht AS category_name_ht, c.name_en AS category_name_en,
       s.pcode AS section_pcode, s.name_fr AS section_name_fr,
       s.name_ht AS section_name_ht, s.name_en AS section_name_en,
       m.pcode AS commune_pcode, m.name_fr AS commune_name_fr,
       m.name_ht AS commune_name_ht, m.name_en AS commune_name_en,
       d.pcode AS departement_pcode, d.name_fr AS departement_name_fr,
       d.name_ht AS departement_name_ht, d.name_en AS departement_name_en,
       t.name AS team_name, o.reference AS duplicate_of,
       ARRAY(SELECT p.id FROM reports_reportphoto p
             WHERE p.report_id = n.id AND NOT p.hidden
             ORDER BY p.created_at, p.id) AS photo_ids
FROM near n
JOIN reports_category c ON c.id = n.category_id
LEFT JOIN layers_adminarea s ON s.id = n.section_id
LEFT JOIN layers_adminarea m ON m.id = n.commune_id
LEFT JOIN layers_adminarea d ON d.id = n.departement_id
LEFT JOIN reports_team t ON t.id = n.team_id
LEFT JOIN reports_report o ON o.id = n.duplicate_of_id
ORDER BY n.metres, n.id
