"""Limits for plain Django views, with the same throttles as the DRF views."""

from functools import wraps


def limited(*throttles):
    """Decorator: count the request against each throttle class before the view runs;
    a full window raises Limited, answered by LimitedMiddleware."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            for throttle in throttles:
                throttle().allow_request(request, None)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
