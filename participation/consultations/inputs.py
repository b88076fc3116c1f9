"""What the consultations API accepts (shape only: the services check the rest)."""

from rest_framework import serializers

from participation.consultations.models import Datatype

LABEL = {"max_length": 300}


class ValueInput(serializers.Serializer):
    key = serializers.SlugField(max_length=50)
    name_fr = serializers.CharField(**LABEL)
    name_ht = serializers.CharField(required=False, allow_blank=True, **LABEL)
    name_en = serializers.CharField(required=False, allow_blank=True, **LABEL)


class QuestionInput(serializers.Serializer):
    code = serializers.SlugField(max_length=50)
    datatype = serializers.ChoiceField(Datatype.values)
    label_fr = serializers.CharField(**LABEL)
    label_ht = serializers.CharField(required=False, allow_blank=True, **LABEL)
    label_en = serializers.CharField(required=False, allow_blank=True, **LABEL)
    required = serializers.BooleanField(default=False)
    values = ValueInput(many=True, required=False, max_length=50)
    min_value = serializers.FloatField(required=False, min_value=-1e12, max_value=1e12)
    max_value = serializers.FloatField(required=False, min_value=-1e12, max_value=1e12)


class ConsultationEdit(serializers.Serializer):
    title_fr = serializers.CharField(max_length=200)
    title_ht = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_fr = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    description_ht = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    description_en = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    areas = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        min_length=1, max_length=200,
        help_text="Ids of the communes or sections (GET /api/v1/areas/) whose residents it asks.",
    )  # fmt: skip
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    anonymous = serializers.BooleanField(default=False)
    public_text = serializers.BooleanField(default=False)
    questions = QuestionInput(many=True, min_length=1, max_length=50)


class ConsultationInput(ConsultationEdit):
    jurisdiction = serializers.SlugField(max_length=50)


class OpenInput(serializers.Serializer):
    closes_at = serializers.DateTimeField(required=False)


class AnswerInput(serializers.Serializer):
    answers = serializers.DictField(
        help_text="Question code → answer: text, number, a value's key, a list of keys, "
        'or {"lon": …, "lat": …}.'
    )
    area = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False,
        help_text="The respondent's area, required unless a point answer places them.",
    )  # fmt: skip
