"""Background jobs: the starter polls its job, administrators list every job (failed
ones with their error), and a finished job's result file is downloaded."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.params import query_choice, query_int
from jobs.models import Job
from jobs.selectors import job_by_id, job_json, visible_jobs
from jobs.services import job_folder

ERRORS = {400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT}


def accepted(request, job: Job) -> Response:
    """202 for work handed to a job: where to poll, and the job as it stands."""
    body = job_json(job, build_url=request.build_absolute_uri)
    return Response(body, status=202, headers={"Location": body["links"]["self"]})


class JobListView(APIView):
    permission_classes = [IsAuthenticated]  # each sees their own jobs (selectors)

    @extend_schema(
        summary="Background jobs, newest first (administrators: all; other staff: their own)",
        operation_id="jobs_list",
        tags=["jobs"],
        parameters=[
            OpenApiParameter("status", str, enum=Job.Status.values),
            OpenApiParameter("kind", str),
            OpenApiParameter("limit", int, description="at most 500 (default 100)"),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request):
        jobs = visible_jobs(user=request.user)
        status = query_choice(request.query_params, "status", Job.Status.values)
        if status:
            jobs = jobs.filter(status=status)
        kind = (request.query_params.get("kind") or "").strip()
        if kind:
            jobs = jobs.filter(kind=kind[:50])
        limit = query_int(request.query_params, "limit", minimum=1, maximum=500, default=100)
        build = request.build_absolute_uri
        return Response({"jobs": [job_json(job, build_url=build) for job in jobs[:limit]]})


def _job(request, job_id: int) -> Job:
    job = job_by_id(user=request.user, job_id=job_id)
    if job is None:
        raise NotFound(f"No job {job_id}.")
    return job


class JobDetailView(APIView):
    permission_classes = [IsAuthenticated]  # each sees their own jobs (selectors)

    @extend_schema(
        summary="One job: status, progress, message, result or error",
        operation_id="jobs_retrieve",
        tags=["jobs"],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request, job_id: int):
        return Response(job_json(_job(request, job_id), build_url=request.build_absolute_uri))


class JobResultView(APIView):
    permission_classes = [IsAuthenticated]  # each sees their own jobs (selectors)

    @extend_schema(
        summary="Download a finished job's result file",
        operation_id="jobs_result",
        tags=["jobs"],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            409: OpenApiTypes.OBJECT,
            **ERRORS,
        },
    )
    def get(self, request, job_id: int):
        job = _job(request, job_id)
        if job.status != Job.Status.DONE:
            detail = f"Job {job.pk} is {job.status}, not done; poll it until it is."
            return Response({"error": "not_ready", "detail": detail}, status=409)
        if not job.result_file:
            raise NotFound(f"Job {job.pk} has no result file; its result is in the job.")
        path = job_folder(job) / job.result_file
        if not path.is_file():
            raise NotFound(f"The result file of job {job.pk} is no longer kept.")
        return FileResponse(
            open(path, "rb"),
            as_attachment=True,
            filename=job.result_file,
            content_type=job.result_type or "application/octet-stream",
        )
