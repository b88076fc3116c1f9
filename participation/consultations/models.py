"""Consultations: questions (Open311 datatypes) to the residents of chosen areas, open
between two moments, answered once per person; answers may be anonymous.

Anonymity: a `Participant` row says that a person has answered (so they cannot answer
twice) and is not linked to their `Response`; both have random keys and neither keeps
the time of day, so the order of rows does not pair them either."""

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import F, Q


class Datatype(models.TextChoices):
    TEXT = "text", "Text"
    NUMBER = "number", "Number"
    SINGLEVALUELIST = "singlevaluelist", "Single value list"
    MULTIVALUELIST = "multivaluelist", "Multiple value list"
    POINT = "point", "Point on the map"


LISTS = (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST)


class Consultation(models.Model):
    jurisdiction = models.ForeignKey(
        "communes.Jurisdiction", on_delete=models.PROTECT, related_name="consultations"
    )
    title_fr = models.CharField(max_length=200)
    title_ht = models.CharField(max_length=200, blank=True)
    title_en = models.CharField(max_length=200, blank=True)
    description_fr = models.TextField(blank=True)
    description_ht = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    # The areas whose residents it asks (communes or sections of the town hall).
    areas = models.ManyToManyField("layers.AdminArea", related_name="+")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    anonymous = models.BooleanField(default=False)
    # Text answers are shown to staff only unless the consultation says they are public.
    public_text = models.BooleanField(default=False)
    sample = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="consultation_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title_fr

    def title(self, language: str = "fr") -> str:
        return getattr(self, f"title_{language}", "") or self.title_fr

    def description(self, language: str = "fr") -> str:
        return getattr(self, f"description_{language}", "") or self.description_fr


class ConsultationQuestion(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    code = models.SlugField(max_length=50)
    order = models.PositiveSmallIntegerField(default=1)
    datatype = models.CharField(max_length=20, choices=Datatype.choices)
    label_fr = models.CharField(max_length=300)
    label_ht = models.CharField(max_length=300, blank=True)
    label_en = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=False)
    values = models.JSONField(
        default=list, blank=True, help_text="[{key, name_fr, name_ht, name_en}] for the lists"
    )
    min_value = models.FloatField(null=True, blank=True)
    max_value = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["consultation", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "code"], name="consultation_question_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(datatype__in=Datatype.values), name="consultation_question_datatype"
            ),
            models.CheckConstraint(
                condition=Q(datatype__in=["text", "number", "point"]) | ~Q(values=[]),
                name="consultation_question_list_has_values",
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=F("max_value")),
                name="consultation_question_range",
            ),
        ]

    def label(self, language: str = "fr") -> str:
        return getattr(self, f"label_{language}", "") or self.label_fr


class Participant(models.Model):
    """This person has answered this consultation: the unique constraint stops a second
    answer, also when two arrive at once. Not linked to the answers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"], name="consultation_one_answer_per_person"
            )
        ]


class ConsultationResponse(models.Model):
    """One person's answers; `respondent` stays empty when the consultation is anonymous."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    area = models.ForeignKey("layers.AdminArea", on_delete=models.PROTECT, related_name="+")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    submitted_on = models.DateField()  # the day only (see the module's docstring)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "respondent"], name="consultation_response_one_per_person"
            )
        ]


class ConsultationAnswer(models.Model):
    response = models.ForeignKey(
        ConsultationResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        ConsultationQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField(blank=True)
    number = models.FloatField(null=True, blank=True)
    choices = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    point = models.PointField(srid=4326, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="consultation_answer_one_per_question"
            )
        ]
