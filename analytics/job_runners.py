"""Analytics work that runs as a background job: heavy analyses (their result is a
downloadable file) and raster uploads."""

import json

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError

from analytics.analyses import run
from analytics.results import MEDIA_TYPES, _plain, render
from analytics.selectors.rasters import raster_summary
from analytics.services.rasters import RasterError, raster_create
from geoportal.api import _flatten
from jobs.models import Job
from jobs.runners import JobFailed, Outcome, Progress, runner
from jobs.services import job_folder, job_input

ANALYSIS = "analysis"
RASTER_UPLOAD = "raster-upload"


def analysis_params(
    *, name: str, params: dict, fmt: str, communes: tuple[str, ...] | None = None
) -> dict:
    """A job's parameters, with the starter's scope (their communes; None: national)."""
    scope = list(communes) if communes is not None else None
    return {"analysis": name, "params": params, "format": fmt, "communes": scope}


@runner(ANALYSIS)
def run_analysis(job: Job, progress: Progress) -> Outcome:
    name, fmt = job.params["analysis"], job.params["format"]
    progress(5, f"running {name}")
    try:
        result = run(name, job.params["params"], communes=job.params.get("communes"))
    except ValidationError as exc:  # the data changed since the request was checked
        raise JobFailed(_flatten(exc.detail)) from None
    progress(90, f"writing {fmt}")
    folder = job_folder(job)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{result.name}.{fmt}"
    path.write_bytes(render(result, fmt))
    summary = {"analysis": name, "rows": len(result.rows), "format": fmt, "meta": result.meta}
    return Outcome(
        result=json.loads(json.dumps(summary, default=_plain)),
        file=path,
        media_type=MEDIA_TYPES[fmt],
    )


@runner(RASTER_UPLOAD)
def run_raster_upload(job: Job, progress: Progress) -> Outcome:
    from django.contrib.auth import get_user_model

    params = job.params
    progress(10, "checking the GeoTIFF")
    try:
        layer = raster_create(
            source=job_input(job), title=params["title"], slug=params.get("slug") or None,
            kind=params.get("kind") or "other", unit=params.get("unit", ""),
            description=params.get("description", ""), source_name=params.get("source", ""),
            licence=params.get("licence", ""), attribution=params.get("attribution", ""),
            uploaded_by=get_user_model().objects.filter(pk=job.created_by_id).first(),
        )  # fmt: skip
    except RasterError as exc:
        raise JobFailed(str(exc)) from None
    except DjangoValidationError as exc:
        raise JobFailed("; ".join(exc.messages)) from None
    return Outcome(result=json.loads(json.dumps(raster_summary(layer), default=_plain)))
