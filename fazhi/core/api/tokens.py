"""API tokens: obtained at `POST /api/auth/token/`, valid for `FAZHI_TOKEN_TTL_HOURS` hours,
revoked when the account's password is reset or the account is deactivated (core.accounts).
After too many failed attempts the endpoint answers 429 in Chinese, like the login page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from fazhi.core.api.auth import expires_at

LOCKED_MESSAGE = "登录失败次数过多，账号已被暂时锁定，请{minutes}分钟后再试。"


def _locked(request: Any, username: str) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    # the attempt gate (core.security.AttemptGateBackend) marks a request it refused
    return getattr(request, "axes_locked_out", False) or AxesProxyHandler.is_locked(
        request, {"username": username}
    )


class TokenView(ObtainAuthToken):
    @extend_schema(
        summary="获取接口令牌",
        responses={
            200: inline_serializer(
                "TokenResponse",
                {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()},
            ),
            400: OpenApiResponse(description="用户名或密码错误"),
            403: OpenApiResponse(description="须先在网页上修改初始密码或已过期的密码"),
            429: OpenApiResponse(description="失败次数过多，暂时锁定"),
        },
    )
    def post(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        username = str(request.data.get("username", ""))[:150]
        minutes = int(settings.AXES_COOLOFF_TIME * 60)
        if _locked(request._request, username):
            return Response(
                {"detail": LOCKED_MESSAGE.format(minutes=minutes)},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        serializer = self.get_serializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            if _locked(request._request, username):
                return Response(
                    {"detail": LOCKED_MESSAGE.format(minutes=minutes)},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        user = serializer.validated_data["user"]
        from fazhi.core import security

        if security.password_state(user):
            return Response(
                {"detail": "请先登录网页修改初始密码（或已过期的密码），再获取接口令牌。"},
                status=status.HTTP_403_FORBIDDEN,
            )
        security.record_login(request._request, user, user.get_username(), True)
        token, created = Token.objects.get_or_create(user=user)
        if not created and expires_at(token) <= timezone.now():
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key, "expires_at": expires_at(token)})
