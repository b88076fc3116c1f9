// Leaflet.VectorGrid, loaded with the first map that needs vector tiles, and patched for Leaflet 1.9.
import { config, loadScript } from "./core.js";
// Given by the page (its hashed name in production), else the plain one.
const VECTORGRID = config.vectorgrid || "/static/vendor/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js";

export async function vectorGrid() {
  await loadScript(VECTORGRID);
  patchVectorGrid();
  return L.vectorGrid;
}

// VectorGrid 1.3 was written for Leaflet 1.7 and breaks in two ways under Leaflet 1.9:
// - Leaflet 1.9 ignores DOM events on a canvas and expects the canvas renderer to pass
//   every one on (`_fireEvent`, a feature or none): VectorGrid passes on only taps on a
//   feature, and calls DomEvent.fakeStop, gone since 1.8. With a layer on, taps on the
//   map beside a feature never reached the map (no section popup).
// - Leaflet 1.9 places the event of a small canvas "marker" at its getLatLng(), which
//   VectorGrid's point symbolizers leave undefined (they only know their tile pixel):
//   tapping a school threw "Cannot read properties of undefined (reading 'lat')".
// The tile renderer's tap handling is Leaflet 1.9's own, and a point feature's event is
// placed where the pointer is.
function patchVectorGrid() {
  const tile = L.Canvas.Tile.prototype;
  if (tile._kominPatched) return;
  tile._kominPatched = true;
  tile._onClick = function (e) {
    if (!this._map) return;
    const point = this._map.mouseEventToLayerPoint(e).subtract(this.getOffset());
    let clicked = null;
    for (const id in this._layers) {
      const layer = this._layers[id];
      if (layer.options.interactive && layer._containsPoint(point) && !this._map._draggableMoved(layer)) clicked = layer;
    }
    // A tap on a feature is the feature's alone: no map click (section popup) behind it.
    if (clicked) e._stopped = true;
    this._fireEvent(clicked ? [clicked] : false, e);
  };
  const fire = tile._fireEvent;
  tile._fireEvent = function (layers, e, type) {
    if (layers && this._map && e && e.clientX !== undefined) {
      const latlng = this._map.mouseEventToLatLng(e);
      for (const layer of layers) if (layer.getLatLng && layer._point) layer._latlng = latlng;
    }
    return fire.call(this, layers, e, type);
  };
}
