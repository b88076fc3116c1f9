"""GET /api/v1/events/: the Server-Sent Events stream of ticket changes for staff."""

from django.http import StreamingHttpResponse
from django.views.decorators.http import require_GET

from communes.access import actor_for
from geoportal.errors import refuse
from live import limits
from live.selectors import may_watch
from live.stream import Stream


def _last_id(request) -> int | None | str:
    """`Last-Event-ID` (sent by EventSource when it reconnects) or `?last_event_id=` (a
    client starting a new EventSource after a refusal); a bad value is an error."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id")
    if raw in (None, ""):
        return None
    if not raw.isdigit() or len(raw) > 18:
        return "bad"
    return int(raw)


@require_GET
def event_stream(request):
    if not request.user.is_authenticated:
        return refuse(request, 401, "not_authenticated", "Log in to receive live updates.")
    actor = actor_for(request.user)
    if not may_watch(actor):
        return refuse(request, 403, "permission_denied", "Live updates are for municipal staff.")
    last_id = _last_id(request)
    if last_id == "bad":
        return refuse(
            request, 400, "bad_last_event_id", "Last-Event-ID must be a non-negative integer."
        )
    try:
        limits.take(actor.user_id)
    except limits.Full as full:
        response = refuse(request, 429, "too_many_streams", full.detail)
        response["Retry-After"] = "30"
        return response
    response = StreamingHttpResponse(Stream(actor, last_id), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # a reverse proxy must pass each event at once
    return response
