from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
DISTANCE_COSINE: Distance
DISTANCE_DOT: Distance
DISTANCE_EUCLIDEAN: Distance
DISTANCE_UNSPECIFIED: Distance
PAYLOAD_INDEX_KIND_BOOL: PayloadIndexKind
PAYLOAD_INDEX_KIND_FLOAT: PayloadIndexKind
PAYLOAD_INDEX_KIND_INTEGER: PayloadIndexKind
PAYLOAD_INDEX_KIND_KEYWORD: PayloadIndexKind
PAYLOAD_INDEX_KIND_UNSPECIFIED: PayloadIndexKind
READ_CONSISTENCY_EVENTUAL: ReadConsistency
READ_CONSISTENCY_STRONG: ReadConsistency
READ_CONSISTENCY_UNSPECIFIED: ReadConsistency
REPLICA_ROLE_FOLLOWER: ReplicaRole
REPLICA_ROLE_PRIMARY: ReplicaRole
REPLICA_ROLE_UNSPECIFIED: ReplicaRole
REPLICA_STATE_ACTIVE: ReplicaState
REPLICA_STATE_OFFLINE: ReplicaState
REPLICA_STATE_SYNCING: ReplicaState
REPLICA_STATE_UNSPECIFIED: ReplicaState

class BatchQuery(_message.Message):
    __slots__ = ["filter", "top_k", "vector"]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    TOP_K_FIELD_NUMBER: _ClassVar[int]
    VECTOR_FIELD_NUMBER: _ClassVar[int]
    filter: Filter
    top_k: int
    vector: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, vector: _Optional[_Iterable[float]] = ..., top_k: _Optional[int] = ..., filter: _Optional[_Union[Filter, _Mapping]] = ...) -> None: ...

class BatchResult(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[ScoredPoint]
    def __init__(self, results: _Optional[_Iterable[_Union[ScoredPoint, _Mapping]]] = ...) -> None: ...

class Collection(_message.Message):
    __slots__ = ["created_at", "dimension", "distance", "name", "payload_indexes", "point_count", "replication_factor", "shard_count", "shards"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DIMENSION_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_INDEXES_FIELD_NUMBER: _ClassVar[int]
    POINT_COUNT_FIELD_NUMBER: _ClassVar[int]
    REPLICATION_FACTOR_FIELD_NUMBER: _ClassVar[int]
    SHARDS_FIELD_NUMBER: _ClassVar[int]
    SHARD_COUNT_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    dimension: int
    distance: Distance
    name: str
    payload_indexes: _containers.RepeatedCompositeFieldContainer[PayloadIndex]
    point_count: int
    replication_factor: int
    shard_count: int
    shards: _containers.RepeatedCompositeFieldContainer[Shard]
    def __init__(self, name: _Optional[str] = ..., dimension: _Optional[int] = ..., distance: _Optional[_Union[Distance, str]] = ..., point_count: _Optional[int] = ..., shard_count: _Optional[int] = ..., replication_factor: _Optional[int] = ..., shards: _Optional[_Iterable[_Union[Shard, _Mapping]]] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., payload_indexes: _Optional[_Iterable[_Union[PayloadIndex, _Mapping]]] = ...) -> None: ...

class Condition(_message.Message):
    __slots__ = ["key", "match", "range"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    MATCH_FIELD_NUMBER: _ClassVar[int]
    RANGE_FIELD_NUMBER: _ClassVar[int]
    key: str
    match: Match
    range: Range
    def __init__(self, key: _Optional[str] = ..., match: _Optional[_Union[Match, _Mapping]] = ..., range: _Optional[_Union[Range, _Mapping]] = ...) -> None: ...

class CountRequest(_message.Message):
    __slots__ = ["collection", "consistency", "filter"]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    CONSISTENCY_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    collection: str
    consistency: ReadConsistency
    filter: Filter
    def __init__(self, collection: _Optional[str] = ..., filter: _Optional[_Union[Filter, _Mapping]] = ..., consistency: _Optional[_Union[ReadConsistency, str]] = ...) -> None: ...

class CountResponse(_message.Message):
    __slots__ = ["count"]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    count: int
    def __init__(self, count: _Optional[int] = ...) -> None: ...

class CreateCollectionRequest(_message.Message):
    __slots__ = ["dimension", "distance", "name", "payload_indexes", "replication_factor", "shard_count"]
    DIMENSION_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_INDEXES_FIELD_NUMBER: _ClassVar[int]
    REPLICATION_FACTOR_FIELD_NUMBER: _ClassVar[int]
    SHARD_COUNT_FIELD_NUMBER: _ClassVar[int]
    dimension: int
    distance: Distance
    name: str
    payload_indexes: _containers.RepeatedCompositeFieldContainer[PayloadIndex]
    replication_factor: int
    shard_count: int
    def __init__(self, name: _Optional[str] = ..., dimension: _Optional[int] = ..., distance: _Optional[_Union[Distance, str]] = ..., shard_count: _Optional[int] = ..., replication_factor: _Optional[int] = ..., payload_indexes: _Optional[_Iterable[_Union[PayloadIndex, _Mapping]]] = ...) -> None: ...

class CreateCollectionResponse(_message.Message):
    __slots__ = ["collection"]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    collection: Collection
    def __init__(self, collection: _Optional[_Union[Collection, _Mapping]] = ...) -> None: ...

class CreatePayloadIndexRequest(_message.Message):
    __slots__ = ["collection", "index"]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    collection: str
    index: PayloadIndex
    def __init__(self, collection: _Optional[str] = ..., index: _Optional[_Union[PayloadIndex, _Mapping]] = ...) -> None: ...

class CreatePayloadIndexResponse(_message.Message):
    __slots__ = ["collection"]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    collection: Collection
    def __init__(self, collection: _Optional[_Union[Collection, _Mapping]] = ...) -> None: ...

class DeleteCollectionRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteCollectionResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class DeletePayloadIndexRequest(_message.Message):
    __slots__ = ["collection", "key"]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    collection: str
    key: str
    def __init__(self, collection: _Optional[str] = ..., key: _Optional[str] = ...) -> None: ...

class DeletePayloadIndexResponse(_message.Message):
    __slots__ = ["collection"]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    collection: Collection
    def __init__(self, collection: _Optional[_Union[Collection, _Mapping]] = ...) -> None: ...

class DeletePayloadKeysRequest(_message.Message):
    __slots__ = ["collection", "ids", "keys", "write_quorum"]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    WRITE_QUORUM_FIELD_NUMBER: _ClassVar[int]
    collection: str
    ids: _containers.RepeatedScalarFieldContainer[str]
    keys: _containers.RepeatedScalarFieldContainer[str]
    write_quorum: int
    def __init__(self, collection: _Optional[str] = ..., ids: _Optional[_Iterable[str]] = ..., keys: _Optional[_Iterable[str]] = ..., write_quorum: _Optional[int] = ...) -> None: ...

class DeletePayloadKeysResponse(_message.Message):
    __slots__ = ["updated"]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    updated: int
    def __init__(self, updated: _Optional[int] = ...) -> None: ...

class DeleteRequest(_message.Message):
    __slots__ = ["collection", "filter", "ids", "write_quorum"]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    WRITE_QUORUM_FIELD_NUMBER: _ClassVar[int]
    collection: str
    filter: Filter
    ids: _containers.RepeatedScalarFieldContainer[str]
    write_quorum: int
    def __init__(self, collection: _Optional[str] = ..., ids: _Optional[_Iterable[str]] = ..., filter: _Optional[_Union[Filter, _Mapping]] = ..., write_quorum: _Optional[int] = ...) -> None: ...

class DeleteResponse(_message.Message):
    __slots__ = ["deleted"]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    deleted: int
    def __init__(self, deleted: _Optional[int] = ...) -> None: ...

class Filter(_message.Message):
    __slots__ = ["must", "must_not", "should"]
    MUST_FIELD_NUMBER: _ClassVar[int]
    MUST_NOT_FIELD_NUMBER: _ClassVar[int]
    SHOULD_FIELD_NUMBER: _ClassVar[int]
    must: _containers.RepeatedCompositeFieldContainer[Condition]
    must_not: _containers.RepeatedCompositeFieldContainer[Condition]
    should: _containers.RepeatedCompositeFieldContainer[Condition]
    def __init__(self, must: _Optional[_Iterable[_Union[Condition, _Mapping]]] = ..., should: _Optional[_Iterable[_Union[Condition, _Mapping]]] = ..., must_not: _Optional[_Iterable[_Union[Condition, _Mapping]]] = ...) -> None: ...

class GetCollectionRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetCollectionResponse(_message.Message):
    __slots__ = ["collection"]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    collection: Collection
    def __init__(self, collection: _Optional[_Union[Collection, _Mapping]] = ...) -> None: ...

class GetRequest(_message.Message):
    __slots__ = ["collection", "consistency", "ids", "with_payload", "with_vector"]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    CONSISTENCY_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    WITH_PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    WITH_VECTOR_FIELD_NUMBER: _ClassVar[int]
    collection: str
    consistency: ReadConsistency
    ids: _containers.RepeatedScalarFieldContainer[str]
    with_payload: bool
    with_vector: bool
    def __init__(self, collection: _Optional[str] = ..., ids: _Optional[_Iterable[str]] = ..., with_payload: bool = ..., with_vector: bool = ..., consistency: _Optional[_Union[ReadConsistency, str]] = ...) -> None: ...

class GetResponse(_message.Message):
    __slots__ = ["points"]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    points: _containers.RepeatedCompositeFieldContainer[Point]
    def __init__(self, points: _Optional[_Iterable[_Union[Point, _Mapping]]] = ...) -> None: ...

class ListCollectionsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListCollectionsResponse(_message.Message):
    __slots__ = ["collections"]
    COLLECTIONS_FIELD_NUMBER: _ClassVar[int]
    collections: _containers.RepeatedCompositeFieldContainer[Collection]
    def __init__(self, collections: _Optional[_Iterable[_Union[Collection, _Mapping]]] = ...) -> None: ...

class Match(_message.Message):
    __slots__ = ["any", "value"]
    ANY_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    any: _struct_pb2.ListValue
    value: _struct_pb2.Value
    def __init__(self, value: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., any: _Optional[_Union[_struct_pb2.ListValue, _Mapping]] = ...) -> None: ...

class PayloadIndex(_message.Message):
    __slots__ = ["key", "kind"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    key: str
    kind: PayloadIndexKind
    def __init__(self, key: _Optional[str] = ..., kind: _Optional[_Union[PayloadIndexKind, str]] = ...) -> None: ...

class Point(_message.Message):
    __slots__ = ["id", "payload", "vector"]
    ID_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    VECTOR_FIELD_NUMBER: _ClassVar[int]
    id: str
    payload: _struct_pb2.Struct
    vector: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, id: _Optional[str] = ..., vector: _Optional[_Iterable[float]] = ..., payload: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class Range(_message.Message):
    __slots__ = ["gt", "gte", "lt", "lte"]
    GTE_FIELD_NUMBER: _ClassVar[int]
    GT_FIELD_NUMBER: _ClassVar[int]
    LTE_FIELD_NUMBER: _ClassVar[int]
    LT_FIELD_NUMBER: _ClassVar[int]
    gt: float
    gte: float
    lt: float
    lte: float
    def __init__(self, gt: _Optional[float] = ..., gte: _Optional[float] = ..., lt: _Optional[float] = ..., lte: _Optional[float] = ...) -> None: ...

class Replica(_message.Message):
    __slots__ = ["address", "role", "state", "worker_id"]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    WORKER_ID_FIELD_NUMBER: _ClassVar[int]
    address: str
    role: ReplicaRole
    state: ReplicaState
    worker_id: str
    def __init__(self, worker_id: _Optional[str] = ..., address: _Optional[str] = ..., role: _Optional[_Union[ReplicaRole, str]] = ..., state: _Optional[_Union[ReplicaState, str]] = ...) -> None: ...

class ScoredPoint(_message.Message):
    __slots__ = ["id", "payload", "score", "vector"]
    ID_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    VECTOR_FIELD_NUMBER: _ClassVar[int]
    id: str
    payload: _struct_pb2.Struct
    score: float
    vector: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, id: _Optional[str] = ..., score: _Optional[float] = ..., payload: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., vector: _Optional[_Iterable[float]] = ...) -> None: ...

class ScrollRequest(_message.Message):
    __slots__ = ["collection", "consistency", "cursor", "filter", "limit", "with_payload", "with_vector"]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    CONSISTENCY_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    WITH_PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    WITH_VECTOR_FIELD_NUMBER: _ClassVar[int]
    collection: str
    consistency: ReadConsistency
    cursor: str
    filter: Filter
    limit: int
    with_payload: bool
    with_vector: bool
    def __init__(self, collection: _Optional[str] = ..., filter: _Optional[_Union[Filter, _Mapping]] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ..., with_payload: bool = ..., with_vector: bool = ..., consistency: _Optional[_Union[ReadConsistency, str]] = ...) -> None: ...

class ScrollResponse(_message.Message):
    __slots__ = ["next_cursor", "points"]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    next_cursor: str
    points: _containers.RepeatedCompositeFieldContainer[Point]
    def __init__(self, points: _Optional[_Iterable[_Union[Point, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class SearchBatchRequest(_message.Message):
    __slots__ = ["allow_partial", "collection", "consistency", "ef", "queries", "with_payload", "with_vector"]
    ALLOW_PARTIAL_FIELD_NUMBER: _ClassVar[int]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    CONSISTENCY_FIELD_NUMBER: _ClassVar[int]
    EF_FIELD_NUMBER: _ClassVar[int]
    QUERIES_FIELD_NUMBER: _ClassVar[int]
    WITH_PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    WITH_VECTOR_FIELD_NUMBER: _ClassVar[int]
    allow_partial: bool
    collection: str
    consistency: ReadConsistency
    ef: int
    queries: _containers.RepeatedCompositeFieldContainer[BatchQuery]
    with_payload: bool
    with_vector: bool
    def __init__(self, collection: _Optional[str] = ..., queries: _Optional[_Iterable[_Union[BatchQuery, _Mapping]]] = ..., with_payload: bool = ..., with_vector: bool = ..., ef: _Optional[int] = ..., consistency: _Optional[_Union[ReadConsistency, str]] = ..., allow_partial: bool = ...) -> None: ...

class SearchBatchResponse(_message.Message):
    __slots__ = ["batches", "missing_shards"]
    BATCHES_FIELD_NUMBER: _ClassVar[int]
    MISSING_SHARDS_FIELD_NUMBER: _ClassVar[int]
    batches: _containers.RepeatedCompositeFieldContainer[BatchResult]
    missing_shards: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, batches: _Optional[_Iterable[_Union[BatchResult, _Mapping]]] = ..., missing_shards: _Optional[_Iterable[int]] = ...) -> None: ...

class SearchRequest(_message.Message):
    __slots__ = ["allow_partial", "collection", "consistency", "ef", "filter", "top_k", "vector", "with_payload", "with_vector"]
    ALLOW_PARTIAL_FIELD_NUMBER: _ClassVar[int]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    CONSISTENCY_FIELD_NUMBER: _ClassVar[int]
    EF_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    TOP_K_FIELD_NUMBER: _ClassVar[int]
    VECTOR_FIELD_NUMBER: _ClassVar[int]
    WITH_PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    WITH_VECTOR_FIELD_NUMBER: _ClassVar[int]
    allow_partial: bool
    collection: str
    consistency: ReadConsistency
    ef: int
    filter: Filter
    top_k: int
    vector: _containers.RepeatedScalarFieldContainer[float]
    with_payload: bool
    with_vector: bool
    def __init__(self, collection: _Optional[str] = ..., vector: _Optional[_Iterable[float]] = ..., top_k: _Optional[int] = ..., filter: _Optional[_Union[Filter, _Mapping]] = ..., with_payload: bool = ..., with_vector: bool = ..., ef: _Optional[int] = ..., consistency: _Optional[_Union[ReadConsistency, str]] = ..., allow_partial: bool = ...) -> None: ...

class SearchResponse(_message.Message):
    __slots__ = ["missing_shards", "results"]
    MISSING_SHARDS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    missing_shards: _containers.RepeatedScalarFieldContainer[int]
    results: _containers.RepeatedCompositeFieldContainer[ScoredPoint]
    def __init__(self, results: _Optional[_Iterable[_Union[ScoredPoint, _Mapping]]] = ..., missing_shards: _Optional[_Iterable[int]] = ...) -> None: ...

class SetPayloadRequest(_message.Message):
    __slots__ = ["collection", "ids", "overwrite", "payload", "write_quorum"]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    OVERWRITE_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    WRITE_QUORUM_FIELD_NUMBER: _ClassVar[int]
    collection: str
    ids: _containers.RepeatedScalarFieldContainer[str]
    overwrite: bool
    payload: _struct_pb2.Struct
    write_quorum: int
    def __init__(self, collection: _Optional[str] = ..., ids: _Optional[_Iterable[str]] = ..., payload: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., overwrite: bool = ..., write_quorum: _Optional[int] = ...) -> None: ...

class SetPayloadResponse(_message.Message):
    __slots__ = ["updated"]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    updated: int
    def __init__(self, updated: _Optional[int] = ...) -> None: ...

class Shard(_message.Message):
    __slots__ = ["epoch", "id", "replicas"]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    REPLICAS_FIELD_NUMBER: _ClassVar[int]
    epoch: int
    id: int
    replicas: _containers.RepeatedCompositeFieldContainer[Replica]
    def __init__(self, id: _Optional[int] = ..., replicas: _Optional[_Iterable[_Union[Replica, _Mapping]]] = ..., epoch: _Optional[int] = ...) -> None: ...

class SnapshotShardRequest(_message.Message):
    __slots__ = ["collection", "shard"]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    SHARD_FIELD_NUMBER: _ClassVar[int]
    collection: str
    shard: int
    def __init__(self, collection: _Optional[str] = ..., shard: _Optional[int] = ...) -> None: ...

class SnapshotShardResponse(_message.Message):
    __slots__ = ["data", "last_seq", "point_count", "total_bytes"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    LAST_SEQ_FIELD_NUMBER: _ClassVar[int]
    POINT_COUNT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_BYTES_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    last_seq: int
    point_count: int
    total_bytes: int
    def __init__(self, data: _Optional[bytes] = ..., total_bytes: _Optional[int] = ..., last_seq: _Optional[int] = ..., point_count: _Optional[int] = ...) -> None: ...

class UpsertRequest(_message.Message):
    __slots__ = ["collection", "points", "write_quorum"]
    COLLECTION_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    WRITE_QUORUM_FIELD_NUMBER: _ClassVar[int]
    collection: str
    points: _containers.RepeatedCompositeFieldContainer[Point]
    write_quorum: int
    def __init__(self, collection: _Optional[str] = ..., points: _Optional[_Iterable[_Union[Point, _Mapping]]] = ..., write_quorum: _Optional[int] = ...) -> None: ...

class UpsertResponse(_message.Message):
    __slots__ = ["upserted"]
    UPSERTED_FIELD_NUMBER: _ClassVar[int]
    upserted: int
    def __init__(self, upserted: _Optional[int] = ...) -> None: ...

class Distance(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ReplicaRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ReplicaState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class PayloadIndexKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ReadConsistency(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
