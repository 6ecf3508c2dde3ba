import { createVectronClient, type VectronClient } from "@vectron/client";

/** The parseArgs options every command that talks to a server takes. */
export const connectionOptions = {
  url: { type: "string" },
  "api-key": { type: "string" },
} as const;

/** The help lines of those options. */
export const connectionUsage = `Connection (every command):
  --url <url>                 the Vectron node [VECTRON_URL] (default http://127.0.0.1:8080)
  --api-key <key>             an API key [VECTRON_API_KEY]; better in the environment than on
                              a command line others can see`;

/**
 * A client for the node named by --url / VECTRON_URL, with the API key of --api-key or
 * VECTRON_API_KEY. Throws, saying what to pass, when there is no key.
 */
export function connectToServer(values: { url?: string; "api-key"?: string }, env: Record<string, string | undefined>): VectronClient {
  const baseUrl = values.url ?? env.VECTRON_URL ?? "http://127.0.0.1:8080";
  const apiKey = values["api-key"] ?? env.VECTRON_API_KEY;
  if (!apiKey) throw new Error("no API key: pass --api-key <key> or set VECTRON_API_KEY (create one with AuthService/CreateAPIKey, see the README)");
  return createVectronClient({ baseUrl, apiKey });
}
