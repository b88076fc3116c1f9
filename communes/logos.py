"""A town hall's logo: checked at the door (a real PNG, JPEG or WebP, small in bytes and
pixels; no SVG, which could carry script) and served from its own URL."""

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from reports import conf

FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


def max_bytes() -> int:
    return int(conf.get("KOMIN_LOGO_MAX_BYTES"))


def max_side() -> int:
    return int(conf.get("KOMIN_LOGO_MAX_SIDE"))


def logo_format(file) -> str:
    """The image format of an open file (PNG, JPEG or WEBP), read from its content."""
    file.seek(0)
    try:
        with Image.open(file) as image:
            image.verify()
            fmt, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(f"The logo is not a readable image ({exc}).") from None
    finally:
        file.seek(0)
    if fmt not in FORMATS:
        raise ValidationError(f"The logo is a {fmt} image; use PNG, JPEG or WebP.")
    if max(width, height) > max_side():
        raise ValidationError(
            f"The logo is {width}×{height} pixels; at most {max_side()} pixels a side."
        )
    return fmt


def validate_logo(file) -> None:
    if file.size is not None and file.size > max_bytes():
        raise ValidationError(f"The logo is {file.size} bytes; at most {max_bytes()} bytes.")
    logo_format(file)
