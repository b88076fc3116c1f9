"""Which boundary generation a read uses: the current one (the newest), unless the request
names one (`generation=<id>`) or a date (`date=YYYY-MM-DD`: the generation valid on that
day). Every read of areas takes its generation from here, so that no query mixes two
releases of the same P-code."""

from datetime import date

from django.db.models import QuerySet
from rest_framework.exceptions import NotFound, ValidationError

from layers.models import AdminArea, BoundaryGeneration


def current_generation() -> BoundaryGeneration | None:
    return BoundaryGeneration.objects.order_by("-id").first()


def current_generation_or_first() -> BoundaryGeneration:
    """The current generation; the first one is made when there is none yet (an empty
    database whose first areas are being created)."""
    found = current_generation()
    if found is None:
        found = BoundaryGeneration.objects.create(name="Generation 1", valid_from=date(1900, 1, 1))
    return found


def current_generation_id() -> int | None:
    found = current_generation()
    return found.pk if found else None


def generation_on(day: date) -> BoundaryGeneration | None:
    """The generation in force on a day: the latest whose `valid_from` is not after it."""
    return (
        BoundaryGeneration.objects.filter(valid_from__lte=day)
        .order_by("-valid_from", "-id")
        .first()
    )


def requested_generation(params) -> BoundaryGeneration | None:
    """The generation a request asks for (`generation` or `date`), else the current one.
    None only when no boundaries were ever loaded."""
    raw_id = (params.get("generation") or "").strip()
    raw_date = (params.get("date") or "").strip()
    if raw_id and raw_date:
        raise ValidationError({"generation": ["Give either generation or date, not both."]})
    if raw_id:
        if not raw_id.isascii() or not raw_id.isdigit() or len(raw_id) > 18:
            raise ValidationError({"generation": [f"{raw_id!r} is not a generation id."]})
        found = BoundaryGeneration.objects.filter(pk=int(raw_id)).first()
        if found is None:
            raise NotFound(f"No boundary generation {raw_id}.")
        return found
    if raw_date:
        try:
            day = date.fromisoformat(raw_date)
        except ValueError:
            raise ValidationError({"date": [f"{raw_date!r} is not a date (YYYY-MM-DD)."]}) from None
        found = generation_on(day)
        if found is None:
            raise NotFound(f"No boundary generation was in force on {day.isoformat()}.")
        return found
    return current_generation()


def generation_id(generation: BoundaryGeneration | None) -> int | None:
    """The id to bind in SQL: the given generation, else the current one."""
    if generation is not None:
        return generation.pk
    return current_generation_id()


def areas_of(generation: BoundaryGeneration | None = None) -> QuerySet[AdminArea]:
    """The areas of a generation (the current one by default)."""
    return AdminArea.objects.filter(generation_id=generation_id(generation))


def describe(generation: BoundaryGeneration | None) -> dict | None:
    if generation is None:
        return None
    return {
        "id": generation.pk,
        "name": generation.name,
        "source": generation.source,
        "release": generation.release,
        "valid_from": generation.valid_from.isoformat(),
        "loaded_at": generation.loaded_at.isoformat(),
        "current": generation.pk == current_generation_id(),
    }
