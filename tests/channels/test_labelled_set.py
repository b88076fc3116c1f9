"""The labelled set: at least 100 messages, and the categories found from the demo
catalogue's Kreyòl and French keywords (places: bench/sms_intake.py prints the shares)."""

import pytest

from channels.matching import guess_category
from reports.demo import load_catalogue
from tests.channels.labelled_messages import labelled

pytestmark = pytest.mark.django_db


def test_categories_of_the_labelled_set_are_found_without_a_question():
    categories = load_catalogue()
    rows = labelled()
    assert len(rows) >= 100
    wrong = [(text, code) for text, code, _ in rows
             if getattr(guess_category(text, categories).category, "code", None) != code]  # fmt: skip
    assert len(wrong) <= len(rows) // 20, wrong  # at most 5% asked again or wrong
