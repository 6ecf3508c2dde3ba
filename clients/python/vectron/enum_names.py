"""Proto enums by short lower-case names: ``"cosine"`` for ``DISTANCE_COSINE`` and so on.

Every function here also accepts the full proto name (``"DISTANCE_COSINE"``) or the
enum's number, and raises :class:`InvalidArgumentError` listing the valid names.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from .errors import InvalidArgumentError
from .v1 import vectron_pb2

EnumLike = Union[str, int]


def _to_number(enum: Any, prefix: str, value: EnumLike, field: str) -> int:
    names = [name[len(prefix):].lower() for name in enum.keys() if not name.endswith("_UNSPECIFIED")]
    if isinstance(value, int) and not isinstance(value, bool) and value != 0 and value in enum.values():
        return value
    if isinstance(value, str):
        upper = value.upper()
        full = upper if upper.startswith(prefix) else prefix + upper
        if full in enum.keys() and not full.endswith("_UNSPECIFIED"):
            return enum.Value(full)
    raise InvalidArgumentError(f"{field}: must be one of {', '.join(repr(n) for n in names)}, got {value!r}")


def _to_name(enum: Any, prefix: str, number: int) -> str:
    return enum.Name(number)[len(prefix):].lower() if number in enum.values() else str(number)


def distance_number(value: EnumLike) -> int:
    """``"cosine"``, ``"euclidean"`` or ``"dot"`` as a ``Distance``."""
    return _to_number(vectron_pb2.Distance, "DISTANCE_", value, "distance")


def distance_name(number: int) -> str:
    return _to_name(vectron_pb2.Distance, "DISTANCE_", number)


def index_kind_number(value: EnumLike, field: str = "kind") -> int:
    """``"keyword"``, ``"integer"``, ``"float"`` or ``"bool"`` as a ``PayloadIndexKind``."""
    return _to_number(vectron_pb2.PayloadIndexKind, "PAYLOAD_INDEX_KIND_", value, field)


def index_kind_name(number: int) -> str:
    return _to_name(vectron_pb2.PayloadIndexKind, "PAYLOAD_INDEX_KIND_", number)


def consistency_number(value: Optional[EnumLike]) -> int:
    """``"strong"`` or ``"eventual"`` as a ``ReadConsistency``; None is the server's default (strong)."""
    if value is None:
        return vectron_pb2.READ_CONSISTENCY_UNSPECIFIED
    return _to_number(vectron_pb2.ReadConsistency, "READ_CONSISTENCY_", value, "consistency")


def replica_role_name(number: int) -> str:
    return _to_name(vectron_pb2.ReplicaRole, "REPLICA_ROLE_", number)


def replica_state_name(number: int) -> str:
    return _to_name(vectron_pb2.ReplicaState, "REPLICA_STATE_", number)
