"""Open311 GeoReport v2: discovery and service definitions."""

from datetime import UTC, datetime

from django.db.models import Max
from django.urls import reverse

from communes.selectors import offered_categories
from open311.base import Open311View
from open311.render import FORMATS, Open311Error, respond
from reports import conf
from reports.models import Category, Question
from reports.selectors.reports import active_categories

# The changeset of a server whose services were never touched (an empty catalogue).
FIRST_CHANGESET = datetime(2026, 11, 22, tzinfo=UTC)


def _name(category: Category, lang: str) -> str:
    return getattr(category, f"name_{lang}", "") or category.name_fr


def service_out(category: Category, lang: str) -> dict:
    return {
        "service_code": category.code,
        "service_name": _name(category, lang),
        "description": category.description or None,
        "metadata": any(q for q in category.questions.all()),
        "type": "realtime",
        "keywords": category.keywords or None,
        "group": category.group or None,
    }


def attribute_out(question, lang: str) -> dict:
    return {
        "variable": question.variable,
        "code": question.code,
        "datatype": question.datatype,
        "required": question.required,
        "datatype_description": None,
        "order": question.order,
        "description": question.text(lang),
        "values": [
            {"key": v["key"], "name": v.get(f"name_{lang}") or v.get("name_fr") or v["key"]}
            for v in question.values
        ],
    }


def changeset() -> str:
    """The last change of any service or of its questions: clients cache the service
    definitions until it moves."""
    moments = [
        Category.objects.aggregate(last=Max("updated_at"))["last"],
        Question.objects.aggregate(last=Max("updated_at"))["last"],
    ]
    last = max((m for m in moments if m is not None), default=FIRST_CHANGESET)
    return last.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class DiscoveryView(Open311View):
    def get(self, request, fmt=None):
        # Without the trailing slash: clients append "/services.xml" to it.
        url = request.build_absolute_uri(reverse("open311-base"))
        last = changeset()
        data = {
            "changeset": last,
            "contact": conf.get("KOMIN_OPEN311_CONTACT"),
            "key_service": "API keys are issued by the municipality's staff.",
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": url,
                    "changeset": last,
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        }
        return respond(self.fmt, "discovery", data)


class ServiceListView(Open311View):
    def get(self, request, fmt=None):
        lang = self.language(request)
        categories = offered_categories(active_categories(), self.jurisdiction)
        services = [service_out(c, lang) for c in categories]
        return respond(self.fmt, "services", services)


class ServiceDefinitionView(Open311View):
    def get(self, request, code, fmt=None):
        category = offered_categories(active_categories(), self.jurisdiction)
        category = category.filter(code=code).first()
        if category is None:
            raise Open311Error(404, f"service_code {code!r} not found.")
        lang = self.language(request)
        data = {
            "service_code": category.code,
            "attributes": [attribute_out(q, lang) for q in category.questions.all()],
        }
        return respond(self.fmt, "service_definition", data)


class UnknownPathView(Open311View):
    """Any other path under the endpoint: the specification's errors list, in the format
    the path asks for, whatever the method."""

    def initial(self, request, *args, **kwargs):
        fmt = (kwargs.get("fmt") or "").lower()
        self.fmt = fmt if fmt in FORMATS else "json"
        raise Open311Error(404, f"{request.path} is not a GeoReport v2 resource of this server.")
