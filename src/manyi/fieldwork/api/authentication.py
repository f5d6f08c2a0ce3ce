"""A survey firm's API key: ``Authorization: Token <key>`` (or ``Bearer``), kept only as a hash.

The request's user is the firm itself (`FirmPrincipal`), not a person: every answer it posts is
logged as "API · <firm>". Sessions are not accepted on the API, so a logged-in browser cannot be
made to post on the firm's behalf.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from manyi.fieldwork.models import FirmApiToken

# last_used_at is written at most this often (seconds): a batch of calls is one write.
TOUCH_EVERY = 60


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return secrets.token_urlsafe(32)


@dataclass
class FirmPrincipal:
    firm: object
    token: FirmApiToken
    is_authenticated: bool = True
    is_anonymous: bool = False
    pk: None = None

    @property
    def display_name(self) -> str:
        return f"API · {self.firm.name}"


class FirmTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("接口密钥格式不正确"))
        try:
            key = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("接口密钥格式不正确")) from exc
        token = (
            FirmApiToken.objects.select_related("firm")
            .filter(key_hash=hash_key(key), revoked_at__isnull=True, firm__is_active=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("接口密钥无效或已作废"))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > TOUCH_EVERY:
            FirmApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return FirmPrincipal(firm=token.firm, token=token), token

    def authenticate_header(self, request):
        return 'Token realm="api"'


class FirmTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes the key (Swagger UI's "Authorize" asks for it)."""

    target_class = "manyi.fieldwork.api.authentication.FirmTokenAuthentication"
    name = "firmToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <接口密钥> (the survey firm's key, created by its project manager)",
        }
