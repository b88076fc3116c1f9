"""The duplicate check as a PL/pgSQL function, so that its plan is made once per connection.

Every submission asks for the open reports of its category near its point, with what
the public sees of each (reports/sql/nearby_open.sql calls this function). Sent as a
statement, the query (seven joins around the candidates of reports_duplicate_candidates,
migration 0011) was planned at every submission: 2.9 ms of the database's CPU to plan
against 1.7 ms to run, under load. PL/pgSQL keeps the plan of its query for the
connection; `plan_cache_mode = force_generic_plan` (for the function's call only) makes
it the generic plan from the first call, which is the plan of every call anyway: the
candidates come from the function (ROWS 40), each joined by primary key. Nothing is
kept in the session that a pooler must know about (PgBouncer in transaction mode): the
plan is the backend's own, and a changed table invalidates it.

The query is the one nearby_open.sql ran before:
- the candidates are the nearest open reports of the category in the box that holds the
  circle, by the GiST index's distance order (degrees), at most `candidates` of them
  (four times the limit): where hundreds pile up on one spot (a flooded bridge in a
  storm) the check reads a few dozen rather than measuring every one on the sphere;
- they are then measured in true metres (geography) and ordered by them. A degree of
  longitude is ~5 % shorter than one of latitude in Haiti: the ten nearest in metres are
  among the forty nearest in degrees unless thirty more sit in that 5 % margin.

The result's columns are what reports.api.output.report_public_row reads. Their types
must be the tables' (PL/pgSQL refuses a query whose columns do not match): a migration
that changes one of these columns' types must replace this function too."""

from django.db import migrations

CREATE = """
CREATE FUNCTION reports_nearby_open(
    in_category bigint, in_open text[], in_lon double precision, in_lat double precision,
    in_radius double precision, in_west double precision, in_south double precision,
    in_east double precision, in_north double precision, in_excluded bigint,
    in_limit integer, in_candidates integer
) RETURNS TABLE (
    id bigint, reference varchar, status varchar, priority smallint,
    lon double precision, lat double precision, address varchar, description text,
    answers jsonb, asset_id bigint, support_count integer, version integer,
    created_at timestamptz, updated_at timestamptz, expected_at timestamptz,
    resolved_at timestamptz, closed_at timestamptz,
    category_code varchar, category_name_fr varchar, category_name_ht varchar,
    category_name_en varchar,
    section_pcode varchar, section_name_fr varchar, section_name_ht varchar,
    section_name_en varchar,
    commune_pcode varchar, commune_name_fr varchar, commune_name_ht varchar,
    commune_name_en varchar,
    departement_pcode varchar, departement_name_fr varchar, departement_name_ht varchar,
    departement_name_en varchar,
    team_name varchar, duplicate_of varchar, photo_ids bigint[]
)
LANGUAGE plpgsql STABLE ROWS 10
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH here AS (
        SELECT ST_SetSRID(ST_MakePoint(in_lon, in_lat), 4326) AS point
    ),
    near AS (
        SELECT candidate.*, candidate.location::geography <-> here.point::geography AS metres
        FROM here, reports_duplicate_candidates(
            in_category, in_open, in_lon, in_lat, in_west, in_south, in_east, in_north,
            in_excluded, in_candidates
        ) found
        JOIN reports_report candidate ON candidate.id = found.report_id
        WHERE ST_DWithin(candidate.location::geography, here.point::geography, in_radius)
        ORDER BY metres, candidate.id
        LIMIT in_limit
    )
    SELECT n.id, n.reference, n.status, n.priority,
           ST_X(n.location), ST_Y(n.location),
           n.address, n.description, n.answers, n.asset_id, n.support_count, n.version,
           n.created_at, n.updated_at, n.expected_at, n.resolved_at, n.closed_at,
           c.code, c.name_fr, c.name_ht, c.name_en,
           s.pcode, s.name_fr, s.name_ht, s.name_en,
           m.pcode, m.name_fr, m.name_ht, m.name_en,
           d.pcode, d.name_fr, d.name_ht, d.name_en,
           t.name, o.reference,
           ARRAY(SELECT p.id FROM reports_reportphoto p
                 WHERE p.report_id = n.id AND NOT p.hidden
                 ORDER BY p.created_at, p.id)
    FROM near n
    JOIN reports_category c ON c.id = n.category_id
    LEFT JOIN layers_adminarea s ON s.id = n.section_id
    LEFT JOIN layers_adminarea m ON m.id = n.commune_id
    LEFT JOIN layers_adminarea d ON d.id = n.departement_id
    LEFT JOIN reports_team t ON t.id = n.team_id
    LEFT JOIN reports_report o ON o.id = n.duplicate_of_id
    ORDER BY n.metres, n.id;
END;
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS reports_nearby_open(
    bigint, text[], double precision, double precision, double precision, double precision,
    double precision, double precision, double precision, bigint, integer, integer
);
"""


class Migration(migrations.Migration):
    dependencies = [("reports", "0012_report_category_location")]

    operations = [migrations.RunSQL(CREATE, DROP)]
