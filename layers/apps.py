from django.apps import AppConfig


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = "Boundaries and layers"

    def ready(self) -> None:
        from layers.tiles.sources import register_sources

        register_sources()
