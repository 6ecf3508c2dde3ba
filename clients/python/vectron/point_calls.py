"""Points: upsert, get, delete, count, scroll and payload updates (searches in search_calls.py)."""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator, List, Mapping, Optional, Sequence, Sized

from .connection import Connection
from .enum_names import EnumLike, consistency_number
from .errors import InvalidArgumentError
from .filters import FilterLike, write_filter
from .payload import to_struct
from .points import Point, PointLike, from_point_message, to_point_message
from .v1 import vectron_pb2 as pb

#: Points per Upsert request by default (the server takes up to 10,000).
DEFAULT_BATCH_SIZE = 1000
#: Encoded size at which a batch is sent even with fewer points (the server takes 64 MiB).
DEFAULT_BATCH_BYTES = 16 << 20

#: Called after each acknowledged batch with (points upserted so far, total or None).
ProgressCallback = Callable[[int, Optional[int]], None]

_POINT_INDEX = re.compile(r"\bpoints\[(\d+)\]")


def _ids(ids: Sequence[str], field: str = "ids") -> List[str]:
    if isinstance(ids, (str, bytes)):
        raise InvalidArgumentError(f"{field}: must be a list of ids, not a single string (pass [{ids!r}])")
    return list(ids)


class PointCalls(Connection):
    def upsert(
        self,
        collection: str,
        points: Iterable[PointLike],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_batch_bytes: int = DEFAULT_BATCH_BYTES,
        on_progress: Optional[ProgressCallback] = None,
        write_quorum: int = 0,
        timeout: Optional[float] = None,
    ) -> int:
        """Inserts or replaces points by id, in batches; returns how many were upserted.

        ``points``: :class:`Point` objects, dicts ``{"id", "vector", "payload"}`` or tuples
        ``(id, vector[, payload])``, from any iterable (a generator is read lazily). A batch
        is sent every ``batch_size`` points or ``max_batch_bytes`` encoded bytes, and
        ``on_progress(done, total)`` is called after each (``total`` is None for an iterable
        without ``len``). ``timeout`` applies to each batch. On an error, the batches before
        it stay written; an ``invalid_argument`` message names the point by its index in
        ``points``.
        """
        if batch_size < 1 or max_batch_bytes < 1:
            raise ValueError("batch_size and max_batch_bytes must be at least 1")
        total = len(points) if isinstance(points, Sized) else None
        done = 0
        batch: List[pb.Point] = []
        batch_bytes = 0
        first = 0  # index in `points` of the batch's first point
        for index, point in enumerate(points):
            message = to_point_message(point, f"points[{index}]")
            size = message.ByteSize()
            if batch and (len(batch) >= batch_size or batch_bytes + size > max_batch_bytes):
                done += self._upsert_batch(collection, batch, first, write_quorum, timeout)
                if on_progress:
                    on_progress(done, total)
                batch, batch_bytes, first = [], 0, index
            batch.append(message)
            batch_bytes += size
        if batch:
            done += self._upsert_batch(collection, batch, first, write_quorum, timeout)
            if on_progress:
                on_progress(done, total)
        return done

    def _upsert_batch(self, collection: str, batch: List[pb.Point], first: int, write_quorum: int, timeout: Optional[float]) -> int:
        request = pb.UpsertRequest(collection=collection, points=batch, write_quorum=write_quorum)
        try:
            return self._call(self._vectron.Upsert, request, timeout=timeout, idempotent=True).upserted
        except InvalidArgumentError as error:
            if first == 0:
                raise
            # The server numbers points within the batch; say which point of the caller's it was.
            message = _POINT_INDEX.sub(lambda m: f"points[{first + int(m.group(1))}]", error.message)
            raise InvalidArgumentError(message, error.status, error.attempts) from error

    def get(
        self,
        collection: str,
        ids: Sequence[str],
        *,
        with_payload: bool = True,
        with_vector: bool = True,
        consistency: Optional[EnumLike] = None,
        timeout: Optional[float] = None,
    ) -> List[Point]:
        """The points with these ids, in the order asked; ids that do not exist are left out."""
        request = pb.GetRequest(
            collection=collection,
            ids=_ids(ids),
            with_payload=with_payload,
            with_vector=with_vector,
            consistency=consistency_number(consistency),
        )
        answer = self._call(self._vectron.Get, request, timeout=timeout, idempotent=True)
        return [from_point_message(p) for p in answer.points]

    def delete(
        self,
        collection: str,
        ids: Optional[Sequence[str]] = None,
        *,
        filter: Optional[FilterLike] = None,
        write_quorum: int = 0,
        timeout: Optional[float] = None,
    ) -> int:
        """Deletes points by id, or every point matching ``filter``; returns how many existed."""
        if (ids is None) == (filter is None):
            raise InvalidArgumentError("delete takes ids or a filter (exactly one of them)")
        request = pb.DeleteRequest(collection=collection, ids=_ids(ids) if ids is not None else [], write_quorum=write_quorum)
        write_filter(filter, request.filter)
        return self._call(self._vectron.Delete, request, timeout=timeout, idempotent=True).deleted

    def count(
        self,
        collection: str,
        *,
        filter: Optional[FilterLike] = None,
        consistency: Optional[EnumLike] = None,
        timeout: Optional[float] = None,
    ) -> int:
        """Number of points (matching ``filter`` when given)."""
        request = pb.CountRequest(collection=collection, consistency=consistency_number(consistency))
        write_filter(filter, request.filter)
        return self._call(self._vectron.Count, request, timeout=timeout, idempotent=True).count

    def scroll(
        self,
        collection: str,
        *,
        filter: Optional[FilterLike] = None,
        page_size: int = 100,
        with_payload: bool = True,
        with_vector: bool = False,
        consistency: Optional[EnumLike] = None,
        timeout: Optional[float] = None,
    ) -> Iterator[Point]:
        """Every point (matching ``filter``), in id order, fetched ``page_size`` at a time as
        the generator is read. ``timeout`` applies to each page."""
        request = pb.ScrollRequest(
            collection=collection,
            limit=page_size,
            with_payload=with_payload,
            with_vector=with_vector,
            consistency=consistency_number(consistency),
        )
        write_filter(filter, request.filter)
        while True:
            page = self._call(self._vectron.Scroll, request, timeout=timeout, idempotent=True)
            for point in page.points:
                yield from_point_message(point)
            if not page.next_cursor:
                return
            request.cursor = page.next_cursor

    def set_payload(
        self,
        collection: str,
        ids: Sequence[str],
        payload: Mapping[str, Any],
        *,
        overwrite: bool = False,
        write_quorum: int = 0,
        timeout: Optional[float] = None,
    ) -> int:
        """Sets these payload keys of existing points (or replaces their whole payload with
        ``overwrite``), without resending vectors; returns how many points existed."""
        request = pb.SetPayloadRequest(collection=collection, ids=_ids(ids), overwrite=overwrite, write_quorum=write_quorum)
        to_struct(payload, "payload", into=request.payload)
        return self._call(self._vectron.SetPayload, request, timeout=timeout, idempotent=True).updated

    def delete_payload_keys(
        self,
        collection: str,
        ids: Sequence[str],
        keys: Sequence[str],
        *,
        write_quorum: int = 0,
        timeout: Optional[float] = None,
    ) -> int:
        """Removes top-level payload keys of existing points; returns how many points existed."""
        request = pb.DeletePayloadKeysRequest(collection=collection, ids=_ids(ids), keys=_ids(keys, "keys"), write_quorum=write_quorum)
        return self._call(self._vectron.DeletePayloadKeys, request, timeout=timeout, idempotent=True).updated
