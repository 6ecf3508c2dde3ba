"""Points as the client takes and returns them, and their proto messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Union

from .errors import InvalidArgumentError
from .payload import from_struct, to_struct
from .v1 import vectron_pb2


@dataclass
class Point:
    """A point: an id chosen by the user, a dense vector and a JSON payload."""

    id: str
    vector: List[float] = field(default_factory=list)
    payload: Dict[str, Any] = field(default_factory=dict)


@dataclass
class ScoredPoint:
    """A search hit. ``score``: cosine similarity or dot product (higher is better), or
    Euclidean distance (lower is better), as the collection's distance says."""

    id: str
    score: float
    payload: Dict[str, Any] = field(default_factory=dict)
    vector: List[float] = field(default_factory=list)


class SearchResults(List[ScoredPoint]):
    """Hits best first; ``missing_shards`` lists shards left out (only with ``allow_partial``)."""

    def __init__(self, hits: Iterable[ScoredPoint] = (), missing_shards: Iterable[int] = ()):
        super().__init__(hits)
        self.missing_shards: List[int] = list(missing_shards)


class BatchSearchResults(List[SearchResults]):
    """One :class:`SearchResults` per query, in the order of the queries."""

    def __init__(self, batches: Iterable[SearchResults] = (), missing_shards: Iterable[int] = ()):
        super().__init__(batches)
        self.missing_shards: List[int] = list(missing_shards)


PointLike = Union[Point, Mapping[str, Any], tuple]


def write_vector(vector: Iterable[float], into: Any, field: str) -> None:
    """Appends ``vector`` (any iterable of numbers: list, tuple, numpy array) to a repeated float."""
    if isinstance(vector, (str, bytes)) or vector is None:
        raise InvalidArgumentError(f"{field}: must be a sequence of floats, got {type(vector).__name__}")
    try:
        into.extend(vector)
    except (TypeError, ValueError) as problem:
        raise InvalidArgumentError(f"{field}: must be a sequence of floats ({problem})") from problem


def to_point_message(point: PointLike, field: str) -> vectron_pb2.Point:
    """A :class:`Point`, a dict ``{"id", "vector", "payload"?}`` or a tuple ``(id, vector[, payload])``."""
    if isinstance(point, Point):
        id, vector, payload = point.id, point.vector, point.payload
    elif isinstance(point, Mapping):
        if "id" not in point or "vector" not in point:
            raise InvalidArgumentError(f"{field}: a point needs 'id' and 'vector', got keys {sorted(point)}")
        id, vector, payload = point["id"], point["vector"], point.get("payload")
    elif isinstance(point, tuple) and len(point) in (2, 3):
        id, vector, payload = point[0], point[1], point[2] if len(point) == 3 else None
    else:
        raise InvalidArgumentError(f"{field}: expected a Point, a dict or an (id, vector[, payload]) tuple, got {type(point).__name__}")
    if not isinstance(id, str):
        raise InvalidArgumentError(f"{field}.id: must be a string, got {type(id).__name__}")
    message = vectron_pb2.Point(id=id)
    write_vector(vector, message.vector, f"{field}.vector")
    if payload is not None:
        to_struct(payload, f"{field}.payload", into=message.payload)
    return message


def from_point_message(message: vectron_pb2.Point) -> Point:
    """The :class:`Point` of a proto Point."""
    return Point(id=message.id, vector=list(message.vector), payload=from_struct(message.payload))


def from_scored_messages(messages: Iterable[vectron_pb2.ScoredPoint], missing_shards: Iterable[int] = ()) -> SearchResults:
    """Search hits as :class:`SearchResults`."""
    hits = (
        ScoredPoint(id=m.id, score=m.score, payload=from_struct(m.payload), vector=list(m.vector))
        for m in messages
    )
    return SearchResults(hits, missing_shards)

