"""The candidates of the duplicate check, read in order of distance from the GiST index.

A submission asks for the open reports of its category near its point
(reports/sql/nearby_open.sql). Where hundreds of open reports pile up on one spot (a
flooded bridge in a storm), the planner, which cannot see such a spike in the location's
statistics, reads every report in the box with a bitmap scan and measures each one on
the sphere: 2–6 ms per submission at 1,300 reports on one point, growing with the pile.
The index's distance order (a KNN scan) reads only the nearest few dozen. This function
is the one place the query runs with bitmap scans off (a function's SET lasts for its
call only, so nothing leaks into the caller's transaction), and PL/pgSQL keeps its plan
for the connection rather than planning it at every submission."""

from django.db import migrations

CREATE = """
CREATE FUNCTION reports_duplicate_candidates(
    category bigint, open_statuses text[], lon double precision, lat double precision,
    west double precision, south double precision, east double precision,
    north double precision, excluded bigint, how_many integer
) RETURNS TABLE (report_id bigint)
LANGUAGE plpgsql STABLE ROWS 40
SET enable_bitmapscan = off
AS $$
BEGIN
    RETURN QUERY
    SELECT r.id
    FROM reports_report r
    WHERE r.category_id = category
      AND r.status = ANY(open_statuses)
      AND NOT r.hidden
      AND r.location && ST_MakeEnvelope(west, south, east, north, 4326)
      AND r.id IS DISTINCT FROM excluded
    ORDER BY r.location <-> ST_SetSRID(ST_MakePoint(lon, lat), 4326)
    LIMIT how_many;
END;
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS reports_duplicate_candidates(
    bigint, text[], double precision, double precision, double precision, double precision,
    double precision, double precision, bigint, integer
);
"""


class Migration(migrations.Migration):
    dependencies = [("reports", "0010_category_translations_and_history_events")]

    operations = [migrations.RunSQL(CREATE, DROP)]
