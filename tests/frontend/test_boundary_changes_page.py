"""The boundary changes page: a public map of the diff of two generations, labelled in the
page's language, fed by the diff GeoJSON endpoint (tests/layers for the diff itself)."""

import json
import re

import pytest

pytestmark = pytest.mark.django_db


def page_config(html: str) -> dict:
    found = re.search(
        r'<script id="komin-config" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(found.group(1))


@pytest.mark.parametrize(
    ("lang", "title", "appeared"),
    [("fr", "Changements de limites", "Apparue"), ("ht", "Chanjman limit yo", "Parèt")],
)
def test_the_changes_page_speaks_the_language_and_labels_every_kind(
    client, haiti, lang, title, appeared
):
    client.cookies["django_language"] = lang
    response = client.get("/boundaries/changes/")
    html = response.content.decode()
    assert response.status_code == 200 and title in html
    labels = page_config(html)["changeLabels"]
    assert labels["appeared"] == appeared
    # Every kind the diff reports has a label for the legend.
    from layers.selectors.generation_diff import CHANGE_KINDS

    assert set(CHANGE_KINDS) <= set(labels)
    assert "frontend/js/boundary-changes.js" in html
    assert 'href="/boundaries/changes/"' in client.get("/transparency/").content.decode()
