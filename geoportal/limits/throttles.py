"""DRF throttles on the one store: each says which setting limits it and whom it counts.
A request refused by a limit still counts in it, so hammering a full window keeps it full.
An idempotent retry answered from its stored response (geoportal.idempotency) writes
nothing and counts in no limit but the ones that bound every request of a client."""

from rest_framework.throttling import BaseThrottle

from geoportal.idempotency import is_replay
from geoportal.limits.clients import client_identity
from geoportal.limits.limiter import Taken, take


class LimitThrottle(BaseThrottle):
    scope = ""
    setting = ""
    # Given back when the request is refused (any 4xx, a 429 of another limit included):
    # a citizen's mistyped form must not use up their quota.
    refund_refused = False
    # Bounds every request, replays of a stored answer included (flood guards); the
    # write budgets leave replays out.
    counts_replays = False

    def identity(self, request, view) -> str | None:
        """Whom this request counts for; None: not limited here."""
        return client_identity(request)

    def allow_request(self, request, view) -> bool:
        if not self.counts_replays and is_replay(request, view):
            self.taken = None
            return True
        ident = self.identity(request, view)
        self.taken: Taken | None = (
            None if ident is None else take(setting=self.setting, scope=self.scope, ident=ident)
        )
        return True


def _anonymous(request) -> bool:
    return not (request.user and request.user.is_authenticated)


class AnonymousThrottle(LimitThrottle):
    def identity(self, request, view):
        return client_identity(request) if _anonymous(request) else None


class AccountThrottle(LimitThrottle):
    def identity(self, request, view):
        return None if _anonymous(request) else f"user-{request.user.pk}"


class AnonReportThrottle(AnonymousThrottle):
    scope = "anon-reports"
    setting = "KOMIN_RATE_ANON_REPORTS"
    refund_refused = True


class UserReportThrottle(AccountThrottle):
    scope = "user-reports"
    setting = "KOMIN_RATE_USER_REPORTS"
    refund_refused = True


class ReportAttemptThrottle(LimitThrottle):
    scope = "report-attempts"
    setting = "KOMIN_RATE_REPORT_ATTEMPTS"
    counts_replays = True


class AnonActionThrottle(AnonymousThrottle):
    scope = "anon-actions"
    setting = "KOMIN_RATE_ANON_ACTIONS"


class AnonReadThrottle(AnonymousThrottle):
    scope = "anon-reads"
    setting = "KOMIN_RATE_ANON_READS"


class RefundRefusedMixin:
    """For an APIView: gives back the hits of its `refund_refused` throttles when the
    answer is a refusal (4xx), so that only accepted requests use up a quota."""

    def check_throttles(self, request):
        self._throttles = list(self.get_throttles())
        for throttle in self._throttles:
            throttle.allow_request(request, self)

    def finalize_response(self, request, response, *args, **kwargs):
        if 400 <= response.status_code < 500:
            for throttle in getattr(self, "_throttles", ()):
                taken = getattr(throttle, "taken", None)
                if throttle.refund_refused and taken:
                    taken.give_back()
        return super().finalize_response(request, response, *args, **kwargs)
