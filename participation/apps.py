from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = "Participatory budgets"
    default_auto_field = "django.db.models.BigAutoField"
