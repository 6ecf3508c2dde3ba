import { connectClients } from "./connect-clients";

let counter = 0;

/** Registers a fresh user, logs in and creates an API key; returns what a client holds. */
export async function newAccount(baseUrl: string, label = "user") {
  const email = `${label}-${Date.now()}-${counter++}@example.com`;
  const password = "correct horse battery staple";
  const anonymous = connectClients(baseUrl);
  const { user } = await anonymous.auth.registerUser({ email, password });
  const login = await anonymous.auth.login({ email, password });
  const session = connectClients(baseUrl, login.token);
  const created = await session.auth.createAPIKey({ name: "test key" });
  return { email, password, user: user!, session: login.token, apiKey: created.key, keyId: created.apiKey!.id };
}
