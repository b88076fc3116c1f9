from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = "Live updates (Server-Sent Events)"

    def ready(self) -> None:
        from live import signal  # noqa: F401  (the listener that wakes open streams)
