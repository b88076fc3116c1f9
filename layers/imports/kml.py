"""KML read through once, as XML, before GDAL sees it: GDAL's KML drivers would follow
network links (remote content) and a DOCTYPE can declare entities. A streaming parser
(expat) with entities off looks at every element whatever its namespace prefix, so a
`<kml:NetworkLink>` or a link after the first kilobytes is found too."""

from pathlib import Path
from xml.parsers import expat

from layers.imports import ImportFailed

CHUNK = 1 << 20


class _Refused(Exception):
    pass


def check_kml(path: Path, name: str) -> None:
    """Refuses DOCTYPEs, entities, NetworkLinks and any href other than a style's icon."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[str] = []
    text: list[str] = []

    def refuse(message):
        raise _Refused(message)

    def start(tag, attributes):
        local = tag.rsplit(" ", 1)[-1].lower()
        if local == "networklink":
            refuse("KML network links (remote content) are refused")
        for key, value in attributes.items():
            if key.rsplit(" ", 1)[-1].lower() == "href" and value.strip():
                if "link" in stack or local == "link":  # atom:link is metadata, never opened
                    continue
                refuse(f"KML with an href attribute ({value[:80]!r}) is refused")
        stack.append(local)
        text.clear()

    def end(tag):
        local = stack.pop()
        if local == "href":
            target = "".join(text).strip()
            if target and not _style_icon(stack, target):
                refuse(f"KML links to other content ({target[:80]!r}) are refused")
        text.clear()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    parser.StartDoctypeDeclHandler = lambda *a: refuse("KML with a DOCTYPE or entities is refused")
    parser.EntityDeclHandler = lambda *a: refuse("KML with a DOCTYPE or entities is refused")
    parser.ExternalEntityRefHandler = lambda *a: refuse("KML with external entities is refused")
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Refused as exc:
        raise ImportFailed(f"{name}: {exc}") from None
    except expat.ExpatError as exc:
        raise ImportFailed(f"{name}: not well-formed XML ({exc})") from None


def _style_icon(stack: list[str], target: str) -> bool:
    """A style's icon image is drawn by map viewers, never fetched by the importer."""
    return (
        "iconstyle" in stack and stack[-1] == "icon" and target.startswith(("http://", "https://"))
    )
