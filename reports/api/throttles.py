"""Rate limits, read from settings (reports.conf) and counted in the default cache."""

from rest_framework.throttling import SimpleRateThrottle

from reports import conf


class _SettingThrottle(SimpleRateThrottle):
    setting = ""
    anonymous_only = False

    def get_rate(self):
        return conf.get(self.setting)

    def get_cache_key(self, request, view):
        user = request.user
        if user and user.is_authenticated:
            if self.anonymous_only:
                return None
            ident = f"user-{user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonReportThrottle(_SettingThrottle):
    scope = "anon_reports"
    setting = "KOMIN_RATE_ANON_REPORTS"
    anonymous_only = True


class UserReportThrottle(_SettingThrottle):
    scope = "user_reports"
    setting = "KOMIN_RATE_USER_REPORTS"

    def get_cache_key(self, request, view):
        return super().get_cache_key(request, view) if request.user.is_authenticated else None


class AnonActionThrottle(_SettingThrottle):
    scope = "anon_actions"
    setting = "KOMIN_RATE_ANON_ACTIONS"
    anonymous_only = True


class LoginThrottle(_SettingThrottle):
    scope = "login"
    setting = "KOMIN_RATE_LOGIN"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
