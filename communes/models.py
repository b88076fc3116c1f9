"""Jurisdictions (communes, or groups of communes, as tenants of one service) and the
memberships that give a person a role in one of them or nationally."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from communes.logos import validate_logo

LANGUAGES = ("fr", "ht", "en")


def all_languages() -> list[str]:
    return list(LANGUAGES)


class Jurisdiction(models.Model):
    """A commune or a group of communes served by one town hall (a FixMyStreet "body").
    Its territory is named by commune P-codes, which stay the same across boundary
    generations, rather than by rows of AdminArea."""

    slug = models.SlugField(max_length=50, unique=True, help_text="Public pages at /c/<slug>/.")
    name_fr = models.CharField(max_length=200)
    name_ht = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    pcodes = ArrayField(
        models.CharField(max_length=20),
        default=list,
        blank=True,
        help_text="P-codes of its communes, e.g. HT0112.",
    )
    open311_id = models.CharField(
        max_length=100, unique=True, help_text="Its Open311 jurisdiction_id, e.g. delmas.komin.ht."
    )
    languages = ArrayField(models.CharField(max_length=2), default=all_languages)
    logo = models.ImageField(
        upload_to="jurisdictions/",
        blank=True,
        validators=[validate_logo],
        help_text="PNG, JPEG or WebP, at most 512 kB and 1024 pixels a side; served at /c/<slug>/logo/.",
    )
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=50, blank=True)
    website = models.URLField(blank=True)
    sla_hours = models.PositiveIntegerField(
        null=True, blank=True, help_text="Default time to fix when a category sets none."
    )
    is_default = models.BooleanField(
        default=False,
        help_text="Takes the reports that fall in no other jurisdiction (exactly one).",
    )

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="jurisdiction_one_default"
            ),
            models.CheckConstraint(
                condition=Q(languages__contained_by=list(LANGUAGES)),
                name="jurisdiction_languages_known",
            ),
        ]
        indexes = [GinIndex(fields=["pcodes"], name="jurisdiction_pcodes")]

    def __str__(self) -> str:
        return self.slug

    def name(self, language: str = "fr") -> str:
        return getattr(self, f"name_{language}", "") or self.name_fr

    def clean(self) -> None:
        # A commune answers to one town hall: two jurisdictions may not share a P-code.
        taken = (
            Jurisdiction.objects.exclude(pk=self.pk)
            .filter(pcodes__overlap=self.pcodes or [])
            .values_list("slug", "pcodes")
        )
        for slug, pcodes in taken:
            shared = sorted(set(pcodes) & set(self.pcodes))
            raise ValidationError({"pcodes": f"{', '.join(shared)} already belong to {slug}."})


class Membership(models.Model):
    """A person's role in one jurisdiction, or nationally (jurisdiction empty). Citizens
    need none. Who may do what with a role is `communes.access.POLICY`."""

    class Role(models.TextChoices):
        CREW = "crew", "Crew member"
        SUPERVISOR = "supervisor", "Supervisor"
        PLANNER = "planner", "Planner"
        GIS_EDITOR = "gis_editor", "GIS editor"
        ADMINISTRATOR = "administrator", "Administrator"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        help_text="Empty: national (every jurisdiction).",
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["user", "jurisdiction", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "jurisdiction", "role"],
                name="membership_once",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(
                    role__in=["crew", "supervisor", "planner", "gis_editor", "administrator"]
                ),
                name="membership_role_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} @ {self.jurisdiction_id or 'national'}"
