"""Take one from a limit, or refuse with the seconds to wait: what every throttle,
log-in limit and e-mail limit calls."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import exceptions

from geoportal.limits import rates, store

TOO_MANY = _("Too many requests.")


class Limited(exceptions.Throttled):
    """A 429 whose message says, in the request's language, how long to wait; DRF and
    our middleware put the seconds in `Retry-After`."""

    default_code = "throttled"

    def __init__(self, wait: int, what: str = ""):
        minutes = max(1, -(-wait // 60))
        when = (
            ngettext("Try again in %(n)d second.", "Try again in %(n)d seconds.", wait)
            % {"n": wait}
            if wait < 120
            else ngettext("Try again in %(n)d minute.", "Try again in %(n)d minutes.", minutes)
            % {"n": minutes}
        )
        super().__init__(wait=wait, detail=f"{what or TOO_MANY} {when}")


@dataclass(frozen=True)
class Taken:
    """One hit counted in a window; `give_back` uncounts it."""

    key: str

    def give_back(self) -> None:
        store.give_back(self.key)

    def reset(self) -> None:
        store.reset(self.key)


def take(*, setting: str, scope: str, ident: str, what: str = "") -> Taken | None:
    """Counts one hit of `ident` against the rate named by `setting`; raises Limited
    once the window is full. None when that limit is switched off."""
    rate = rates.rate(setting)
    if rate is None:
        return None
    key = store.key_for(scope, ident)
    count, wait = store.hit(key, rate.seconds)
    if count > rate.count:
        raise Limited(wait, what)
    return Taken(key)
