"""Errors raised by the client: one class per gRPC status the server answers with.

Every error is a :class:`VectronError` carrying a stable string ``code`` (the Connect
name of the status, e.g. ``"not_found"``), the gRPC ``status`` and the server's
``message``. gRPC errors become these in exactly one place, :func:`error_from_rpc`.
"""

from __future__ import annotations

from typing import Dict, Optional, Type

import grpc


class VectronError(Exception):
    """A call failed. ``code`` is stable (``"not_found"``, ``"invalid_argument"``...)."""

    #: Connect code name of the status, for callers that switch on strings.
    code: str = "unknown"

    def __init__(self, message: str, status: grpc.StatusCode = grpc.StatusCode.UNKNOWN, attempts: int = 1):
        super().__init__(message)
        #: The server's message (for ``invalid_argument``, it names the field).
        self.message = message
        #: The gRPC status code of the answer.
        self.status = status
        #: How many times the call was tried (more than 1 after retries on ``unavailable``).
        self.attempts = attempts
        if type(self) is VectronError:
            # Connect spells CANCELLED "canceled"; every other name is the status in lower case.
            self.code = "canceled" if status == grpc.StatusCode.CANCELLED else status.name.lower()

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class NotFoundError(VectronError):
    """Unknown collection or API key (another user's collection is not found too)."""

    code = "not_found"


class AlreadyExistsError(VectronError):
    """A collection name that the caller already uses."""

    code = "already_exists"


class InvalidArgumentError(VectronError, ValueError):
    """Bad input; the message names the field, e.g. ``points[3].vector: ...``.

    Also raised before any call for input the client cannot even encode; it is a
    ``ValueError`` too.
    """

    code = "invalid_argument"

    def __init__(self, message: str, status: grpc.StatusCode = grpc.StatusCode.INVALID_ARGUMENT, attempts: int = 1):
        super().__init__(message, status, attempts)


class UnauthenticatedError(VectronError):
    """No, bad or revoked credential."""

    code = "unauthenticated"


class PermissionDeniedError(VectronError):
    """The credential may not do this (e.g. a write with a read-only key)."""

    code = "permission_denied"


class ResourceExhaustedError(VectronError):
    """A size limit, quota or rate was exceeded."""

    code = "resource_exhausted"


class UnavailableError(VectronError):
    """The node could not be reached, a shard has no live replica, or a write missed its quorum.

    Idempotent calls have already been retried with backoff when this is raised.
    """

    code = "unavailable"


class DeadlineExceededError(VectronError):
    """The call's timeout passed before an answer came."""

    code = "deadline_exceeded"


_BY_STATUS: Dict[grpc.StatusCode, Type[VectronError]] = {
    grpc.StatusCode.NOT_FOUND: NotFoundError,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExistsError,
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgumentError,
    grpc.StatusCode.UNAUTHENTICATED: UnauthenticatedError,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDeniedError,
    grpc.StatusCode.RESOURCE_EXHAUSTED: ResourceExhaustedError,
    grpc.StatusCode.UNAVAILABLE: UnavailableError,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceededError,
}


def error_from_rpc(error: grpc.RpcError, attempts: int = 1) -> VectronError:
    """The :class:`VectronError` for a failed gRPC call (its class chosen by the status)."""
    status: Optional[grpc.StatusCode] = error.code() if hasattr(error, "code") else None
    message = (error.details() if hasattr(error, "details") else None) or str(error)
    if status is None:
        return VectronError(message, grpc.StatusCode.UNKNOWN, attempts)
    return _BY_STATUS.get(status, VectronError)(message, status, attempts)
