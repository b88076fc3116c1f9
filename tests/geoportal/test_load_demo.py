"""`load_demo` makes accounts with published passwords only in development, or when
forced; an operator can load the real data without them."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from communes.demo import DEMO_ACCOUNTS
from communes.models import Jurisdiction, Membership
from open311.models import ApiKey
from reports.models import Category, Report

pytestmark = pytest.mark.django_db
DEMO_NAMES = [a["username"] for a in DEMO_ACCOUNTS]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.DEV = False


def demo_users():
    return get_user_model().objects.filter(username__in=DEMO_NAMES)


def test_outside_development_load_demo_refuses_and_creates_nothing(haiti, production):
    with pytest.raises(CommandError, match="--no-accounts.*--force-demo-accounts"):
        call_command("load_demo", stdout=io.StringIO())
    assert not demo_users().exists()
    assert not Category.objects.exists()


def test_no_accounts_loads_the_real_data_and_catalogue_only(haiti, production):
    call_command("load_demo", "--no-accounts", stdout=io.StringIO())
    assert not demo_users().exists()
    assert not ApiKey.objects.exists()
    assert not Report.objects.filter(source="demo").exists()
    assert Category.objects.filter(code="pothole").exists()
    assert Jurisdiction.objects.filter(slug="delmas").exists()  # the town halls, but
    assert not Membership.objects.exists()  # nobody holds a role in them


def test_forced_outside_development_or_in_development_the_demo_is_complete(haiti, settings):
    settings.DEBUG = False
    settings.DEV = False
    call_command("load_demo", "--force-demo-accounts", stdout=io.StringIO())
    assert sorted(demo_users().values_list("username", flat=True)) == sorted(DEMO_NAMES)
    assert ApiKey.objects.filter(name="demo").exists()
    assert Report.objects.filter(source="demo").exists()
    settings.DEV = True
    call_command("load_demo", stdout=io.StringIO())  # development: as `make run` does
    assert demo_users().count() == len(DEMO_NAMES)


def test_both_choices_at_once_are_refused(haiti):
    with pytest.raises(CommandError):
        call_command("load_demo", "--no-accounts", "--force-demo-accounts")
