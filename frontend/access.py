"""Who may see which page: the roles of `reports.roles`, read for the frontend."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

CREW_PAGES = frozenset({"crew", "supervisor", "administrator"})
DASHBOARD_PAGES = frozenset({"planner", "supervisor", "administrator"})
MANAGERS = frozenset({"supervisor", "administrator"})


def role_of(user) -> str:
    from reports.roles import actor_for

    return str(actor_for(user).role)


def landing_url(role: str) -> str:
    if role == "crew":
        return "/crew/"
    if role in DASHBOARD_PAGES:
        return "/dashboard/"
    return "/"


def requires_role(roles: frozenset[str]):
    """Anonymous users go to the login page; logged-in users without the role get a 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), "/login/")
            if role_of(request.user) not in roles:
                raise PermissionDenied("This page is for municipal staff.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
