"""Input serializers of the projects API: they type and bound the fields; the services
check rights, geometry and the workflow."""

from rest_framework import serializers

from projects.models import Currency, Procurement
from projects.workflow import Sector, Status

MONEY = {"max_digits": 16, "decimal_places": 2, "min_value": 0}


class ProjectFields(serializers.Serializer):
    title_fr = serializers.CharField(max_length=200)
    title_ht = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_fr = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    description_ht = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    description_en = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    sector = serializers.ChoiceField(Sector.choices)
    responsible_service = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contractor = serializers.CharField(max_length=200, required=False, allow_blank=True)
    planned_start = serializers.DateField(required=False, allow_null=True)
    planned_end = serializers.DateField(required=False, allow_null=True)
    actual_start = serializers.DateField(required=False, allow_null=True)
    actual_end = serializers.DateField(required=False, allow_null=True)
    percent_complete = serializers.IntegerField(min_value=0, max_value=100, required=False)
    geometry = serializers.JSONField(help_text="GeoJSON: point, line, polygon, Multi*, collection")


class ProjectCreateInput(ProjectFields):
    slug = serializers.SlugField(max_length=80)
    jurisdiction = serializers.SlugField(max_length=50)


class TransitionInput(serializers.Serializer):
    status = serializers.ChoiceField(Status.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    resolve_reports = serializers.BooleanField(required=False, default=False)


class BudgetLineInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    funding_source = serializers.SlugField(max_length=50)
    currency = serializers.ChoiceField(Currency.choices, default=Currency.HTG)
    planned = serializers.DecimalField(**MONEY, default=0)
    committed = serializers.DecimalField(**MONEY, default=0)
    spent = serializers.DecimalField(**MONEY, default=0)
    exchange_rate = serializers.DecimalField(
        max_digits=12, decimal_places=4, min_value=0, required=False, allow_null=True
    )
    rate_date = serializers.DateField(required=False, allow_null=True)


class ReportsInput(serializers.Serializer):
    reports = serializers.ListField(
        child=serializers.CharField(max_length=20), max_length=500, allow_empty=True
    )


class UpdateInput(serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    language = serializers.ChoiceField(["fr", "ht", "en"], default="fr")
    percent_complete = serializers.IntegerField(min_value=0, max_value=100, required=False)


class ProcurementInput(serializers.Serializer):
    id = serializers.IntegerField(required=False, min_value=1)
    title = serializers.CharField(max_length=200)
    method = serializers.ChoiceField(Procurement.Method.choices, default="open")
    currency = serializers.ChoiceField(Currency.choices, default=Currency.HTG)
    tender_status = serializers.ChoiceField(Procurement.TenderStatus.choices, default="planned")
    tender_value = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    tender_start = serializers.DateField(required=False, allow_null=True)
    tender_end = serializers.DateField(required=False, allow_null=True)
    supplier_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    supplier_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    award_date = serializers.DateField(required=False, allow_null=True)
    award_value = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    contract_status = serializers.ChoiceField(
        Procurement.ContractStatus.choices, required=False, allow_blank=True
    )
    contract_signed = serializers.DateField(required=False, allow_null=True)
    contract_start = serializers.DateField(required=False, allow_null=True)
    contract_end = serializers.DateField(required=False, allow_null=True)
    contract_value = serializers.DecimalField(**MONEY, required=False, allow_null=True)
