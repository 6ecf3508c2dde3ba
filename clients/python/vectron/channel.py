"""The gRPC channel to a node's gRPC port (``--grpc-port``, by default the HTTP port + 1)."""

from __future__ import annotations

from typing import Any, Optional, Sequence, Tuple, Union

import grpc

from .version import __version__

ChannelOptions = Sequence[Tuple[str, Any]]

# Answers may be large (Get of many vectors, big SearchBatches); the server bounds them.
# A node that went away is tried again after 100 ms (then longer, up to 5 s), not gRPC's
# default of 1 s: until then calls fail at once, so the retries with backoff on
# UNAVAILABLE (retry.py) would find it back only after a second.
_DEFAULT_OPTIONS: ChannelOptions = (
    ("grpc.max_receive_message_length", -1),
    ("grpc.max_send_message_length", -1),
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 5000),
    ("grpc.primary_user_agent", f"vectron-python/{__version__}"),
)


def open_channel(
    address: str,
    tls: bool = False,
    root_certificates: Optional[Union[bytes, str]] = None,
    options: ChannelOptions = (),
) -> grpc.Channel:
    """A channel to ``address`` (``host:port``): cleartext HTTP/2, or TLS when ``tls``.

    ``root_certificates`` (PEM, bytes or str) replaces the system's trusted roots, e.g.
    for a self-signed server certificate; giving it implies ``tls``. ``options`` are
    extra gRPC channel arguments and override the defaults of the same name.
    """
    if not isinstance(address, str) or not address:
        raise ValueError(f"address must be 'host:port' of the node's gRPC port, got {address!r}")
    if address.startswith(("http://", "https://")):
        raise ValueError(
            f"address must be 'host:port' of the node's gRPC port (e.g. '127.0.0.1:8081'), not a URL: {address!r}; "
            "pass tls=True for TLS"
        )
    given = dict(options)
    merged = [(name, value) for name, value in _DEFAULT_OPTIONS if name not in given] + list(given.items())
    if root_certificates is not None or tls:
        pem = root_certificates.encode() if isinstance(root_certificates, str) else root_certificates
        return grpc.secure_channel(address, grpc.ssl_channel_credentials(root_certificates=pem), options=merged)
    return grpc.insecure_channel(address, options=merged)
