"""Nearest-neighbour searches, one at a time or many in one request."""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional, Union

from .connection import Connection
from .enum_names import EnumLike, consistency_number
from .errors import InvalidArgumentError
from .filters import FilterLike, write_filter
from .points import BatchSearchResults, SearchResults, from_scored_messages, write_vector
from .v1 import vectron_pb2 as pb

#: A SearchBatch query: a vector, or a dict ``{"vector", "top_k"?, "filter"?}``.
QueryLike = Union[Iterable[float], Mapping[str, Any]]

_QUERY_KEYS = {"vector", "top_k", "filter"}


class SearchCalls(Connection):
    def search(
        self,
        collection: str,
        vector: Iterable[float],
        *,
        top_k: int = 10,
        filter: Optional[FilterLike] = None,
        with_payload: bool = True,
        with_vector: bool = False,
        ef: int = 0,
        consistency: Optional[EnumLike] = None,
        allow_partial: bool = False,
        timeout: Optional[float] = None,
    ) -> SearchResults:
        """The ``top_k`` points nearest to ``vector`` (matching ``filter``), best first.

        ``filter`` is a dict mirroring the proto Filter, e.g.
        ``{"must": [{"key": "tags", "match": {"any": ["x"]}}]}``. ``ef`` widens the HNSW
        search (0: the collection's default). With ``allow_partial``, shards without a
        replica that can answer are left out and listed in ``results.missing_shards``.
        """
        request = pb.SearchRequest(
            collection=collection,
            top_k=top_k,
            with_payload=with_payload,
            with_vector=with_vector,
            ef=ef,
            consistency=consistency_number(consistency),
            allow_partial=allow_partial,
        )
        write_vector(vector, request.vector, "vector")
        write_filter(filter, request.filter)
        answer = self._call(self._vectron.Search, request, timeout=timeout, idempotent=True)
        return from_scored_messages(answer.results, answer.missing_shards)

    def search_batch(
        self,
        collection: str,
        queries: Iterable[QueryLike],
        *,
        top_k: int = 10,
        with_payload: bool = True,
        with_vector: bool = False,
        ef: int = 0,
        consistency: Optional[EnumLike] = None,
        allow_partial: bool = False,
        timeout: Optional[float] = None,
    ) -> BatchSearchResults:
        """Many searches in one request; one :class:`SearchResults` per query, in order.

        Each query is a vector (searched with ``top_k`` and no filter) or a dict
        ``{"vector": [...], "top_k": 5, "filter": {...}}``.
        """
        request = pb.SearchBatchRequest(
            collection=collection,
            with_payload=with_payload,
            with_vector=with_vector,
            ef=ef,
            consistency=consistency_number(consistency),
            allow_partial=allow_partial,
        )
        for index, query in enumerate(queries):
            _write_query(query, request.queries.add(), top_k, f"queries[{index}]")
        answer = self._call(self._vectron.SearchBatch, request, timeout=timeout, idempotent=True)
        return BatchSearchResults(
            (from_scored_messages(batch.results) for batch in answer.batches), answer.missing_shards
        )


def _write_query(query: QueryLike, into: pb.BatchQuery, top_k: int, field: str) -> None:
    if isinstance(query, Mapping):
        unknown = set(query) - _QUERY_KEYS
        if unknown or "vector" not in query:
            raise InvalidArgumentError(f"{field}: a query dict has 'vector' and optionally 'top_k' and 'filter', got keys {sorted(query)}")
        write_vector(query["vector"], into.vector, f"{field}.vector")
        into.top_k = query.get("top_k", top_k)
        write_filter(query.get("filter"), into.filter, f"{field}.filter")
    else:
        write_vector(query, into.vector, f"{field}.vector")
        into.top_k = top_k
