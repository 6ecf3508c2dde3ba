"""Python client of Vectron, the vector database, over gRPC.

    from vectron import VectronClient

    with VectronClient("127.0.0.1:8081", api_key="vk_...") as client:
        client.create_collection("docs", dimension=3, distance="cosine")
        client.upsert("docs", [{"id": "a", "vector": [1, 0, 0], "payload": {"tag": "x"}}])
        hits = client.search("docs", [0.9, 0.1, 0], top_k=5,
                             filter={"must": [{"key": "tag", "match": {"value": "x"}}]})

The generated protobuf modules are ``vectron.v1.vectron_pb2`` and
``vectron.auth.v1.auth_pb2`` (with their ``*_pb2_grpc`` stubs).
"""

from .accounts import ApiKey, CreatedApiKey, Session, User
from .client import VectronClient
from .collection import Collection, Replica, Shard
from .errors import (
    AlreadyExistsError,
    DeadlineExceededError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    ResourceExhaustedError,
    UnauthenticatedError,
    UnavailableError,
    VectronError,
)
from .points import BatchSearchResults, Point, ScoredPoint, SearchResults
from .retry import RetryPolicy
from .version import __version__

__all__ = [
    "VectronClient",
    "RetryPolicy",
    "Point",
    "ScoredPoint",
    "SearchResults",
    "BatchSearchResults",
    "Collection",
    "Shard",
    "Replica",
    "User",
    "Session",
    "ApiKey",
    "CreatedApiKey",
    "VectronError",
    "NotFoundError",
    "AlreadyExistsError",
    "InvalidArgumentError",
    "UnauthenticatedError",
    "PermissionDeniedError",
    "ResourceExhaustedError",
    "UnavailableError",
    "DeadlineExceededError",
    "__version__",
]
