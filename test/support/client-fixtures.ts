import type { PointInput, VectronClient } from "../../packages/client/src/index.ts";

let counter = 0;

/**
 * A fresh account made through the client itself (register, login, API key); returns
 * the client holding the key, and the session's.
 */
export async function clientWithNewAccount(anonymous: VectronClient, label = "client") {
  const email = `${label}-${Date.now()}-${counter++}@example.com`;
  const password = "correct horse battery staple";
  const user = await anonymous.auth.register({ email, password });
  const session = await anonymous.auth.login({ email, password });
  const asSession = anonymous.withCredentials({ token: session.token });
  const created = await asSession.auth.createApiKey({ name: "client test" });
  return { email, password, user, session, asSession, key: created, client: anonymous.withCredentials({ apiKey: created.key }) };
}

/**
 * `count` points of dimension 4 with ids `p00000`, `p00001`... (so id order is index
 * order) and payload { n, even }.
 */
export function numberedPoints(count: number): PointInput[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `p${String(i).padStart(5, "0")}`,
    vector: [i, i % 7, i % 13, 1],
    payload: { n: i, even: i % 2 === 0 },
  }));
}

/** Five hand-made points whose nearest neighbours and filter matches are known. */
export const docs: PointInput[] = [
  { id: "a", vector: [1, 0, 0], payload: { lang: "en", year: 2001, tags: ["x", "y"], nested: { level: 1 } } },
  { id: "b", vector: [0.9, 0.1, 0], payload: { lang: "fr", year: 1999, tags: ["y"] } },
  { id: "c", vector: new Float32Array([0.8, 0.2, 0]), payload: { lang: "en", year: 2010, tags: ["z"] } },
  { id: "d", vector: [0, 1, 0], payload: { lang: "de", year: 2020 } },
  { id: "e", vector: [0, 0, 1], payload: { lang: "en", year: 1990, nested: { level: 2 } } },
];

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the call to fail, it succeeded");
}
