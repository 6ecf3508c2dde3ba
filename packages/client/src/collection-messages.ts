import { timestampDate } from "@bufbuild/protobuf/wkt";
import {
  Distance,
  PayloadIndexKind as ProtoPayloadIndexKind,
  ReplicaRole,
  ReplicaState,
  type Collection,
  type PayloadIndex,
} from "@vectron/proto/v1";
import type { CollectionInfo, Metric, PayloadIndexKind, PayloadIndexSpec, ReplicaInfo } from "./collection-info.js";

const metrics: Record<Metric, Distance> = {
  cosine: Distance.COSINE,
  euclidean: Distance.EUCLIDEAN,
  dot: Distance.DOT,
};

const indexKinds: Record<PayloadIndexKind, ProtoPayloadIndexKind> = {
  keyword: ProtoPayloadIndexKind.KEYWORD,
  integer: ProtoPayloadIndexKind.INTEGER,
  float: ProtoPayloadIndexKind.FLOAT,
  bool: ProtoPayloadIndexKind.BOOL,
};

/** The proto Distance of a metric; throws a TypeError naming the choices for anything else. */
export function distanceOf(metric: Metric): Distance {
  const distance = metrics[metric];
  if (distance === undefined) throw new TypeError(`metric must be "cosine", "euclidean" or "dot", got ${String(metric)}`);
  return distance;
}

/** The proto PayloadIndexKind of a kind; throws a TypeError naming the choices for anything else. */
export function indexKindOf(kind: PayloadIndexKind): ProtoPayloadIndexKind {
  const protoKind = indexKinds[kind];
  if (protoKind === undefined) throw new TypeError(`payload index kind must be "keyword", "integer", "float" or "bool", got ${String(kind)}`);
  return protoKind;
}

/** The plain object of a proto Collection. */
export function collectionInfoOf(collection: Collection | undefined): CollectionInfo {
  if (collection === undefined) throw new TypeError("the server answered without a collection");
  return {
    name: collection.name,
    dimension: collection.dimension,
    metric: nameOf(metrics, collection.distance) ?? "cosine",
    pointCount: Number(collection.pointCount),
    shards: collection.shardCount,
    replicationFactor: collection.replicationFactor,
    payloadIndexes: collection.payloadIndexes.map(payloadIndexSpecOf),
    createdAt: collection.createdAt ? timestampDate(collection.createdAt) : undefined,
    placement: collection.shards.map((shard) => ({
      id: shard.id,
      epoch: Number(shard.epoch),
      replicas: shard.replicas.map((replica) => ({
        workerId: replica.workerId,
        address: replica.address,
        role: replica.role === ReplicaRole.PRIMARY ? "primary" : replica.role === ReplicaRole.FOLLOWER ? "follower" : "unspecified",
        state: replicaStateOf(replica.state),
      })),
    })),
  };
}

function payloadIndexSpecOf(index: PayloadIndex): PayloadIndexSpec {
  return { key: index.key, kind: nameOf(indexKinds, index.kind) ?? "keyword" };
}

function replicaStateOf(state: ReplicaState): ReplicaInfo["state"] {
  if (state === ReplicaState.ACTIVE) return "active";
  if (state === ReplicaState.SYNCING) return "syncing";
  if (state === ReplicaState.OFFLINE) return "offline";
  return "unspecified";
}

function nameOf<K extends string, V>(table: Record<K, V>, value: V): K | undefined {
  return (Object.keys(table) as K[]).find((name) => table[name] === value);
}
