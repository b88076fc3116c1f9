"""Celery tasks of the analytics: keeping the rates rollup up to date."""

from celery import shared_task

from analytics.services.rollup import rollup_refresh


@shared_task(name="analytics.rollup_refresh")
def refresh_rates_rollup() -> int:
    """Run by Celery beat every KOMIN_RATES_ROLLUP_SECONDS: rebuilds the cells of the
    sections whose reports changed."""
    return rollup_refresh()
