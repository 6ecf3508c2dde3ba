"""What every call needs: the channel, the stubs, the credentials, the timeout and the retries."""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Tuple, Union

from .auth.v1 import auth_pb2_grpc
from .channel import ChannelOptions, open_channel
from .retry import RetryPolicy, call_unary, reconnecting_pause
from .v1 import vectron_pb2_grpc

#: The default timeout of a call, in seconds (each call may pass its own).
DEFAULT_TIMEOUT = 30.0


class Connection:
    """A channel to one node and the credentials to send; the base of :class:`VectronClient`."""

    def __init__(
        self,
        address: str,
        api_key: Optional[str] = None,
        token: Optional[str] = None,
        tls: bool = False,
        root_certificates: Optional[Union[bytes, str]] = None,
        timeout: Optional[float] = DEFAULT_TIMEOUT,
        retry: Optional[RetryPolicy] = None,
        channel_options: ChannelOptions = (),
    ):
        if timeout is not None and timeout <= 0:
            raise ValueError(f"timeout must be a positive number of seconds or None (no deadline), got {timeout!r}")
        self.address = address
        #: Sent as ``authorization: Bearer <api_key>`` on data calls.
        self.api_key = api_key
        #: A session JWT: sent on account calls, and on data calls when there is no api_key.
        #: login() and refresh_token() set it.
        self.token = token
        #: Seconds a call may take, retries included; None waits forever.
        self.timeout = timeout
        self.retry = retry if retry is not None else RetryPolicy()
        self._channel = open_channel(address, tls, root_certificates, channel_options)
        self._owns_channel = True
        self._pause = reconnecting_pause(self._channel)
        self._vectron = vectron_pb2_grpc.VectronServiceStub(self._channel)
        self._auth = auth_pb2_grpc.AuthServiceStub(self._channel)

    def with_credentials(self, api_key: Optional[str] = None, token: Optional[str] = None):
        """A client sharing this one's connection but sending other credentials.

        Closing it does not close the connection; closing this client does.
        """
        other = object.__new__(type(self))
        other.__dict__.update(self.__dict__)
        other.api_key, other.token, other._owns_channel = api_key, token, False
        return other

    def close(self) -> None:
        """Closes the connection (calls in flight are cancelled)."""
        if self._owns_channel:
            self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        who = "api key" if self.api_key else "session" if self.token else "no credentials"
        return f"{type(self).__name__}({self.address!r}, {who})"

    def _metadata(self, credential: Optional[str]) -> List[Tuple[str, str]]:
        return [("authorization", f"Bearer {credential}")] if credential else []

    def _call(
        self,
        method: Callable[..., Any],
        request: Any,
        *,
        timeout: Optional[float],
        idempotent: bool,
        credential: str = "data",
    ) -> Any:
        """One RPC. ``credential``: ``"data"`` (the API key, else the session), ``"session"``
        (the session, else the API key) or ``"none"``."""
        if credential == "data":
            bearer = self.api_key or self.token
        elif credential == "session":
            bearer = self.token or self.api_key
        else:
            bearer = None
        return call_unary(
            method,
            request,
            metadata=self._metadata(bearer),
            timeout=self.timeout if timeout is None else timeout,
            idempotent=idempotent,
            policy=self.retry,
            pause=self._pause,
        )
