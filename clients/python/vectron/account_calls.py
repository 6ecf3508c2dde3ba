"""Accounts: registering, logging in, refreshing the session, API keys."""

from __future__ import annotations

from typing import List, Optional

from .accounts import (
    ApiKey,
    CreatedApiKey,
    Session,
    User,
    from_api_key_message,
    from_login,
    from_refresh,
    from_user_message,
)
from .auth.v1 import auth_pb2 as pb
from .connection import Connection


class AccountCalls(Connection):
    def register_user(self, email: str, password: str, *, timeout: Optional[float] = None) -> User:
        """Creates an account (password: 8 to 72 bytes).

        A taken email is answered like a new one and changes nothing, so the answer never
        tells whether an email has an account. :class:`ResourceExhaustedError` after too
        many registrations from one client address. Not retried.
        """
        request = pb.RegisterUserRequest(email=email, password=password)
        answer = self._call(self._auth.RegisterUser, request, timeout=timeout, idempotent=False, credential="none")
        return from_user_message(answer.user)

    def login(self, email: str, password: str, *, timeout: Optional[float] = None) -> Session:
        """Exchanges email and password for a session JWT, which this client then sends
        (``self.token``) on account calls, and on data calls when it has no API key.

        A wrong password and an unknown email are the same :class:`UnauthenticatedError`;
        after repeated failures, :class:`ResourceExhaustedError` says when to retry.
        """
        request = pb.LoginRequest(email=email, password=password)
        session = from_login(self._call(self._auth.Login, request, timeout=timeout, idempotent=True, credential="none"))
        self.token = session.token
        return session

    def refresh_token(self, *, timeout: Optional[float] = None) -> Session:
        """A fresh session JWT while the current one is still valid; this client sends it from now on."""
        answer = self._call(self._auth.RefreshToken, pb.RefreshTokenRequest(), timeout=timeout, idempotent=True, credential="session")
        session = from_refresh(answer)
        self.token = session.token
        return session

    def get_user_profile(self, *, timeout: Optional[float] = None) -> User:
        """The account of the session."""
        answer = self._call(self._auth.GetUserProfile, pb.GetUserProfileRequest(), timeout=timeout, idempotent=True, credential="session")
        return from_user_message(answer.user)

    def create_api_key(self, name: str, *, read_only: bool = False, timeout: Optional[float] = None) -> CreatedApiKey:
        """Creates an API key (needs a session). ``key`` in the answer is the secret, shown
        only this once. A ``read_only`` key may read and search, never write or delete."""
        request = pb.CreateAPIKeyRequest(name=name, read_only=read_only)
        answer = self._call(self._auth.CreateAPIKey, request, timeout=timeout, idempotent=False, credential="session")
        return CreatedApiKey(key=answer.key, api_key=from_api_key_message(answer.api_key))

    def list_api_keys(self, *, timeout: Optional[float] = None) -> List[ApiKey]:
        """The session's API keys, without their secrets."""
        answer = self._call(self._auth.ListAPIKeys, pb.ListAPIKeysRequest(), timeout=timeout, idempotent=True, credential="session")
        return [from_api_key_message(k) for k in answer.api_keys]

    def delete_api_key(self, id: str, *, timeout: Optional[float] = None) -> None:
        """Revokes the API key with this id (``ApiKey.id``, not the secret). Not retried: a
        second try would be ``not_found``."""
        request = pb.DeleteAPIKeyRequest(id=id)
        self._call(self._auth.DeleteAPIKey, request, timeout=timeout, idempotent=False, credential="session")
