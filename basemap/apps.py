from django.apps import AppConfig


class BasemapConfig(AppConfig):
    name = "basemap"
    verbose_name = "Local basemap"

    def ready(self):
        from basemap.tiles import basemap_tile_source
        from layers.tiles.registry import register

        register(basemap_tile_source())
