"""The admin's map widget: OpenLayers from our own static files (npm `ol`, not Django's
CDN), our basemap (`KOMIN_BASEMAP_URL`, else no basemap: never OpenStreetMap's servers
behind the operator's back), and no inline script (options travel in `json_script`)."""

from django.conf import settings
from django.contrib.gis.admin import GISModelAdmin
from django.contrib.gis.forms.widgets import OSMWidget


class MapWidget(OSMWidget):
    template_name = "geoportal/map_widget.html"
    # Haiti, whole country in view.
    default_lon = -72.7
    default_lat = 18.9
    default_zoom = 7

    class Media:
        extend = False  # Django's own Media points at cdn.jsdelivr.net
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/dist/ol.js", "gis/js/OLMapWidget.js", "geoportal/js/map-widget.js")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["options_id"] = f"{context['id']}_options"
        context["widget_options"] = {
            "id": context["id"],
            "map_id": f"{context['id']}_map",
            "name": context["name"],
            "module": context["module"],
            "geom_name": context["geom_type"],
            "map_srid": context["map_srid"],
            "default_lon": context["default_lon"],
            "default_lat": context["default_lat"],
            "default_zoom": context["default_zoom"],
            "basemap_url": getattr(settings, "KOMIN_BASEMAP_URL", ""),
            "basemap_attribution": getattr(settings, "KOMIN_BASEMAP_ATTRIBUTION", ""),
        }
        return context


class MapModelAdmin(GISModelAdmin):
    """GISModelAdmin with our map widget: every admin with geometry fields uses it."""

    gis_widget = MapWidget
