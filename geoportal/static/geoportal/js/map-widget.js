"use strict";
// Starts Django's MapWidget (gis/js/OLMapWidget.js) for every map field of an admin form,
// from the options its template left in a json_script element: Django's own template
// does this in an inline script, which our Content-Security-Policy refuses.
document.addEventListener("DOMContentLoaded", () => {
  for (const wrapper of document.querySelectorAll(".komin-map-widget")) {
    const options = JSON.parse(document.getElementById(wrapper.dataset.options).textContent);
    // Leaflet writes subdomains as {s}, OpenLayers as {a-c}.
    const url = (options.basemap_url || "").replace("{s}", "{a-c}");
    options.base_layer = url
      ? new ol.layer.Tile({ source: new ol.source.XYZ({ url, attributions: options.basemap_attribution }) })
      : new ol.layer.Vector({ source: new ol.source.Vector() }); // MapWidget's default is OSM's servers
    window[options.module] = new MapWidget(options);
  }
});
