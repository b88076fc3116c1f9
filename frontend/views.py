from django.conf import settings
from django.shortcuts import render

from layers.datasets import all_datasets


def credits() -> list[str]:
    """Attributions of every catalogued data set, shown on the map."""
    seen: list[str] = []
    for dataset in all_datasets().values():
        attribution = dataset.spec.get("attribution")
        if attribution and attribution not in seen:
            seen.append(attribution)
    return seen


def boundary_map(request):
    return render(
        request,
        "frontend/map.html",
        {
            "basemap_url": settings.KOMIN_BASEMAP_URL,
            "basemap_attribution": settings.KOMIN_BASEMAP_ATTRIBUTION,
            "credits": credits(),
        },
    )
