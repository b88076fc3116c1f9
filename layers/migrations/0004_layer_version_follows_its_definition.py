"""A layer's version changes with anything about it, not only with its features.

Tiles, tile ETags and cached OGC extents are keyed by the version: when an attribute is
marked private, the visibility turns to staff or the style changes, the version must
change at once, whatever made the change (admin, services, an import, a queryset
update, SQL). A trigger is the one place all of them pass through. It also keeps the
version from ever going back (an object saved with the version it was read at)."""

from django.db import migrations

CREATE = """
CREATE FUNCTION layers_layer_version_follows_definition() RETURNS trigger AS $$
BEGIN
    IF NEW.version < OLD.version THEN
        NEW.version := OLD.version;
    END IF;
    IF NEW.version = OLD.version
       AND (to_jsonb(NEW) - 'version' - 'updated_at')
           IS DISTINCT FROM (to_jsonb(OLD) - 'version' - 'updated_at') THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER layers_layer_version_follows_definition
    BEFORE UPDATE ON layers_layer
    FOR EACH ROW EXECUTE FUNCTION layers_layer_version_follows_definition();
"""

DROP = """
DROP TRIGGER IF EXISTS layers_layer_version_follows_definition ON layers_layer;
DROP FUNCTION IF EXISTS layers_layer_version_follows_definition();
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0003_feature_indexes_and_point_zoom")]

    operations = [migrations.RunSQL(CREATE, DROP)]
