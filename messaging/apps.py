from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    label = "messaging"
    verbose_name = "SMS and chat channels"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from messaging import listeners, outbound  # noqa: F401  (outbox handlers, hooks)
