"""What some read endpoints answer, for the OpenAPI schema (documentation only: the
bodies are built by `reports.api.output`)."""

from rest_framework import serializers


class ValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    datatype = serializers.ChoiceField(
        ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    )
    required = serializers.BooleanField()
    variable = serializers.BooleanField()
    order = serializers.IntegerField()
    text = serializers.CharField()
    values = ValueSerializer(many=True)


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_fr = serializers.CharField()
    name_ht = serializers.CharField(allow_blank=True)
    name_en = serializers.CharField(allow_blank=True)
    group = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    keywords = serializers.ListField(child=serializers.CharField())
    department = serializers.CharField(allow_blank=True)
    layer = serializers.CharField(allow_null=True, help_text="slug of the layer of its assets")
    duplicate_radius_m = serializers.IntegerField()
    sla_hours = serializers.IntegerField(allow_null=True)
    questions = QuestionSerializer(many=True)
