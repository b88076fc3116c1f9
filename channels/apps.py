from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "channels"
    label = "komin_channels"  # "channels" is the name of a well-known package
    verbose_name = "SMS and chat channels"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from channels import listeners, outbound  # noqa: F401  (outbox handlers, hooks)
