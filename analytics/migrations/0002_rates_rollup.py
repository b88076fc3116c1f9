from pathlib import Path

import django.contrib.postgres.fields
from django.db import migrations, models


TRIGGERS = (Path(__file__).resolve().parent.parent / "sql" / "rollup_triggers.sql").read_text()
DROP_TRIGGERS = """
DROP TRIGGER analytics_rates_report_written ON reports_report;
DROP TRIGGER analytics_rates_report_changed ON reports_report;
DROP TRIGGER analytics_rates_category_sla ON reports_category;
DROP TRIGGER analytics_rates_jurisdiction_sla ON communes_jurisdiction;
DROP FUNCTION analytics_rates_report_dirty();
DROP FUNCTION analytics_rates_sla_dirty();
"""
# The rollup starts empty: every section holding reports is dirty (read live, or the
# exact query while there are many) until the worker or `manage.py rates_rollup` builds it.
ALL_DIRTY = """
INSERT INTO analytics_ratesdirty (section_id)
SELECT DISTINCT section_id FROM reports_report WHERE section_id IS NOT NULL
"""


class Migration(migrations.Migration):

    dependencies = [
        ('analytics', '0001_rasters_and_spatial_weights'),
        ('communes', '0003_jurisdiction_logo_is_a_checked_image'),
        ('reports', '0010_category_translations_and_history_events'),
    ]

    operations = [
        migrations.CreateModel(
            name='RatesDirty',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('section_id', models.BigIntegerField()),
            ],
        ),
        migrations.CreateModel(
            name='RatesCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('section_id', models.BigIntegerField()),
                ('grouping', models.SmallIntegerField()),
                ('category_id', models.BigIntegerField(null=True)),
                ('status', models.CharField(max_length=20, null=True)),
                ('month', models.DateField(null=True)),
                ('reports', models.IntegerField()),
                ('open_backlog', models.IntegerField()),
                ('oldest_open', models.DateTimeField(null=True)),
                ('resolved', models.IntegerField()),
                ('resolved_with_sla', models.IntegerField()),
                ('resolved_within_sla', models.IntegerField()),
                ('open_days', django.contrib.postgres.fields.ArrayField(base_field=models.IntegerField(), default=list, size=None)),
                ('open_counts', django.contrib.postgres.fields.ArrayField(base_field=models.IntegerField(), default=list, size=None)),
                ('resolve_buckets', django.contrib.postgres.fields.ArrayField(base_field=models.IntegerField(), default=list, size=None)),
                ('resolve_counts', django.contrib.postgres.fields.ArrayField(base_field=models.IntegerField(), default=list, size=None)),
            ],
            options={
                'indexes': [models.Index(fields=['grouping', 'section_id'], name='ratescell_grouping')],
            },
        ),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
        migrations.RunSQL(ALL_DIRTY, migrations.RunSQL.noop),
    ]
