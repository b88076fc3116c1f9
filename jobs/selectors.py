"""Reads of jobs: who may see which job, and a job as the API shows it."""

from django.db.models import QuerySet

from communes.access import can
from communes.api import NATIONAL
from jobs.models import Job


def sees_every_job(user) -> bool:
    """National administrators see every job (failed ones with their error); anyone else
    the jobs they started."""
    return can(user, "job.view_all", NATIONAL)


def visible_jobs(*, user) -> QuerySet[Job]:
    jobs = Job.objects.select_related("created_by")
    if sees_every_job(user):
        return jobs
    return jobs.filter(created_by=user)


def job_by_id(*, user, job_id: int) -> Job | None:
    return visible_jobs(user=user).filter(pk=job_id).first()


def job_json(job: Job, *, build_url) -> dict:
    links = {"self": build_url(f"/api/v1/jobs/{job.pk}/")}
    if job.result_file and job.status == Job.Status.DONE:
        links["result"] = build_url(f"/api/v1/jobs/{job.pk}/result/")
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "params": job.params,
        "input_name": job.input_name,
        "result": job.result,
        "error": job.error,
        "attempts": job.attempts,
        "created_by": job.created_by.get_username() if job.created_by else None,
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "links": links,
    }
