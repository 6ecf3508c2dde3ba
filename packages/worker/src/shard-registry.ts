import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { writeFileAtomically } from "@vectron/durable-file";
import { join } from "node:path";
import { openShardStore, type Metric, type ShardStore } from "@vectron/shard-store";
import { VectronError } from "@vectron/rpc-errors";

/** What a shard directory records about itself, so the worker can reopen it at start. */
export interface ShardSpecFile {
  dimension: number;
  metric: Metric;
}

const SPEC_FILE = "shard.json";

/** The directory of a shard replica: `<dataDir>/shards/<collectionId>/<shardId>`. */
export function shardDirOf(dataDir: string, key: string): string {
  return join(dataDir, "shards", key);
}

/**
 * The shard replicas open on this worker, keyed by `<collectionId>/<shardId>`, each in
 * `<dataDir>/shards/<collectionId>/<shardId>/`.
 */
export class ShardRegistry {
  private readonly open = new Map<string, ShardStore>();
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, "shards");
    mkdirSync(this.root, { recursive: true });
  }

  /** The keys of every shard directory on disk, as `<collectionId>/<shardId>`. */
  keysOnDisk(): string[] {
    return readdirSync(this.root).flatMap((collectionId) =>
      readdirSync(join(this.root, collectionId)).map((shardId) => `${collectionId}/${shardId}`),
    );
  }

  /**
   * Opens shards found on disk (after a restart) and says for each whether its saved
   * index was loaded and caught up or had to be rebuilt. Returns how many opened.
   */
  openExisting(keys: string[], log: (message: string) => void): number {
    let opened = 0;
    for (const key of keys) {
      const dir = join(this.root, key);
      const specPath = join(dir, SPEC_FILE);
      if (!existsSync(specPath)) continue;
      let spec: ShardSpecFile;
      try {
        spec = JSON.parse(readFileSync(specPath, "utf8")) as ShardSpecFile;
      } catch (err) {
        // One unreadable shard must not keep the node from starting; placement reopens
        // it (empty) only if it still places it here, otherwise the files stay for an operator.
        log(`shard ${key}: skipped, ${SPEC_FILE} is unreadable (${(err as Error).message})`);
        continue;
      }
      const store = openShardStore({ dir, ...spec });
      const info = store.openInfo;
      log(
        info.loadedIndex
          ? `shard ${key}: loaded saved index, replayed ${info.caughtUp} changes, ${store.count()} points`
          : `shard ${key}: rebuilt index (${info.rebuildReason ?? "no saved index"}), ${store.count()} points`,
      );
      this.open.set(key, store);
      opened++;
    }
    return opened;
  }

  /** Opens a shard, creating it when new; an existing shard must match the spec. */
  ensure(key: string, spec: ShardSpecFile): ShardStore {
    const existing = this.open.get(key);
    if (existing) {
      if (existing.dimension !== spec.dimension || existing.metric !== spec.metric) {
        throw new VectronError("already_exists", `shard ${key} exists with another dimension or metric`);
      }
      return existing;
    }
    const dir = join(this.root, key);
    mkdirSync(dir, { recursive: true });
    // The spec file is written before the store so a crash leaves a reopenable shard.
    writeFileAtomically(join(dir, SPEC_FILE), JSON.stringify(spec));
    const store = openShardStore({ dir, ...spec });
    this.open.set(key, store);
    return store;
  }

  get(key: string): ShardStore {
    const store = this.open.get(key);
    if (!store) throw new VectronError("not_found", `shard ${key} is not open on this worker`);
    return store;
  }

  /** Closes and deletes a shard; dropping an unknown shard is not an error. */
  drop(key: string): void {
    const store = this.open.get(key);
    this.open.delete(key);
    if (store) store.drop();
    else rmSync(join(this.root, key), { recursive: true, force: true });
  }

  /** Persists every index that changed since its last save. */
  saveAll(): void {
    this.#eachStore((store) => store.saveIndex());
  }

  closeAll(): void {
    try {
      this.#eachStore((store) => store.close());
    } finally {
      this.open.clear();
    }
  }

  /** Runs `action` on every store even if some throw, then throws the first error. */
  #eachStore(action: (store: ShardStore) => void): void {
    const errors: unknown[] = [];
    for (const store of this.open.values()) {
      try {
        action(store);
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length) throw errors[0];
  }
}
