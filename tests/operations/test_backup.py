"""`manage.py backup` then `manage.py restore` into a new empty database: every report,
photo (row and file) and layer is found there.

pg_dump reads committed data only, so the rows are committed from a connection of their
own (with names of their own) and deleted afterwards; the scratch database is named
after this checkout's test database so that parallel checkouts never share one."""

import threading
import uuid
from io import BytesIO

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, connections
from PIL import Image

from geoportal.backup import params_from_url
from jobs.models import OutboxMessage
from layers.models import Feature, Layer
from reports.models import Category, Report, ReportPhoto
from reports.services.photos import clean_photo
from reports.services.reports import report_create
from tests import live
from tests.reports.factories import PAP

pytestmark = pytest.mark.django_db


def in_own_connection(function):
    """Runs `function` on a connection of its own, which commits at once."""
    found = {}

    def run():
        try:
            found["value"] = function()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return found.get("value")


def jpeg() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (64, 48), "orange").save(buffer, "JPEG")
    return SimpleUploadedFile("trou.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def stored(haiti, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    tag = uuid.uuid4().hex[:8]

    def create():
        last = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        category = Category.objects.create(code=f"backup-{tag}", name_fr="Sauvegarde")
        report = report_create(
            category=category, lon=PAP[0], lat=PAP[1], photos=[clean_photo(jpeg())]
        ).report
        layer = Layer.objects.create(slug=f"backup-{tag}", title="Sauvegarde")
        Feature.objects.create(layer=layer, geom=f"SRID=4326;POINT({PAP[0]} {PAP[1]})")
        return {"reference": report.reference, "layer": layer.slug, "category": category.code,
                "photo": report.photos.get().image.name, "outbox_after": last}  # fmt: skip

    found = in_own_connection(create)
    yield found

    def delete():
        Report.objects.filter(reference=found["reference"]).delete()
        Layer.objects.filter(slug=found["layer"]).delete()
        Category.objects.filter(code=found["category"]).delete()
        # The report's notifications, committed with it (the outbox tests count messages).
        OutboxMessage.objects.filter(pk__gt=found["outbox_after"]).delete()

    in_own_connection(delete)


@pytest.fixture
def empty_database():
    name = f"{connection.settings_dict['NAME']}_restore"[:63]
    admin = psycopg2.connect(live.test_database_url())
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = live.test_database_url().rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_a_backup_restores_into_an_empty_database_with_reports_photos_and_layers(
    stored, empty_database, tmp_path
):
    call_command("backup", "--dir", str(tmp_path / "backups"), stdout=BytesIOText())
    (folder,) = (tmp_path / "backups").iterdir()
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}
    restored_media = tmp_path / "restored-media"
    call_command("restore", str(folder), "--database-url", empty_database,
                 "--media-root", str(restored_media), stdout=BytesIOText())  # fmt: skip

    with psycopg2.connect(empty_database) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT r.id FROM reports_report r WHERE r.reference = %s", [stored["reference"]]
        )
        (report_id,) = cursor.fetchone()
        cursor.execute("SELECT image FROM reports_reportphoto WHERE report_id = %s", [report_id])
        assert cursor.fetchone()[0] == stored["photo"]
        cursor.execute(
            "SELECT ST_AsText(f.geom) FROM layers_feature f JOIN layers_layer l"
            " ON l.id = f.layer_id WHERE l.slug = %s",
            [stored["layer"]],
        )
        assert cursor.fetchone()[0].startswith("POINT(-72.33")
        cursor.execute("SELECT count(*) FROM layers_adminarea")
        assert cursor.fetchone()[0] > 500  # the Haiti boundaries came too
    photo = restored_media / stored["photo"]
    assert photo.is_file() and Image.open(photo).format == "JPEG"
    assert ReportPhoto.objects.filter(image=stored["photo"]).exists()  # the source is intact

    with pytest.raises(CommandError, match="not empty"):  # a second restore would mix states
        call_command("restore", str(folder), "--database-url", empty_database,
                     "--media-root", str(restored_media))  # fmt: skip


def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path):
    folder = tmp_path / "komin-x"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"files": {"database.dump": "00"}}')
    (folder / "database.dump").write_bytes(b"not a dump")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(folder), "--database-url", "postgres:///nowhere")
    assert params_from_url("postgres://u:p%40ss@h:5433/d")["PASSWORD"] == "p@ss"


class BytesIOText:
    def write(self, text):
        pass

    def flush(self):
        pass
