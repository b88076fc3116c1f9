"""Staff form pages that work without a script (phone first): the posted form is read
by the API's own input serializer and handed to the same service as the API, so a page
and the API accept and refuse exactly the same things; errors come back per field."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework import exceptions

from communes.access import can, jurisdiction_ids
from communes.models import Jurisdiction
from geoportal.api import validated  # noqa: F401 (the staff pages import it from here)


def posted(post, names, *, nulls=()) -> dict:
    """The named fields of a posted form, stripped; empty ones left out (or None for
    `nulls`: the fields an empty box clears)."""
    data = {}
    for name in names:
        value = (post.get(name) or "").strip()
        if value:
            data[name] = value
        elif name in nulls and name in post:
            data[name] = None
        elif name in post and name.startswith(("title_", "description_")):
            data[name] = ""
    return data


def field_errors(exc: exceptions.APIException) -> dict[str, list[str]]:
    """{field: [messages]} from a refusal (a serializer's or a service's Invalid); what is
    about no field is under "form"."""
    detail = exc.detail
    if not isinstance(detail, dict):
        detail = {"form": detail}
    return {
        ("form" if name == "non_field_errors" else name): [
            str(m) for m in (msgs if isinstance(msgs, list) else [msgs])
        ]
        for name, msgs in detail.items()
    }


def towns_for(user, action: str) -> list[Jurisdiction]:
    """The town halls where the person holds the action (every one for national roles)."""
    ids = jurisdiction_ids(user, action)
    towns = Jurisdiction.objects.order_by("slug")
    return list(towns if ids is None else towns.filter(pk__in=ids))


def check(user, action: str, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(f"Your role does not allow {action} here.")


def chosen_town(user, action: str, slug: str) -> Jurisdiction:
    """The posted town hall, if the person holds the action there; else a field error."""
    town = next((t for t in towns_for(user, action) if t.slug == slug), None)
    if town is None:
        raise exceptions.ValidationError({"jurisdiction": [_("Choose one of your town halls.")]})
    return town
