"""Boundary generations: every area belongs to one; the areas already loaded become
generation 1. P-codes become unique per generation. A trigger keeps every generation but
the current (newest) one read-only."""

from datetime import date

import django.contrib.gis.db.models.fields
import django.contrib.postgres.indexes
import django.db.models.deletion
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models
from django.db.models import Min

import layers.models

READ_ONLY_SQL = """
CREATE FUNCTION layers_refuse_past_generation() RETURNS trigger
LANGUAGE plpgsql AS $$
-- Only the current (newest) generation of boundaries may change: older ones are what
-- reports were filed in. The generation id is on the row (areas and their pieces) or is
-- the row's own id (generations).
DECLARE
    current_id bigint := (SELECT max(id) FROM layers_boundarygeneration);
    old_id bigint;
    new_id bigint;
BEGIN
    IF TG_TABLE_NAME = 'layers_boundarygeneration' THEN
        old_id := CASE WHEN TG_OP <> 'INSERT' THEN OLD.id END;
    ELSE
        old_id := CASE WHEN TG_OP <> 'INSERT' THEN OLD.generation_id END;
        new_id := CASE WHEN TG_OP <> 'DELETE' THEN NEW.generation_id END;
    END IF;
    IF old_id < current_id OR new_id < current_id THEN
        RAISE EXCEPTION 'boundary generation % is read-only: only the current generation (%) can change',
            least(old_id, new_id), current_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE TRIGGER adminarea_past_generation_read_only
    BEFORE INSERT OR UPDATE OR DELETE ON layers_adminarea
    FOR EACH ROW EXECUTE FUNCTION layers_refuse_past_generation();
CREATE TRIGGER adminareapart_past_generation_read_only
    BEFORE INSERT OR UPDATE OR DELETE ON layers_adminareapart
    FOR EACH ROW EXECUTE FUNCTION layers_refuse_past_generation();
CREATE TRIGGER boundarygeneration_past_read_only
    BEFORE UPDATE OR DELETE ON layers_boundarygeneration
    FOR EACH ROW EXECUTE FUNCTION layers_refuse_past_generation();
"""

DROP_READ_ONLY_SQL = """
DROP TRIGGER IF EXISTS adminarea_past_generation_read_only ON layers_adminarea;
DROP TRIGGER IF EXISTS adminareapart_past_generation_read_only ON layers_adminareapart;
DROP TRIGGER IF EXISTS boundarygeneration_past_read_only ON layers_boundarygeneration;
DROP FUNCTION IF EXISTS layers_refuse_past_generation();
"""


def existing_areas_become_generation_1(apps, schema_editor):
    AdminArea = apps.get_model("layers", "AdminArea")
    AdminAreaPart = apps.get_model("layers", "AdminAreaPart")
    BoundaryGeneration = apps.get_model("layers", "BoundaryGeneration")
    DatasetLoad = apps.get_model("layers", "DatasetLoad")
    if not AdminArea.objects.exists():
        return
    source = (
        AdminArea.objects.exclude(source="").values_list("source", flat=True).first() or ""
    )
    valid_from = AdminArea.objects.aggregate(day=Min("valid_on"))["day"]
    load = DatasetLoad.objects.filter(key=source).first() if source else None
    generation = BoundaryGeneration.objects.create(
        name="Generation 1",
        source=source,
        release=valid_from.isoformat() if valid_from else "",
        valid_from=valid_from or date(1900, 1, 1),
        checksum=load.checksum if load else "",
    )
    AdminArea.objects.update(generation=generation)
    AdminAreaPart.objects.update(generation=generation)


class Migration(migrations.Migration):
    dependencies = [
        ("layers", "0003_feature_indexes_and_point_zoom"),
    ]

    operations = [
        BtreeGistExtension(),
        migrations.CreateModel(
            name="BoundaryGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                (
                    "source",
                    models.CharField(blank=True, help_text="Data set key or file.", max_length=100),
                ),
                (
                    "release",
                    models.CharField(
                        blank=True, help_text="The publisher's release.", max_length=100
                    ),
                ),
                (
                    "valid_from",
                    models.DateField(help_text="The date from which these boundaries apply."),
                ),
                ("loaded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "checksum",
                    models.CharField(blank=True, help_text="Of the loaded release.", max_length=64),
                ),
            ],
            options={"ordering": ["id"]},
        ),
        migrations.AddField(
            model_name="adminarea",
            name="generation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="areas",
                to="layers.boundarygeneration",
            ),
        ),
        migrations.AddField(
            model_name="adminareapart",
            name="generation",
            field=models.ForeignKey(
                null=True,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="layers.boundarygeneration",
            ),
        ),
        migrations.RunPython(existing_areas_become_generation_1, migrations.RunPython.noop),
        # NOT NULL in SQL: Django would otherwise call the default (model code that may
        # create a generation) to fill rows that are already filled.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="adminarea",
                    name="generation",
                    field=models.ForeignKey(
                        default=layers.models.current_generation_id,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="areas",
                        to="layers.boundarygeneration",
                    ),
                ),
                migrations.AlterField(
                    model_name="adminareapart",
                    name="generation",
                    field=models.ForeignKey(
                        db_index=False,
                        default=layers.models.current_generation_id,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="layers.boundarygeneration",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE layers_adminarea ALTER COLUMN generation_id SET NOT NULL;"
                    "ALTER TABLE layers_adminareapart ALTER COLUMN generation_id SET NOT NULL;",
                    "ALTER TABLE layers_adminarea ALTER COLUMN generation_id DROP NOT NULL;"
                    "ALTER TABLE layers_adminareapart ALTER COLUMN generation_id DROP NOT NULL;",
                )
            ],
        ),
        migrations.AlterField(
            model_name="adminarea",
            name="pcode",
            field=models.CharField(max_length=20),
        ),
        migrations.AddConstraint(
            model_name="adminarea",
            constraint=models.UniqueConstraint(
                fields=("generation", "pcode"), name="adminarea_pcode_unique_in_generation"
            ),
        ),
        migrations.AddIndex(
            model_name="adminarea",
            index=models.Index(fields=["generation", "level"], name="adminarea_generation_level"),
        ),
        migrations.AlterField(
            model_name="adminareapart",
            name="geom",
            field=django.contrib.gis.db.models.fields.PolygonField(
                spatial_index=False, srid=4326
            ),
        ),
        migrations.AddIndex(
            model_name="adminareapart",
            index=django.contrib.postgres.indexes.GistIndex(
                fields=["generation", "geom"], name="adminareapart_generation_geom"
            ),
        ),
        migrations.RunSQL(READ_ONLY_SQL, DROP_READ_ONLY_SQL),
    ]
