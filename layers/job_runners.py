"""Layer work that runs as a background job: importing an uploaded file."""

from dataclasses import asdict

from django.core.exceptions import ValidationError as DjangoValidationError

from jobs.models import Job
from jobs.runners import JobFailed, Outcome, Progress, runner
from jobs.services import job_input
from layers.imports import ImportFailed
from layers.services.imports import ImportOptions, ImportRejected, import_file

LAYER_IMPORT = "layer-import"


def import_params(options: ImportOptions) -> dict:
    return {"options": asdict(options)}


def import_options(params: dict) -> ImportOptions:
    values = dict(params["options"])
    values["null_values"] = tuple(values.get("null_values") or ())
    return ImportOptions(**values)


@runner(LAYER_IMPORT)
def run_layer_import(job: Job, progress: Progress) -> Outcome:
    def batches(items, *, total: int, desc: str = ""):
        progress(1, "reading the file")
        for number, item in enumerate(items, start=1):
            yield item
            progress(min(95, 95 * number / max(total, 1)), f"{desc}: {number} of {total} done")
        progress(96, "finding each feature's area")

    try:
        report = import_file(
            path=job_input(job), name=job.input_name, options=import_options(job.params),
            progress=batches,
        )  # fmt: skip
    except ImportRejected as exc:
        raise JobFailed(str(exc), result=exc.report.as_dict()) from None
    except ImportFailed as exc:
        raise JobFailed(str(exc)) from None
    except DjangoValidationError as exc:
        raise JobFailed("; ".join(exc.messages)) from None
    return Outcome(result=report.as_dict())
