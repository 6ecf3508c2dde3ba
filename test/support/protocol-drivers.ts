import { okJson } from "./connect-json";
import { grpcCall, grpcClients } from "./grpc-clients";
import { jsonToStruct, structToJson } from "./grpc-struct";

export interface PlainPoint {
  id: string;
  vector: number[];
  payload: Record<string, unknown>;
}

export interface PlainHit {
  id: string;
  score: number;
  payload: Record<string, unknown>;
}

/** The user flows, spoken over one protocol with no generated TypeScript code. */
export interface ProtocolDriver {
  name: string;
  register(email: string, password: string): Promise<void>;
  login(email: string, password: string): Promise<string>;
  createKey(session: string): Promise<string>;
  createCollection(key: string, name: string, dimension: number, shardCount: number): Promise<void>;
  upsert(key: string, collection: string, points: PlainPoint[]): Promise<number>;
  get(key: string, collection: string, ids: string[]): Promise<PlainPoint[]>;
  search(key: string, collection: string, vector: number[], topK: number): Promise<PlainHit[]>;
  count(key: string, collection: string): Promise<number>;
  close(): void;
}

/** Connect JSON over plain fetch, as curl would speak it. */
export function connectJsonDriver(baseUrl: string): ProtocolDriver {
  const auth = (m: string) => `vectron.auth.v1.AuthService/${m}`;
  const api = (m: string) => `vectron.v1.VectronService/${m}`;
  return {
    name: "connect-json",
    async register(email, password) {
      await okJson(baseUrl, auth("RegisterUser"), { email, password });
    },
    async login(email, password) {
      return (await okJson(baseUrl, auth("Login"), { email, password })).token;
    },
    async createKey(session) {
      return (await okJson(baseUrl, auth("CreateAPIKey"), { name: "e2e" }, session)).key;
    },
    async createCollection(key, name, dimension, shardCount) {
      await okJson(baseUrl, api("CreateCollection"), { name, dimension, distance: "DISTANCE_EUCLIDEAN", shardCount }, key);
    },
    async upsert(key, collection, points) {
      return (await okJson(baseUrl, api("Upsert"), { collection, points }, key)).upserted;
    },
    async get(key, collection, ids) {
      return (await okJson(baseUrl, api("Get"), { collection, ids }, key)).points ?? [];
    },
    async search(key, collection, vector, topK) {
      return (await okJson(baseUrl, api("Search"), { collection, vector, topK }, key)).results ?? [];
    },
    async count(key, collection) {
      return Number((await okJson(baseUrl, api("Count"), { collection }, key)).count ?? 0);
    },
    close() {},
  };
}

/** gRPC over HTTP/2 with a stock @grpc/grpc-js client loading the .proto files. */
export function grpcDriver(address: string): ProtocolDriver {
  const clients = grpcClients(address);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  return {
    name: "grpc",
    async register(email, password) {
      await grpcCall(clients.auth, "RegisterUser", { email, password });
    },
    async login(email, password) {
      return (await grpcCall(clients.auth, "Login", { email, password })).token;
    },
    async createKey(session) {
      return (await grpcCall(clients.auth, "CreateAPIKey", { name: "e2e" }, bearer(session))).key;
    },
    async createCollection(key, name, dimension, shardCount) {
      await grpcCall(clients.vectron, "CreateCollection", { name, dimension, distance: "DISTANCE_EUCLIDEAN", shardCount }, bearer(key));
    },
    async upsert(key, collection, points) {
      const wire = points.map((p) => ({ id: p.id, vector: p.vector, payload: jsonToStruct(p.payload) }));
      return (await grpcCall(clients.vectron, "Upsert", { collection, points: wire }, bearer(key))).upserted;
    },
    async get(key, collection, ids) {
      const reply = await grpcCall(clients.vectron, "Get", { collection, ids }, bearer(key));
      return reply.points.map((p: any) => ({ id: p.id, vector: p.vector, payload: structToJson(p.payload) }));
    },
    async search(key, collection, vector, topK) {
      const reply = await grpcCall(clients.vectron, "Search", { collection, vector, topK }, bearer(key));
      return reply.results.map((r: any) => ({ id: r.id, score: r.score, payload: structToJson(r.payload) }));
    },
    async count(key, collection) {
      return Number((await grpcCall(clients.vectron, "Count", { collection }, bearer(key))).count);
    },
    close() {
      clients.close();
    },
  };
}
