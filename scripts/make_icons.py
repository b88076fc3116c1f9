"""Draws the app's PNG icons (committed in frontend/static/frontend/icons/): a white map pin
on Komin's green, full-bleed so that the same file serves as a maskable icon.

    .venv/bin/python scripts/make_icons.py   # Pillow is a dependency already
"""

from pathlib import Path

from PIL import Image, ImageDraw

GREEN, WHITE = (20, 83, 45, 255), (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "frontend" / "static" / "frontend" / "icons"


def icon(size: int) -> Image.Image:
    scale = 4  # drawn large, then reduced: smooth edges
    side = size * scale
    image = Image.new("RGBA", (side, side), GREEN)
    draw = ImageDraw.Draw(image)
    # The pin sits inside the maskable safe zone (the centre 80 %).
    cx, top, r = side / 2, side * 0.24, side * 0.17
    draw.ellipse([cx - r, top, cx + r, top + 2 * r], fill=WHITE)
    draw.polygon(
        [(cx - r * 0.87, top + r * 1.5), (cx + r * 0.87, top + r * 1.5), (cx, side * 0.76)],
        fill=WHITE,
    )
    hole = r * 0.42
    draw.ellipse([cx - hole, top + r - hole, cx + hole, top + r + hole], fill=GREEN)
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon(size).save(OUT / f"icon-{size}.png", optimize=True)
    icon(180).save(OUT / "apple-touch-icon.png", optimize=True)
    icon(32).save(OUT / "favicon-32.png", optimize=True)
