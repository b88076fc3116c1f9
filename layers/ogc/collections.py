"""What OGC API – Features calls collections: every public layer, every boundary level."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from rest_framework.exceptions import ValidationError

from geoportal.params import INT_MAX, parse_int
from layers.api.query import PAGING, parse_query
from layers.levels import Level
from layers.models import BoundaryGeneration, Layer
from layers.selectors import features as selectors
from layers.selectors.features import Page, Query
from layers.selectors.generations import areas_of, requested_generation
from layers.tiles.sources import AREA_PREFIX, areas_version

# Boundary collections answer for a past generation on request.
AREA_PARAMS = {"generation", "date"}

HAITI = [-74.48, 18.02, -71.62, 20.09]


@dataclass
class Collection:
    id: str
    title: str
    description: str
    layer: Layer | None = None
    level: str | None = None
    attribution: str = ""
    licence: str = ""
    generation: BoundaryGeneration | None = None
    # A collection of another app (see `register_collection`) sets these for its
    # schema: the OGC geometry format and the JSON Schema of its properties.
    geometry_format: str = ""
    members: dict | None = None

    def extent(self) -> list[float]:
        if self.layer is None:
            return HAITI
        key = f"ogc-extent:{self.layer.pk}:{self.layer.version}"
        found = cache.get(key)
        if found is None:
            found = selectors.layer_extent(self.layer) or [-180, -90, 180, 90]
            cache.set(key, found, 3600)
        return found

    def version(self) -> str:
        return str(self.layer.version) if self.layer else areas_version(self.generation)

    def query(self, params, limit_default: int) -> Query:
        if self.layer is None:
            unknown = sorted(set(params) - PAGING - AREA_PARAMS)
            if unknown:
                raise ValidationError({unknown[0]: ["Unknown parameter."]})
            self.generation = requested_generation(params)
            params = {key: value for key, value in params.items() if key not in AREA_PARAMS}
        query = parse_query(params, layer=self.layer)
        if "limit" not in params:
            query = Query(**{**query.__dict__, "limit": limit_default})
        return query

    def page(self, query: Query) -> Page:
        if self.layer is not None:
            return selectors.feature_page(self.layer, query)
        return selectors.area_page(self.level, query, generation=self.generation)

    def item(self, feature_id: str, params=None) -> str | None:
        if self.layer is not None:
            try:
                number = parse_int(feature_id)
            except ValueError:
                return None
            if not 1 <= number <= INT_MAX:
                return None
            return selectors.feature_geojson(self.layer, number)
        self.generation = requested_generation(params or {})
        page = selectors.area_page(
            self.level, Query(limit=1), pcode=feature_id, generation=self.generation
        )
        return page.body or None

    def queryables(self) -> list[str]:
        if self.layer is None:
            return []
        return [a["name"] for a in self.layer.schema if not a.get("private")]


# Collections of other apps (projects...): id -> a factory of a Collection subclass that
# overrides extent, version, query, page, item and queryables. Registered in AppConfig.ready.
_registered: dict[str, Callable[[], Collection]] = {}


def register_collection(collection_id: str, factory: Callable[[], Collection]) -> None:
    _registered[collection_id] = factory


def all_collections() -> list[Collection]:
    found = [layer_collection(layer) for layer in selectors.public_layers()]
    levels = set(areas_of().values_list("level", flat=True).distinct())
    found += [area_collection(level) for level in Level.values if level in levels]
    found += [factory() for factory in _registered.values()]
    return found


def get_collection(collection_id: str) -> Collection | None:
    if collection_id in _registered:
        return _registered[collection_id]()
    level = collection_id.removeprefix(AREA_PREFIX)
    if collection_id.startswith(AREA_PREFIX) and level in Level.values:
        return area_collection(level)
    layer = selectors.layer_by_slug(collection_id)
    return layer_collection(layer) if layer else None


def layer_collection(layer: Layer) -> Collection:
    return Collection(
        id=layer.slug,
        title=layer.title,
        description=layer.description,
        layer=layer,
        attribution=layer.attribution,
        licence=layer.licence,
    )


def area_collection(level: str) -> Collection:
    return Collection(
        id=f"{AREA_PREFIX}{level}",
        title=f"Administrative boundaries: {Level(level).label}",
        description=f"Haiti's {Level(level).label} boundaries (COD-AB), keyed by P-code.",
        level=level,
        attribution="Boundaries: CNIGS / OCHA (HDX COD-AB)",
        licence="CC BY-IGO",
    )
