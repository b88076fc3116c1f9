"""Status badges are white text on the status colour: WCAG AA needs 4.5:1."""

import pytest

from frontend.labels import STATUS_COLOURS


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_known_pairs():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ea580c", "#ffffff") == pytest.approx(3.56, abs=0.01)  # the old orange


@pytest.mark.parametrize(("status", "colour"), sorted(STATUS_COLOURS.items()))
def test_every_status_badge_meets_wcag_aa(status, colour):
    assert contrast(colour, "#ffffff") >= 4.5, f"{status}: {contrast(colour, '#ffffff'):.2f}"
