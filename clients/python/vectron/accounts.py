"""Accounts, sessions and API keys as the client returns them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from .auth.v1 import auth_pb2
from .timestamps import from_timestamp


@dataclass
class User:
    id: str
    email: str
    #: ``"free"`` or ``"paid"``.
    plan: str
    created_at: Optional[datetime]


@dataclass
class Session:
    """A session JWT (from login or refresh_token) and when it expires."""

    token: str
    expires_at: Optional[datetime]
    #: The account; None after refresh_token, whose answer does not repeat it.
    user: Optional[User] = None


@dataclass
class ApiKey:
    """An API key without its secret: ``id`` is public, ``prefix`` recognises the key."""

    id: str
    name: str
    prefix: str
    read_only: bool
    created_at: Optional[datetime]


@dataclass
class CreatedApiKey:
    """A new API key: ``key`` is the full secret, shown this once and never again."""

    key: str
    api_key: ApiKey


def _when(message, field: str) -> Optional[datetime]:
    return from_timestamp(getattr(message, field)) if message.HasField(field) else None


def from_user_message(message: auth_pb2.User) -> User:
    return User(id=message.id, email=message.email, plan=message.plan, created_at=_when(message, "created_at"))


def from_api_key_message(message: auth_pb2.APIKey) -> ApiKey:
    return ApiKey(
        id=message.id,
        name=message.name,
        prefix=message.prefix,
        read_only=message.read_only,
        created_at=_when(message, "created_at"),
    )


def from_login(message: auth_pb2.LoginResponse) -> Session:
    user = from_user_message(message.user) if message.HasField("user") else None
    return Session(token=message.token, expires_at=_when(message, "expires_at"), user=user)


def from_refresh(message: auth_pb2.RefreshTokenResponse) -> Session:
    return Session(token=message.token, expires_at=_when(message, "expires_at"))
