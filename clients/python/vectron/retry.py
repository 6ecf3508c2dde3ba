"""Calling one unary RPC: a deadline over all attempts, retries with backoff on UNAVAILABLE.

Only idempotent calls are retried (reads, upserts, deletes by id or filter, payload
updates, login): repeating them after an attempt that may have reached the server
changes nothing. Creating a collection or an API key, or registering a user, is tried
once — a retry could create a second key or answer ``already_exists`` for the first.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence, Tuple

import grpc

from .errors import DeadlineExceededError, UnavailableError, error_from_rpc


@dataclass(frozen=True)
class RetryPolicy:
    """How idempotent calls are retried when the answer is UNAVAILABLE.

    Attempt n (from 1) waits a random time between half and all of
    ``min(max_backoff, initial_backoff * multiplier ** (n - 1))`` seconds before the next
    one; ``max_attempts=1`` turns retries off. A call's timeout covers all its attempts.
    """

    max_attempts: int = 5
    initial_backoff: float = 0.1
    max_backoff: float = 2.0
    multiplier: float = 2.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"RetryPolicy.max_attempts must be at least 1 (1 = no retries), got {self.max_attempts}")
        if self.initial_backoff < 0 or self.max_backoff < self.initial_backoff or self.multiplier < 1:
            raise ValueError("RetryPolicy needs 0 <= initial_backoff <= max_backoff and multiplier >= 1")

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt ``attempt`` (1-based); jittered so clients spread out."""
        ceiling = min(self.max_backoff, self.initial_backoff * self.multiplier ** (attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)


Metadata = Sequence[Tuple[str, str]]
Pause = Callable[[float], None]


def reconnecting_pause(channel: grpc.Channel) -> Pause:
    """A backoff wait during which ``channel`` reconnects if its connection failed.

    A grpcio 1.51 channel whose connection failed stays in TRANSIENT_FAILURE, failing
    every call at once, while nothing watches its state: calls every 0.2 s for 6 s never
    reached a node that was back after 0.3 s. Subscribing to its state for the wait lets
    it reconnect in the background. (Not with ``try_to_connect=True``, nor through
    ``channel_ready_future``: grpcio's polling thread may then call the channel once more
    after close() and print a "Channel closed!" traceback.)
    """

    def pause(seconds: float) -> None:
        def watch(state: grpc.ChannelConnectivity) -> None:
            pass

        channel.subscribe(watch, try_to_connect=False)
        try:
            time.sleep(seconds)
        finally:
            channel.unsubscribe(watch)

    return pause


def call_unary(
    method: Callable[..., Any],
    request: Any,
    *,
    metadata: Metadata,
    timeout: Optional[float],
    idempotent: bool,
    policy: RetryPolicy,
    pause: Pause = time.sleep,
) -> Any:
    """Calls ``method`` (a stub's unary method) and returns its answer, or raises a VectronError.

    ``timeout`` (seconds, None = none) bounds the whole call, backoff waits included;
    ``pause`` waits between attempts.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    attempt = 1
    while True:
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise DeadlineExceededError(f"no answer within the timeout of {timeout} s", grpc.StatusCode.DEADLINE_EXCEEDED, attempt - 1)
        try:
            return method(request, metadata=metadata, timeout=remaining)
        except grpc.RpcError as failure:
            error = error_from_rpc(failure, attempt)
            if not (idempotent and isinstance(error, UnavailableError) and attempt < policy.max_attempts):
                raise error from failure
            delay = policy.backoff(attempt)
            if deadline is not None and time.monotonic() + delay >= deadline:
                raise error from failure
            pause(delay)
            attempt += 1
