-- Open, visible reports of one category within a radius in metres, nearest first, with
-- every column the public view of a report shows (reports/api/output.py,
-- report_public_row): one query, no model instances. The query is a PL/pgSQL function
-- (migration reports 0013) so that it is planned once per connection, not at every
-- submission; the migration says how it finds the candidates. The box that holds the
-- circle (layers.geometry.box_around) lets the GiST index on the location find them;
-- ST_DWithin on geography then measures true metres.
SELECT * FROM reports_nearby_open(
    %(category)s, %(open)s, %(lon)s, %(lat)s, %(radius)s,
    %(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s, %(exclude)s, %(limit)s, %(candidates)s
)
