"""What the API shows and accepts. Phones appear only where `selectors.sample_page` allows."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from manyi.fieldwork.models import Response, SampledContact, Survey

MAX_BATCH = 500


class AssignmentSerializer(serializers.ModelSerializer):
    application_number = serializers.CharField(source="application.number")
    enterprise = serializers.CharField(source="application.organisation.name")
    category = serializers.CharField(source="application.category")
    questionnaire_version = serializers.IntegerField(source="questionnaire.version")
    questions = serializers.JSONField(source="questionnaire.questions")

    class Meta:
        model = Survey
        fields = [
            "id",
            "application_number",
            "enterprise",
            "category",
            "status",
            "target_completes",
            "field_opens",
            "field_closes",
            "max_attempts",
            "questionnaire_version",
            "questions",
        ]


class ContactSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="customer.name")
    contact_person = serializers.CharField(source="customer.contact")
    department = serializers.CharField(source="customer.department")
    address = serializers.CharField(source="customer.address")
    phone = serializers.SerializerMethodField()

    class Meta:
        model = SampledContact
        fields = [
            "id",
            "position",
            "stratum",
            "status",
            "name",
            "contact_person",
            "department",
            "address",
            "phone",
        ]

    def get_phone(self, contact) -> str | None:
        return contact.customer.phone if self.context.get("phones") else None


class ResponseItemSerializer(serializers.Serializer):
    external_id = serializers.CharField(max_length=64)
    contact_id = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField()
    answers = serializers.DictField(child=serializers.JSONField(), allow_empty=False)


class ResponseBatchSerializer(serializers.Serializer):
    responses = ResponseItemSerializer(many=True, allow_empty=False)

    def validate_responses(self, items):
        if len(items) > MAX_BATCH:
            raise serializers.ValidationError(_("每批最多 %(n)d 份回答") % {"n": MAX_BATCH})
        return items


class ItemResultSerializer(serializers.Serializer):
    external_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["created", "duplicate", "error"])
    id = serializers.IntegerField(allow_null=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class FlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Response
        fields = ["id", "external_id", "contact_id", "qc_flags", "qc_status", "qc_reason"]
