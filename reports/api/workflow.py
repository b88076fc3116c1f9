"""The workflow as data, for the frontend: statuses, groups, labels, and who may do what."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from reports import conf
from reports.api.common import actor_of
from reports.workflow import LABELS, TRANSITIONS, Status, group


class WorkflowView(APIView):
    @extend_schema(
        summary="Statuses (group, labels in fr/ht/en) and the transitions of each role",
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        return Response(
            {
                "statuses": [
                    {"code": s, "group": group(s), "labels": LABELS[s]} for s in Status.values
                ],
                "transitions": {
                    role: sorted([source, target] for source, target in pairs)
                    for role, pairs in TRANSITIONS.items()
                },
                "reopen_days": conf.get("KOMIN_REOPEN_DAYS"),
                "your_role": actor_of(request).role,
            }
        )
