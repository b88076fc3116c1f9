from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "jobs"

    def ready(self) -> None:
        # Each app declares what its background jobs do in `<app>/job_runners.py`.
        autodiscover_modules("job_runners")
