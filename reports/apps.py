from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        from layers.tiles.registry import register
        from reports.selectors.tiles import reports_tile_source

        register(reports_tile_source())
