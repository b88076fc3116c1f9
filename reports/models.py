from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q

from layers.models import AdminArea, Layer
from reports.workflow import Status


class Team(models.Model):
    name = models.CharField(max_length=200, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="teams")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A service definition (Open311 'service')."""

    code = models.SlugField(max_length=50, unique=True)
    name_fr = models.CharField(max_length=200)
    name_ht = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    group = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    keywords = models.CharField(max_length=300, blank=True)
    department = models.CharField(max_length=200, blank=True)
    layer = models.ForeignKey(Layer, null=True, blank=True, on_delete=models.SET_NULL)
    duplicate_radius_m = models.PositiveIntegerField(default=50)
    sla_hours = models.PositiveIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Report(models.Model):
    """A citizen report / ticket. Reporter contact fields are private: never in public output."""

    class Priority(models.IntegerChoices):
        LOW = 1, "Low"
        NORMAL = 2, "Normal"
        HIGH = 3, "High"
        URGENT = 4, "Urgent"

    reference = models.CharField(max_length=20, unique=True)
    token = models.CharField(max_length=64, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports")
    location = models.PointField(srid=4326)
    address = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    section = models.ForeignKey(
        AdminArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    commune = models.ForeignKey(
        AdminArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    departement = models.ForeignKey(
        AdminArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asset = models.ForeignKey(
        "layers.Feature", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    support_count = models.PositiveIntegerField(default=0)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    hidden = models.BooleanField(default=False)
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_email = models.EmailField(blank=True)
    reporter_phone = models.CharField(max_length=50, blank=True)
    expected_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="report_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.reference
