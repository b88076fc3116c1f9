"""Photos at the door: the content (not the name) must be a real JPEG, PNG or WebP within
the size and pixel limits; it is re-encoded as a fresh JPEG so that no metadata (EXIF
GPS, camera serials, XMP, ICC comments) survives, and a thumbnail is made."""

import hashlib
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from reports import conf
from reports.errors import Invalid
from reports.models import Report, ReportPhoto

FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class CleanPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int


def clean_photo(upload, *, field: str = "photos") -> CleanPhoto:
    name = getattr(upload, "name", "photo")
    limit = conf.get("KOMIN_PHOTO_MAX_BYTES")
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise Invalid(field, f"{name} is {size} bytes; the limit is {limit} bytes.")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise Invalid(field, f"{name} is larger than the limit of {limit} bytes.")
    if not data:
        raise Invalid(field, f"{name} is empty.")
    image = _open_checked(data, name, field)
    full, (width, height) = _jpeg(image, conf.get("KOMIN_PHOTO_MAX_SIDE"))
    thumbnail, _ = _jpeg(image, conf.get("KOMIN_PHOTO_THUMB_SIDE"))
    return CleanPhoto(image=full, thumbnail=thumbnail, width=width, height=height)


def _open_checked(data: bytes, name: str, field: str) -> Image.Image:
    max_pixels = conf.get("KOMIN_PHOTO_MAX_PIXELS")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(BytesIO(data), formats=sorted(FORMATS))
            if probe.width * probe.height > max_pixels:
                raise Invalid(
                    field,
                    f"{name} is {probe.width}x{probe.height} pixels; "
                    f"the limit is {max_pixels} pixels.",
                )
            probe.verify()  # structure and checksums, without decoding
            image = Image.open(BytesIO(data), formats=sorted(FORMATS))
            image.load()  # decodes fully: truncated data fails here
    except Invalid:
        raise
    except UnidentifiedImageError:
        raise Invalid(field, f"{name} is not a JPEG, PNG or WebP image.") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Invalid(field, f"{name} has too many pixels.") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise Invalid(field, f"{name} is a broken image ({exc}).") from None
    image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        return flat
    return image.convert("RGB")


def _jpeg(image: Image.Image, side: int) -> tuple[bytes, tuple[int, int]]:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = BytesIO()
    # A fresh image object carries no info dict: no EXIF, XMP or comment is written.
    fresh = Image.new("RGB", copy.size)
    fresh.paste(copy)
    fresh.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue(), fresh.size


def photo_store(*, report: Report, photo: CleanPhoto) -> ReportPhoto:
    stem = uuid.uuid4().hex
    record = ReportPhoto(
        report=report,
        width=photo.width,
        height=photo.height,
        size_bytes=len(photo.image),
        sha256=hashlib.sha256(photo.image).hexdigest(),
    )
    record.image.save(f"{stem}.jpg", ContentFile(photo.image), save=False)
    record.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(photo.thumbnail), save=False)
    record.save()
    return record


@contextmanager
def removed_on_error() -> Iterator[list[ReportPhoto]]:
    """Photos stored inside the block (append them to the list) lose their files if the
    block fails: their rows roll back with the transaction, the files would be orphans."""
    written: list[ReportPhoto] = []
    try:
        yield written
    except BaseException:
        for record in written:
            for stored in (record.image, record.thumbnail):
                if stored.name:
                    stored.storage.delete(stored.name)
        raise
