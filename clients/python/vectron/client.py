"""VectronClient: every call of the public API over gRPC, with Python types."""

from __future__ import annotations

from .account_calls import AccountCalls
from .collection_calls import CollectionCalls
from .point_calls import PointCalls
from .search_calls import SearchCalls


class VectronClient(CollectionCalls, PointCalls, SearchCalls, AccountCalls):
    """A client of one Vectron node's gRPC port.

    ``VectronClient(address, api_key=None, token=None, tls=False, root_certificates=None,
    timeout=30.0, retry=RetryPolicy(), channel_options=())``

    - ``address``: ``"host:port"`` of the node's gRPC port (``--grpc-port``, by default
      the HTTP port + 1, e.g. ``"127.0.0.1:8081"``); cleartext HTTP/2 unless ``tls``.
    - ``api_key`` for data calls, ``token`` (a session JWT, or call :meth:`login`) for
      account calls; data calls use the token when there is no key.
    - ``root_certificates``: PEM of the CA to trust instead of the system's (implies TLS).
    - ``timeout``: seconds per call, retries included (None: no deadline); every method
      also takes ``timeout=``.
    - ``retry``: how idempotent calls are retried on ``unavailable``
      (``RetryPolicy(max_attempts=1)`` turns it off).

    Errors are :class:`VectronError` subclasses (``NotFoundError``,
    ``InvalidArgumentError``...). Use it as a context manager, or call :meth:`close`.
    Calls are thread-safe; a client holds one HTTP/2 connection.
    """
