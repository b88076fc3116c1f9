"""Small builders for the reports tests (real PostGIS, real services)."""

from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from communes.models import Jurisdiction, Membership
from layers.models import AdminArea
from reports.models import Category, Question, RoutingRule, Team
from reports.workflow import Role

PAP = (-72.3364, 18.5392)  # Port-au-Prince centre, commune HT0111 (Ouest)
DELMAS = (-72.3000, 18.5470)  # commune HT0112 (Ouest)
CAP = (-72.2014, 19.7592)  # Cap-Haïtien, commune HT0311 (Nord)
SEA = (-73.0, 17.0)
CONTACT = {"name": "Marie-Ange Pierre", "email": "marie.ange@example.org", "phone": "+50937001122"}


def user(
    username: str,
    role: str | None = None,
    teams=(),
    superuser=False,
    jurisdiction: Jurisdiction | None = None,
):
    """An account with `role` in `jurisdiction` (None: national); citizens hold none."""
    account = get_user_model().objects.create_user(
        username=username, password="pw-" + username, email=f"{username}@example.org"
    )
    if superuser:
        account.is_superuser = account.is_staff = True
        account.save()
    if role and role != Role.CITIZEN:
        Membership.objects.create(user=account, jurisdiction=jurisdiction, role=role)
    for team in teams:
        team.members.add(account)
    return account


def catalogue():
    """Two categories, four teams and routing rules over the real Haiti areas."""
    pothole = Category.objects.create(
        code="pothole",
        name_fr="Nid-de-poule",
        name_ht="Twou nan wout",
        name_en="Pothole",
        duplicate_radius_m=40,
        sla_hours=48,
        department="Voirie",
    )
    Question.objects.create(
        category=pothole,
        code="size",
        datatype="singlevaluelist",
        required=True,
        order=1,
        text_fr="Taille",
        values=[{"key": "small", "name_fr": "Petit"}, {"key": "large", "name_fr": "Grand"}],
    )
    Question.objects.create(
        category=pothole, code="depth_cm", datatype="number", order=2, text_fr="Profondeur"
    )
    water = Category.objects.create(
        code="water-point-broken", name_fr="Point d'eau en panne", duplicate_radius_m=30
    )
    Question.objects.create(
        category=water,
        code="kinds",
        datatype="multivaluelist",
        order=1,
        text_fr="Quoi",
        values=[{"key": "pump"}, {"key": "tap"}, {"key": "leak"}],
    )
    teams = {
        name: Team.objects.create(name=name)
        for name in ("triage", "roads-pap", "water", "cap", "roads-delmas")
    }
    area = {p: AdminArea.objects.get(pcode=p) for p in ("HT01", "HT0111", "HT0112", "HT03")}
    RoutingRule.objects.create(category=None, area=None, team=teams["triage"])
    RoutingRule.objects.create(category=pothole, area=area["HT01"], team=teams["roads-pap"])
    RoutingRule.objects.create(category=pothole, area=area["HT0112"], team=teams["roads-delmas"])
    RoutingRule.objects.create(category=water, area=None, team=teams["water"])
    RoutingRule.objects.create(category=None, area=area["HT03"], team=teams["cap"])
    return {"pothole": pothole, "water": water, "teams": teams}


def jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "Komin-test-software"  # Software
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (18.0, 32.0, 21.0)
    gps[3] = "W"
    gps[4] = (72.0, 20.0, 11.0)
    out = BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bytes(size=(40, 30), mode="RGBA") -> bytes:
    out = BytesIO()
    Image.new(mode, size, (0, 128, 0, 100) if mode == "RGBA" else (0, 128, 0)).save(out, "PNG")
    return out.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


ROLES = [r.value for r in Role]


def png_bomb(side: int, mode_code: int = 6) -> bytes:
    """A real, complete PNG of side x side pixels of one colour (RGBA by default), built
    row by row so that the test never holds the decoded image: 6,320 px is ~155 kB."""
    import struct
    import zlib

    channels = {6: 4, 2: 3}[mode_code]

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    packer = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * (side * channels)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, mode_code, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def jpeg_bytes(size=(2048, 1536), progressive=False) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (90, 120, 200)).save(out, "JPEG", progressive=progressive)
    return out.getvalue()
