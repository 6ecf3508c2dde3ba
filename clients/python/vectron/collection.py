"""A collection's description as the client returns it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Dict, List, Optional

from .enum_names import distance_name, index_kind_name, replica_role_name, replica_state_name
from .timestamps import from_timestamp
from .v1 import vectron_pb2


@dataclass
class Replica:
    """One copy of a shard: ``role`` ``"primary"`` or ``"follower"``, ``state``
    ``"active"``, ``"syncing"`` or ``"offline"``."""

    worker_id: str
    address: str
    role: str
    state: str


@dataclass
class Shard:
    id: int
    epoch: int
    replicas: List[Replica] = field(default_factory=list)


@dataclass
class Collection:
    """``distance`` is ``"cosine"``, ``"euclidean"`` or ``"dot"``; ``payload_indexes`` maps
    each indexed key to its kind (``"keyword"``, ``"integer"``, ``"float"``, ``"bool"``)."""

    name: str
    dimension: int
    distance: str
    point_count: int
    shard_count: int
    replication_factor: int
    created_at: Optional[datetime]
    payload_indexes: Dict[str, str] = field(default_factory=dict)
    shards: List[Shard] = field(default_factory=list)


def from_collection_message(message: vectron_pb2.Collection) -> Collection:
    """The :class:`Collection` of a proto Collection."""
    return Collection(
        name=message.name,
        dimension=message.dimension,
        distance=distance_name(message.distance),
        point_count=message.point_count,
        shard_count=message.shard_count,
        replication_factor=message.replication_factor,
        created_at=from_timestamp(message.created_at) if message.HasField("created_at") else None,
        payload_indexes={index.key: index_kind_name(index.kind) for index in message.payload_indexes},
        shards=[
            Shard(
                id=shard.id,
                epoch=shard.epoch,
                replicas=[
                    Replica(r.worker_id, r.address, replica_role_name(r.role), replica_state_name(r.state))
                    for r in shard.replicas
                ],
            )
            for shard in message.shards
        ],
    )
