"""Collections and payload indexes."""

from __future__ import annotations

from typing import List, Mapping, Optional

from .collection import Collection, from_collection_message
from .connection import Connection
from .enum_names import EnumLike, distance_number, index_kind_number
from .v1 import vectron_pb2 as pb


class CollectionCalls(Connection):
    def create_collection(
        self,
        name: str,
        dimension: int,
        distance: EnumLike = "cosine",
        *,
        shard_count: int = 1,
        replication_factor: int = 1,
        payload_indexes: Optional[Mapping[str, EnumLike]] = None,
        timeout: Optional[float] = None,
    ) -> Collection:
        """Creates a collection owned by the caller.

        ``distance``: ``"cosine"``, ``"euclidean"`` or ``"dot"``. ``payload_indexes`` maps
        payload keys (dotted paths) to ``"keyword"``, ``"integer"``, ``"float"`` or
        ``"bool"``. Raises :class:`AlreadyExistsError` if the caller has one of that name.
        """
        indexes = [
            pb.PayloadIndex(key=key, kind=index_kind_number(kind, f"payload_indexes[{key!r}]"))
            for key, kind in (payload_indexes or {}).items()
        ]
        request = pb.CreateCollectionRequest(
            name=name,
            dimension=dimension,
            distance=distance_number(distance),
            shard_count=shard_count,
            replication_factor=replication_factor,
            payload_indexes=indexes,
        )
        answer = self._call(self._vectron.CreateCollection, request, timeout=timeout, idempotent=False)
        return from_collection_message(answer.collection)

    def get_collection(self, name: str, *, timeout: Optional[float] = None) -> Collection:
        """Describes a collection with its point count, shards and replicas."""
        answer = self._call(self._vectron.GetCollection, pb.GetCollectionRequest(name=name), timeout=timeout, idempotent=True)
        return from_collection_message(answer.collection)

    def list_collections(self, *, timeout: Optional[float] = None) -> List[Collection]:
        """The caller's collections, by name."""
        answer = self._call(self._vectron.ListCollections, pb.ListCollectionsRequest(), timeout=timeout, idempotent=True)
        return [from_collection_message(c) for c in answer.collections]

    def delete_collection(self, name: str, *, timeout: Optional[float] = None) -> None:
        """Deletes a collection and all its points. Not retried: a second try would be ``not_found``."""
        self._call(self._vectron.DeleteCollection, pb.DeleteCollectionRequest(name=name), timeout=timeout, idempotent=False)

    def create_payload_index(
        self, collection: str, key: str, kind: EnumLike, *, timeout: Optional[float] = None
    ) -> Collection:
        """Declares a payload index on ``key`` (built from the existing points); idempotent for the same kind."""
        index = pb.PayloadIndex(key=key, kind=index_kind_number(kind))
        request = pb.CreatePayloadIndexRequest(collection=collection, index=index)
        answer = self._call(self._vectron.CreatePayloadIndex, request, timeout=timeout, idempotent=True)
        return from_collection_message(answer.collection)

    def delete_payload_index(self, collection: str, key: str, *, timeout: Optional[float] = None) -> Collection:
        """Removes the payload index on ``key``; filters on it keep working, unindexed."""
        request = pb.DeletePayloadIndexRequest(collection=collection, key=key)
        answer = self._call(self._vectron.DeletePayloadIndex, request, timeout=timeout, idempotent=True)
        return from_collection_message(answer.collection)
