-- The rates rollup's triggers (analytics.rollup): every write that can change a report's
-- place in the rates marks its section dirty, in the write's own transaction, so that no
-- committed change is ever missing from what a read sees (cells of clean sections plus
-- the dirty sections' reports read live). Rows are only appended: no lock is shared
-- between concurrent writes.
CREATE FUNCTION analytics_rates_report_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.section_id IS NOT NULL THEN
        INSERT INTO analytics_ratesdirty (section_id) VALUES (OLD.section_id);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.section_id IS NOT NULL
       AND (TG_OP = 'INSERT' OR NEW.section_id IS DISTINCT FROM OLD.section_id) THEN
        INSERT INTO analytics_ratesdirty (section_id) VALUES (NEW.section_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER analytics_rates_report_written AFTER INSERT OR DELETE ON reports_report
FOR EACH ROW EXECUTE FUNCTION analytics_rates_report_dirty();

-- Django's save() sets every column: only a change of what the rates read counts.
CREATE TRIGGER analytics_rates_report_changed AFTER UPDATE ON reports_report
FOR EACH ROW WHEN (
    OLD.status IS DISTINCT FROM NEW.status OR OLD.category_id IS DISTINCT FROM NEW.category_id
    OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.resolved_at IS DISTINCT FROM NEW.resolved_at
    OR OLD.hidden IS DISTINCT FROM NEW.hidden OR OLD.duplicate_of_id IS DISTINCT FROM NEW.duplicate_of_id
    OR OLD.section_id IS DISTINCT FROM NEW.section_id OR OLD.jurisdiction_id IS DISTINCT FROM NEW.jurisdiction_id
) EXECUTE FUNCTION analytics_rates_report_dirty();

-- The share within SLA counts with today's time to fix: a changed SLA makes every
-- section with reports that use it dirty (rare; reads then go exact until the worker
-- has rebuilt them).
CREATE FUNCTION analytics_rates_sla_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'reports_category' THEN
        INSERT INTO analytics_ratesdirty (section_id)
        SELECT DISTINCT r.section_id FROM reports_report r
        WHERE r.category_id = NEW.id AND r.section_id IS NOT NULL;
    ELSE
        INSERT INTO analytics_ratesdirty (section_id)
        SELECT DISTINCT r.section_id FROM reports_report r
        JOIN reports_category c ON c.id = r.category_id
        WHERE r.jurisdiction_id = NEW.id AND c.sla_hours IS NULL AND r.section_id IS NOT NULL;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER analytics_rates_category_sla AFTER UPDATE ON reports_category
FOR EACH ROW WHEN (OLD.sla_hours IS DISTINCT FROM NEW.sla_hours)
EXECUTE FUNCTION analytics_rates_sla_dirty();

CREATE TRIGGER analytics_rates_jurisdiction_sla AFTER UPDATE ON communes_jurisdiction
FOR EACH ROW WHEN (OLD.sla_hours IS DISTINCT FROM NEW.sla_hours)
EXECUTE FUNCTION analytics_rates_sla_dirty();
