"""Input of the reports API (validated by DRF; the rules themselves live in services)."""

from rest_framework import serializers

from geoportal.text import TextError, loads
from reports.workflow import Status


class AnswersField(serializers.JSONField):
    """A JSON object, or (in multipart forms) a string holding one."""

    # A handful of questions; a multipart field may otherwise carry megabytes of JSON,
    # which json.loads would turn into a far larger dict (5 MB took 3 s and +73 MB).
    max_chars = 20_000

    def to_internal_value(self, data):
        if isinstance(data, str):
            if len(data) > self.max_chars:
                raise serializers.ValidationError(
                    f"{len(data)} characters; answers take at most {self.max_chars}."
                )
            try:
                data = loads(data, name="answers") if data.strip() else {}
            except TextError as exc:
                raise serializers.ValidationError(str(exc)) from None
        if not isinstance(data, dict):
            raise serializers.ValidationError("Expected an object of question code: answer.")
        return data


class ReportCreateInput(serializers.Serializer):
    category = serializers.SlugField()
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    answers = AnswersField(required=False, default=dict)
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    asset = serializers.IntegerField(required=False, allow_null=True, default=None)
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="Multipart only."
    )


class TransitionInput(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text="Omit for a comment without a status change.",
    )
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="Or send the ETag in If-Match."
    )
    public_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000
    )
    internal_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000
    )
    token = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="The reporter's tracking token."
    )
    photo = serializers.FileField(required=False)
    duplicate_of = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=20,
        help_text="With status duplicate (required then): the original's reference; "
        "the report is merged into it.",
    )


class AssignInput(serializers.Serializer):
    team = serializers.IntegerField(required=False, allow_null=True, default=None)
    priority = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="1 low to 4 urgent"
    )
    assignee = serializers.IntegerField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, min_value=1)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TransferInput(serializers.Serializer):
    jurisdiction = serializers.SlugField(help_text="Slug of the jurisdiction to send it to.")
    version = serializers.IntegerField(required=False, min_value=1)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MergeInput(serializers.Serializer):
    into = serializers.CharField(help_text="Reference of the report to keep.")
    version = serializers.IntegerField(required=False, min_value=1)


class ModerateInput(serializers.Serializer):
    hidden = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    photo = serializers.IntegerField(required=False, allow_null=True, default=None)


class SupportInput(serializers.Serializer):
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class FollowInput(serializers.Serializer):
    email = serializers.EmailField()


class AreaFollowInput(serializers.Serializer):
    email = serializers.EmailField()
    area = serializers.CharField(help_text="P-code of the area to follow.")
