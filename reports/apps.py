from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        from layers.tiles.registry import register
        from reports import sql_functions
        from reports.selectors.tiles import reports_tile_source

        register(reports_tile_source())
        # The functions read the tables of several apps: made after every migrate.
        post_migrate.connect(
            sql_functions.install, sender=self, dispatch_uid="reports.sql_functions"
        )
