"""Public works projects, their money (budget lines per year and funding source), their
public timeline with photos and their procurement (tender, award, contract) for OCDS."""

from decimal import Decimal

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F, Q

from projects.workflow import Sector, Status

MONEY = {"max_digits": 16, "decimal_places": 2}
ZERO = Decimal("0")


class Currency(models.TextChoices):
    HTG = "HTG", "Haitian gourde"
    USD = "USD", "US dollar"


class FundingSource(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "commune", "Commune budget"
        GOVERNMENT = "government", "Central government"
        DONOR = "donor", "Donor"

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    jurisdiction = models.ForeignKey(
        "communes.Jurisdiction", on_delete=models.PROTECT, related_name="projects"
    )
    title_fr = models.CharField(max_length=200)
    title_ht = models.CharField(max_length=200, blank=True)
    title_en = models.CharField(max_length=200, blank=True)
    description_fr = models.TextField(blank=True)
    description_ht = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    # A point, a line (a road) or a polygon (a zone); several parts as a Multi* or a
    # GeometryCollection. Checked at the door (projects.geometry).
    geom = models.GeometryField(srid=4326)
    # The sections it touches, found by PostGIS when the geometry is saved.
    areas = models.ManyToManyField("layers.AdminArea", blank=True, related_name="projects")
    responsible_service = models.CharField(max_length=200, blank=True)
    contractor = models.CharField(max_length=200, blank=True)
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    actual_start = models.DateField(null=True, blank=True)
    actual_end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    percent_complete = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    reports = models.ManyToManyField("reports.Report", blank=True, related_name="projects")
    sample = models.BooleanField(default=False, help_text="Demo data, not a real project.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=Q(geom__isvalid=True), name="project_geom_valid"),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="project_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="project_status_known"
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="project_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=F("actual_start")),
                name="project_actual_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    def title(self, language: str = "fr") -> str:
        return getattr(self, f"title_{language}", "") or self.title_fr

    def description(self, language: str = "fr") -> str:
        return getattr(self, f"description_{language}", "") or self.description_fr


class BudgetLine(models.Model):
    """Planned, committed and spent amounts of one project for one year and one funding
    source, in HTG or USD; a USD line carries the rate (HTG per USD) used and its date."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    funding_source = models.ForeignKey(FundingSource, on_delete=models.PROTECT)
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.HTG)
    planned = models.DecimalField(**MONEY, default=ZERO)
    committed = models.DecimalField(**MONEY, default=ZERO)
    spent = models.DecimalField(**MONEY, default=ZERO)
    exchange_rate = models.DecimalField(
        max_digits=12, decimal_places=4, null=True, blank=True, help_text="HTG for 1 USD."
    )
    rate_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["project", "year", "funding_source"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "funding_source", "currency"],
                name="budgetline_one_per_year_source_currency",
            ),
            models.CheckConstraint(
                condition=Q(planned__gte=0) & Q(committed__gte=0) & Q(spent__gte=0),
                name="budgetline_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(currency="HTG", exchange_rate__isnull=True, rate_date__isnull=True)
                | Q(currency="USD", exchange_rate__gt=0, rate_date__isnull=False),
                name="budgetline_usd_has_rate_and_date",
            ),
        ]


class ProjectUpdate(models.Model):
    """One entry of the public timeline."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    text = models.TextField()
    language = models.CharField(max_length=2, default="fr")
    status = models.CharField(max_length=20, choices=Status.choices)
    percent_complete = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]


def _photo_path(instance, filename: str) -> str:
    return f"projects/{filename}"


class ProjectPhoto(models.Model):
    """Re-encoded without metadata by reports.services.photos, like a report photo."""

    update = models.ForeignKey(ProjectUpdate, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=_photo_path)
    thumbnail = models.FileField(upload_to=_photo_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)


class Procurement(models.Model):
    """One contracting process of a project (an OCDS ocid): its tender, award and
    contract, each filled in as the process goes."""

    class Method(models.TextChoices):
        OPEN = "open", "Open"
        SELECTIVE = "selective", "Selective"
        LIMITED = "limited", "Limited"
        DIRECT = "direct", "Direct"

    class TenderStatus(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Active"
        COMPLETE = "complete", "Complete"
        CANCELLED = "cancelled", "Cancelled"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"

    class ContractStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        ACTIVE = "active", "Active"
        CANCELLED = "cancelled", "Cancelled"
        TERMINATED = "terminated", "Terminated"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="procurements")
    title = models.CharField(max_length=200)
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.OPEN)
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.HTG)
    tender_status = models.CharField(
        max_length=20, choices=TenderStatus.choices, default=TenderStatus.PLANNED
    )
    tender_value = models.DecimalField(**MONEY, null=True, blank=True)
    tender_start = models.DateField(null=True, blank=True)
    tender_end = models.DateField(null=True, blank=True)
    supplier_name = models.CharField(max_length=200, blank=True)
    supplier_id = models.CharField(max_length=100, blank=True, help_text="e.g. its NIF.")
    award_date = models.DateField(null=True, blank=True)
    award_value = models.DecimalField(**MONEY, null=True, blank=True)
    contract_status = models.CharField(
        max_length=20, choices=ContractStatus.choices, blank=True, default=""
    )
    contract_signed = models.DateField(null=True, blank=True)
    contract_start = models.DateField(null=True, blank=True)
    contract_end = models.DateField(null=True, blank=True)
    contract_value = models.DecimalField(**MONEY, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(award_date__isnull=True) | ~Q(supplier_name=""),
                name="procurement_award_names_supplier",
            ),
        ]
