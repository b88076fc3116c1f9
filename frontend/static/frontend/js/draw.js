// Drawing a query region by hand: a polygon (tap the corners, then finish) or a circle
// around a tapped point. Small on purpose: no drawing library to download.
export class RegionDrawer {
  constructor(map, onDone) {
    this.map = map;
    this.onDone = onDone;
    this.mode = null;
    this.points = [];
    this.shape = null;
    this.radius = 500;
    this.onClick = this.onClick.bind(this);
  }

  start(mode, radius) {
    this.clear();
    this.mode = mode;
    this.radius = radius || this.radius;
    // While drawing, taps go to the map, not to the areas under it (their popups).
    this.map.getContainer().classList.add("drawing");
    this.map.doubleClickZoom.disable();
    this.map.on("click", this.onClick);
  }

  stop() {
    this.mode = null;
    this.map.getContainer().classList.remove("drawing");
    this.map.doubleClickZoom.enable();
    this.map.off("click", this.onClick);
  }

  clear() {
    this.stop();
    this.points = [];
    if (this.shape) this.shape.remove();
    this.shape = null;
  }

  onClick(event) {
    if (this.mode === "buffer") {
      this.shape = L.circle(event.latlng, { radius: this.radius, color: "#7c3aed", weight: 2, fillOpacity: 0.1 }).addTo(this.map);
      this.stop();
      this.onDone({ kind: "buffer", centre: event.latlng, radius: this.radius });
      return;
    }
    this.points.push(event.latlng);
    if (this.shape) this.shape.remove();
    this.shape = (this.points.length > 2 ? L.polygon(this.points) : L.polyline(this.points)).setStyle({ color: "#7c3aed", weight: 2, fillOpacity: 0.1 }).addTo(this.map);
    this.map.fire("komin:vertex", { count: this.points.length });
  }

  finish() {
    if (this.mode !== "polygon" || this.points.length < 3) return false;
    const ring = this.points.map((p) => [Number(p.lng.toFixed(6)), Number(p.lat.toFixed(6))]);
    ring.push(ring[0]);
    this.stop();
    this.onDone({ kind: "polygon", geometry: { type: "Polygon", coordinates: [ring] } });
    return true;
  }
}
