/**
 * The one Drizzle schema for accounts and placement. Migrations in ../migrations are
 * generated from this file with `drizzle-kit generate` (see drizzle.config.ts); never
 * edit them by hand, and never change a committed migration: add a new one.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * `bytea` as a plain Uint8Array on both drivers: postgres-js hands back a Buffer (viewed
 * here without copying), PGlite a Uint8Array; both accept a Uint8Array when writing.
 */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
});

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

// ---- accounts ----

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Always stored lowercased (enforced by users_email_lowercase), so the unique key is case-insensitive. */
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    plan: text("plan").notNull().default("free"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("users_email_key").on(t.email),
    check("users_email_lowercase", sql`${t.email} = lower(${t.email})`),
    check("users_plan_known", sql`${t.plan} in ('free', 'paid')`),
  ],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    /** The public key id, also embedded in the key itself. */
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The first characters of the key, shown to the user to recognise it. */
    prefix: text("prefix").notNull(),
    /** SHA-256 of the whole key (32 bytes); the key itself is never stored. */
    digest: bytea("digest").notNull(),
    /** A read-only key may search and read, never write or delete. */
    readOnly: boolean("read_only").notNull().default(false),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [
    index("api_keys_user_id_idx").on(t.userId),
    check("api_keys_digest_sha256", sql`octet_length(${t.digest}) = 32`),
  ],
);

// ---- placement ----

export const workers = pgTable("workers", {
  id: text("id").primaryKey(),
  address: text("address").notNull(),
  leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }).notNull(),
  registeredAt: timestamp("registered_at", { withTimezone: true }).notNull().defaultNow(),
  /** Set by an operator: its replicas move to other workers and it receives no new ones. */
  draining: boolean("draining").notNull().default(false),
});

export const collections = pgTable(
  "collections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    dimension: integer("dimension").notNull(),
    distance: text("distance").notNull(),
    shardCount: integer("shard_count").notNull(),
    replicationFactor: integer("replication_factor").notNull(),
    createdAt: createdAt(),
  },
  // The unique index leads with owner_id, so it also serves "collections of a user".
  (t) => [
    unique("collections_owner_id_name_key").on(t.ownerId, t.name),
    check("collections_dimension_positive", sql`${t.dimension} > 0`),
    check("collections_shard_count_positive", sql`${t.shardCount} > 0`),
    check("collections_replication_factor_positive", sql`${t.replicationFactor} > 0`),
  ],
);

export const shards = pgTable(
  "shards",
  {
    collectionId: uuid("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    shardId: integer("shard_id").notNull(),
    /** Bumped on every primary change; requests carrying an older epoch are refused. */
    epoch: bigint("epoch", { mode: "number" }).notNull().default(1),
  },
  (t) => [primaryKey({ name: "shards_pkey", columns: [t.collectionId, t.shardId] })],
);

export type ReplicaRole = "primary" | "follower";
export type ReplicaState = "active" | "syncing" | "offline";

export const shardReplicas = pgTable(
  "shard_replicas",
  {
    collectionId: uuid("collection_id").notNull(),
    shardId: integer("shard_id").notNull(),
    workerId: text("worker_id")
      .notNull()
      .references(() => workers.id),
    role: text("role").$type<ReplicaRole>().notNull(),
    state: text("state").$type<ReplicaState>().notNull(),
    /**
     * To be removed once the shard has replication_factor in-sync replicas without it
     * (its worker drains, or rebalancing moves it); a replacement is added meanwhile.
     */
    leaving: boolean("leaving").notNull().default(false),
    /** When `state` last changed: an offline replica is replaced after it has been offline a while. */
    stateSince: timestamp("state_since", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "shard_replicas_pkey", columns: [t.collectionId, t.shardId, t.workerId] }),
    foreignKey({
      name: "shard_replicas_shard_fkey",
      columns: [t.collectionId, t.shardId],
      foreignColumns: [shards.collectionId, shards.shardId],
    }).onDelete("cascade"),
    index("shard_replicas_worker_id_idx").on(t.workerId),
    check("shard_replicas_role_valid", sql`${t.role} in ('primary', 'follower')`),
    check("shard_replicas_state_valid", sql`${t.state} in ('active', 'syncing', 'offline')`),
  ],
);

/**
 * The placement process that leads (runs failover, re-replication and rebalancing), as it
 * recorded itself when it took over: at most one row (id is always 1). Leadership itself
 * is an advisory lock (PLACEMENT_LEADER_LOCK_KEY); this row only reports who holds it.
 */
export const placementLeader = pgTable(
  "placement_leader",
  {
    id: integer("id").primaryKey().default(1),
    nodeId: text("node_id").notNull(),
    since: timestamp("since", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("placement_leader_singleton", sql`${t.id} = 1`)],
);

export type PayloadIndexKind = "keyword" | "integer" | "float" | "bool";

/** Payload indexes declared on a collection; every replica of every shard keeps them. */
export const payloadIndexes = pgTable(
  "payload_indexes",
  {
    collectionId: uuid("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    /** Dotted payload path, as in filters. */
    key: text("key").notNull(),
    kind: text("kind").$type<PayloadIndexKind>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "payload_indexes_pkey", columns: [t.collectionId, t.key] }),
    check("payload_indexes_kind_valid", sql`${t.kind} in ('keyword', 'integer', 'float', 'bool')`),
  ],
);
