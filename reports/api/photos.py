"""Photos are served by the application (not as raw media) so that moderation holds and
the content type is fixed: always a re-encoded JPEG, always `nosniff`."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from communes.access import can
from geoportal.params import query_choice
from reports.api.common import actor_of
from reports.errors import NotFound
from reports.models import ReportPhoto


class PhotoView(APIView):
    @extend_schema(
        summary="A report photo (JPEG)",
        parameters=[OpenApiParameter("size", str, enum=["full", "thumb"])],
        responses={(200, "image/jpeg"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk: int):
        size = query_choice(request.query_params, "size", ("full", "thumb"), default="full")
        photo = ReportPhoto.objects.select_related("report").filter(pk=pk).first()
        actor = actor_of(request)
        if photo is None or not _may_see(actor, photo):
            raise NotFound(f"No photo {pk}.")
        file = photo.thumbnail if size == "thumb" else photo.image
        try:
            handle = file.open("rb")
        except FileNotFoundError:
            raise NotFound(f"Photo {pk} is missing from storage.") from None
        response = FileResponse(handle, content_type="image/jpeg")
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Disposition"] = f'inline; filename="photo-{pk}.jpg"'
        response["Cache-Control"] = (
            "private, max-age=300" if photo.report.hidden else "public, max-age=3600"
        )
        return response


def _may_see(actor, photo: ReportPhoto) -> bool:
    """Hidden reports: their jurisdiction's staff; hidden (moderated) photos: only those who
    may see the reporter's contact (the team's crews, supervisors, administrators)."""
    if photo.hidden:
        return can(actor, "report.view_contact", photo.report)
    return not photo.report.hidden or can(actor, "report.view_private", photo.report)
