"""Password log-in limits for every way in (admin, the staff page, the API token): all
of them call django.contrib.auth.authenticate, so the limit sits in the backend.

Two windows, counted before the password is checked (atomic: parallel guesses cannot
slip past the count): failed attempts per account *and* client, and a looser one per
client whatever the account. Neither is per account alone, so an attacker elsewhere can
never lock a person out (ASVS 6.3.1). A success is given back and clears the account's
window for that client."""

import hashlib

from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _

from geoportal.limits.clients import client_identity
from geoportal.limits.limiter import take

TOO_MANY = _("Too many failed log-in attempts.")


def _account(username: str) -> str:
    # Hashed: the key must not carry a user name into the store.
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]


class LimitedModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None or password is None:
            # No client to count (a management command, the test client's login()).
            return super().authenticate(request, username, password, **kwargs)
        client = client_identity(request)
        by_client = take(
            setting="KOMIN_RATE_LOGIN_CLIENT", scope="login-client", ident=client, what=TOO_MANY
        )
        by_account = take(
            setting="KOMIN_RATE_LOGIN",
            scope="login",
            ident=f"{_account(username)}:{client}",
            what=TOO_MANY,
        )
        user = super().authenticate(request, username, password, **kwargs)
        if user is not None:
            if by_client:
                by_client.give_back()
            if by_account:  # the person is in: their earlier typos no longer count
                by_account.reset()
        return user
