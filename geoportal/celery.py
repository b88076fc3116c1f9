"""The Celery application: background jobs (imports, rasters, heavy analyses).

Its settings are Django's `CELERY_*` settings. Without a broker (`KOMIN_BROKER_URL`
unset) tasks run inline in the process that queues them, so a laptop demo works
without Redis; with one, `celery -A geoportal worker` runs them."""

import os

from celery import Celery

from geoportal.request_id import connect_celery_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")

app = Celery("komin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
connect_celery_signals()
