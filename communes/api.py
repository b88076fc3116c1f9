"""The permission mechanism at the door of DRF views."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from communes.access import can


class _National:
    """Stands for national data (rasters, the service itself): jurisdiction empty."""

    jurisdiction_id = None


NATIONAL = _National()


class ActionPermission(BasePermission):
    """A view names the action it needs to read (`read_action`) and to write
    (`write_action`); None leaves that side open. A view with `permission_object(request)`
    is checked on that object (its jurisdiction), else anywhere."""

    message = "You do not have permission to do this here."

    def has_permission(self, request, view) -> bool:
        safe = request.method in SAFE_METHODS
        action = getattr(view, "read_action" if safe else "write_action", None)
        if action is None:
            return True
        finder = getattr(view, "permission_object", None)
        obj = finder(request) if finder else None
        if can(request.user, action, obj):
            return True
        where = getattr(obj, "jurisdiction", None) if obj is not None else None
        self.message = f"Your role does not allow {action}" + (f" in {where}." if where else ".")
        return False
