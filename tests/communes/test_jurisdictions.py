"""Jurisdictions and memberships: invariants in the model and the database."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from communes.models import Jurisdiction, Membership
from communes.selectors import default_jurisdiction, jurisdiction_of_commune

pytestmark = pytest.mark.django_db


def _town(slug, pcodes):
    return Jurisdiction(slug=slug, name_fr=slug, pcodes=pcodes, open311_id=f"{slug}.komin.ht")


def test_a_commune_belongs_to_one_jurisdiction():
    _town("delmas", ["HT0112"]).save()
    with pytest.raises(ValidationError, match="HT0112 already belong to delmas"):
        _town("grand-delmas", ["HT0111", "HT0112"]).full_clean()


def test_one_default_jurisdiction_found_or_made_and_the_fallback_of_unknown_communes():
    first = default_jurisdiction()
    assert default_jurisdiction() == first and first.is_default
    with pytest.raises(IntegrityError), transaction.atomic():
        Jurisdiction.objects.create(slug="other", name_fr="x", open311_id="o", is_default=True)


def test_a_commune_p_code_finds_its_jurisdiction():
    delmas = _town("delmas", ["HT0112"])
    delmas.save()
    assert jurisdiction_of_commune("HT0112") == delmas
    assert jurisdiction_of_commune("HT0113").is_default
    assert jurisdiction_of_commune(None).is_default


def test_unknown_roles_are_refused_by_the_database():
    user = get_user_model().objects.create_user("x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role="mayor")


def test_unknown_languages_are_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Jurisdiction.objects.create(slug="y", name_fr="y", open311_id="y", languages=["de"])
