from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.serializers import as_serializer_error


class ModelCleanMixin:
    """Runs the model's own validation (clean, uniqueness, constraints) before saving, so
    that every rule the admin enforces answers the API with a 400 and a message too."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self._unsaved_copy()
        for name, value in attrs.items():
            try:
                field = instance._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.concrete and not field.many_to_many:
                setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(as_serializer_error(error)) from error
        return attrs

    def _unsaved_copy(self):
        """The instance as it would be saved, without touching the one being edited."""
        model = self.Meta.model
        if self.instance is None:
            return model()
        fields = model._meta.concrete_fields
        return model.from_db(
            self.instance._state.db,
            [f.attname for f in fields],
            [getattr(self.instance, f.attname) for f in fields],
        )


class SavedByService:
    """Creates and updates through the app's service, as the admin does: `save_instance`
    hands it the new or changed instance (e.g. pledges.services.commitment_save)."""

    def save_instance(self, instance):
        raise NotImplementedError

    def create(self, validated_data):
        return self.save_instance(self.Meta.model(**validated_data))

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self.save_instance(instance)


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (api.exceptions.exception_handler)."""

    code = serializers.CharField(
        help_text="Stable and machine-readable: invalid, not_authenticated, "
        "permission_denied, not_found, conflict, sync_token_invalid, …"
    )
    detail = serializers.CharField(help_text="For people, in the request's language.")


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Messages by field name (a list, or nested for nested fields); "
        "non_field_errors for the request as a whole.",
    )


class BadRequestSerializer(ErrorSerializer):
    """A write's 400: invalid fields (code invalid, with errors), or a body that cannot be read
    at all (code parse_error, without errors)."""

    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="With code invalid: messages by field name (a list, or nested for nested "
        "fields); non_field_errors for the request as a whole.",
    )
