"""Who may see which page: asked of `communes.access` (one mechanism for every door)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from communes.access import actor_for, can


def role_of(user) -> str:
    return str(actor_for(user).role)


def landing_url(user) -> str:
    if can(user, "page.crew") and not can(user, "page.dashboard"):
        return "/crew/"
    if can(user, "page.dashboard"):
        return "/dashboard/"
    return "/"


def requires(action: str):
    """Anonymous users go to the login page; logged-in users without the action get a 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), "/login/")
            if not can(request.user, action):
                raise PermissionDenied("This page is for municipal staff.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
