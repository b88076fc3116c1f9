from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q

from communes.models import Jurisdiction
from layers.models import AdminArea, Layer
from reports.workflow import Status


class Team(models.Model):
    name = models.CharField(max_length=200, unique=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
        help_text="Empty: a national team.",
    )
    email = models.EmailField(blank=True, help_text="Where new tickets of the team are announced.")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="teams")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A service definition (Open311 'service')."""

    code = models.SlugField(max_length=50, unique=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categories",
        help_text="Empty: the national catalogue, offered everywhere; else a local addition.",
    )
    name_fr = models.CharField(max_length=200)
    name_ht = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    group = models.CharField(max_length=100, blank=True, help_text="In French.")
    group_ht = models.CharField(max_length=100, blank=True)
    group_en = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True, help_text="In French.")
    description_ht = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    keywords = models.CharField(max_length=300, blank=True)
    department = models.CharField(max_length=200, blank=True)
    layer = models.ForeignKey(Layer, null=True, blank=True, on_delete=models.SET_NULL)
    duplicate_radius_m = models.PositiveIntegerField(default=50)
    sla_hours = models.PositiveIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)
    # Open311 discovery's `changeset`: clients re-read the services when it moves.
    updated_at = models.DateTimeField(auto_now=True)

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
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="reports",
        help_text="The town hall whose area contains it (or that it was transferred to).",
    )
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
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        help_text="The account that filed it, if any (private).",
    )
    source = models.CharField(max_length=20, default="api", help_text="api, open311, web, demo")
    language = models.CharField(
        max_length=2, default="fr", help_text="fr, ht or en: the language of its e-mails"
    )
    hidden_reason = models.CharField(max_length=300, blank=True)
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_email = models.EmailField(blank=True)
    reporter_phone = models.CharField(max_length=50, blank=True)
    expected_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic concurrency.")
    media_url = models.URLField(
        max_length=500,
        blank=True,
        help_text="A photo link posted by an Open311 client; never fetched.",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="report_status_known"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
        ]
        indexes = [
            models.Index(fields=["category", "status"], name="report_category_status"),
            models.Index(fields=["updated_at"], name="report_updated_at"),  # tile version
            # The duplicate check's candidates, nearest first within one category
            # (reports_duplicate_candidates): a pile of another category's reports on the
            # spot is not read at all (migration 0012).
            GistIndex(fields=["category", "location"], name="report_category_location"),
        ]

    def __str__(self) -> str:
        return self.reference


class Question(models.Model):
    """An extra question of a category (an Open311 service attribute)."""

    class Datatype(models.TextChoices):
        STRING = "string", "String"
        NUMBER = "number", "Number"
        DATETIME = "datetime", "Date and time"
        TEXT = "text", "Text"
        SINGLEVALUELIST = "singlevaluelist", "Single value list"
        MULTIVALUELIST = "multivaluelist", "Multiple value list"

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(max_length=50)
    datatype = models.CharField(max_length=20, choices=Datatype.choices)
    required = models.BooleanField(default=False)
    variable = models.BooleanField(default=True, help_text="False: information only, no answer.")
    order = models.PositiveSmallIntegerField(default=1)
    text_fr = models.CharField(max_length=300)
    text_ht = models.CharField(max_length=300, blank=True)
    text_en = models.CharField(max_length=300, blank=True)
    values = models.JSONField(
        default=list, blank=True, help_text="[{key, name_fr, name_ht, name_en}] for the lists"
    )
    updated_at = models.DateTimeField(auto_now=True)  # see Category.updated_at

    class Meta:
        ordering = ["category", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="question_unique_code"),
            models.CheckConstraint(
                condition=Q(datatype__in=["string", "number", "datetime", "text"]) | ~Q(values=[]),
                name="question_list_has_values",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category_id}:{self.code}"

    def text(self, language: str = "fr") -> str:
        return getattr(self, f"text_{language}", "") or self.text_fr


class RoutingRule(models.Model):
    """Category x area -> team, within a jurisdiction. The most specific matching rule
    wins: a rule of the report's jurisdiction beats a national one (jurisdiction empty),
    then a rule naming the category beats one that does not, then the deepest area; a rule
    with neither is the fallback."""

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        help_text="Empty: a national rule.",
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="routing_rules"
    )
    area = models.ForeignKey(
        AdminArea, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="routing_rules")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "category", "area"],
                name="routing_unique_jurisdiction_category_area",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_id or '*'} x {self.area_id or '*'} -> {self.team_id}"


def _photo_path(instance, filename: str) -> str:
    return f"reports/photos/{filename}"


class ReportPhoto(models.Model):
    """A photo, always re-encoded by the photo service (no EXIF survives)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=_photo_path)
    thumbnail = models.FileField(upload_to=_photo_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class ReportUpdate(models.Model):
    """One recorded change of a report: the history. Internal notes stay on the staff side."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        TRANSITION = "transition", "Status change"
        COMMENT = "comment", "Comment"
        ASSIGNMENT = "assignment", "Assignment"
        MODERATION = "moderation", "Moderation"
        MERGE = "merge", "Merged duplicate"
        TRANSFER = "transfer", "Transferred to another jurisdiction"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_role = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    # What the system did, as a code and its parameters (reports.events), rendered in
    # the reader's language when read; public_note is only what a person wrote.
    event = models.CharField(max_length=30, blank=True)
    params = models.JSONField(default=dict, blank=True)
    public_note = models.TextField(blank=True)
    internal_note = models.TextField(blank=True)
    photo = models.ForeignKey(
        ReportPhoto, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    public = models.BooleanField(default=True, help_text="Shown in the public history.")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]


class Support(models.Model):
    """One "me too": one per person (account, e-mail or client fingerprint) and report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supports")
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "fingerprint"], name="support_once")
        ]


class Subscription(models.Model):
    """An e-mail address following a report or an area."""

    email = models.EmailField()
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    area = models.ForeignKey(
        AdminArea, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, help_text="Unsubscribe token.")
    confirmed = models.BooleanField(
        default=False, help_text="The address owner clicked the confirmation link (double opt-in)."
    )
    language = models.CharField(max_length=2, default="fr")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, area__isnull=True)
                | Q(report__isnull=True, area__isnull=False),
                name="subscription_report_xor_area",
            ),
            models.UniqueConstraint(
                fields=["email", "report", "area"],
                name="subscription_once",
                nulls_distinct=False,
            ),
        ]
