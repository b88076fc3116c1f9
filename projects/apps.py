from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Public works projects"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from layers.ogc.collections import register_collection
        from layers.tiles.registry import register
        from projects.ogc import projects_collection
        from projects.tiles import projects_tile_source

        register(projects_tile_source())
        register_collection("projects", projects_collection)
