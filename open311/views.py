"""Open311 GeoReport v2: discovery and service definitions."""

from django.urls import reverse

from communes.selectors import offered_categories
from open311.base import Open311View
from open311.render import Open311Error, respond
from reports import conf
from reports.models import Category
from reports.selectors.reports import active_categories


def _name(category: Category, lang: str) -> str:
    return getattr(category, f"name_{lang}", "") or category.name_fr


def service_out(category: Category, lang: str) -> dict:
    return {
        "service_code": category.code,
        "service_name": _name(category, lang),
        "description": category.description,
        "metadata": any(q for q in category.questions.all()),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def attribute_out(question, lang: str) -> dict:
    return {
        "variable": question.variable,
        "code": question.code,
        "datatype": question.datatype,
        "required": question.required,
        "datatype_description": "",
        "order": question.order,
        "description": question.text(lang),
        "values": [
            {"key": v["key"], "name": v.get(f"name_{lang}") or v.get("name_fr") or v["key"]}
            for v in question.values
        ],
    }


class DiscoveryView(Open311View):
    def get(self, request, fmt=None):
        url = request.build_absolute_uri(reverse("open311-root"))
        data = {
            "changeset": "2026-11-22T00:00:00Z",
            "contact": conf.get("KOMIN_OPEN311_CONTACT"),
            "key_service": "API keys are issued by the municipality's staff.",
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": url,
                    "changeset": "2026-11-22T00:00:00Z",
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
