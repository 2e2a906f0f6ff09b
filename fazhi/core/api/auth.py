"""Token authentication with expiry (kept apart from the views: DRF imports it at start-up)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from fazhi.core import scope
from fazhi.core.api.prepared import Prepared


def token_ttl() -> dt.timedelta:
    return dt.timedelta(hours=settings.FAZHI_TOKEN_TTL_HOURS)


def expires_at(token: Any) -> dt.datetime:
    return token.created + token_ttl()


def _token_columns() -> tuple[list[str], list[str]]:
    from rest_framework.authtoken.models import Token

    user_model = get_user_model()
    return (
        [f.attname for f in Token._meta.concrete_fields],
        [f.attname for f in user_model._meta.concrete_fields],
    )


#: what a membership row holds for the scope gate (scope.remember), read through the user
_MEMBERSHIP_COLUMNS = ("id", "role", "county", "township", "village", "department__kind")


def _token_user_memberships(key: str) -> Any:
    """The token, its user and the user's memberships: one row per membership (one row of
    NULL memberships without any), in one query — what DRF's `select_related("user")` and the
    scope gate's membership query read, in one round trip."""
    from rest_framework.authtoken.models import Token

    token_columns, user_columns = _token_columns()
    return Token.objects.filter(key=key).values_list(
        *token_columns,
        *(f"user__{name}" for name in user_columns),
        *(f"user__memberships__{name}" for name in _MEMBERSHIP_COLUMNS),
    )


_QUERY = Prepared(_token_user_memberships, ["\x00fazhi-token-key\x00"])


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …` that stops working `FAZHI_TOKEN_TTL_HOURS` after it was issued.

    The token, its user and the user's memberships (which the scope gate then does not read
    again) come from one query, compiled once (`Prepared`); the answers are DRF's: an unknown
    key, an inactive user (whose memberships are not kept) and an expired token (deleted)
    fail in the same words."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        from rest_framework.authtoken.models import Token

        if self.get_model() is not Token:  # a custom token model: DRF's own lookup
            user, token = super().authenticate_credentials(key)
        else:
            user, token = self._read(key)
        if expires_at(token) <= timezone.now():
            token.delete()
            raise exceptions.AuthenticationFailed("令牌已过期，请重新获取。")
        return user, token

    def _read(self, key: str) -> tuple[Any, Any]:
        from rest_framework.authtoken.models import Token

        using = router.db_for_read(Token)
        rows = _QUERY.rows(key, using=using)
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token_columns, user_columns = _token_columns()
        first = rows[0]
        nt, nu = len(token_columns), len(user_columns)
        token = Token.from_db(using, token_columns, first[:nt])
        user = get_user_model().from_db(using, user_columns, first[nt : nt + nu])
        # what select_related("user") leaves behind: both sides of the one-to-one cached
        Token.user.field.set_cached_value(token, user)
        Token.user.field.remote_field.set_cached_value(user, token)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        scope.remember(user, (row[nt + nu + 1 :] for row in rows if row[nt + nu] is not None))
        return user, token
