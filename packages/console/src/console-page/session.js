import { AUTH_SERVICE, RpcError, callRpc } from "./connect-json.js";

// The session token lives in this tab's sessionStorage (a reload keeps it, closing the tab
// drops it) and goes out as a bearer header: never a cookie, so no CSRF.
const STORAGE_KEY = "vectron.console.session";
// Renew this long before expiry (sessions last at most an hour).
const RENEW_BEFORE_MS = 5 * 60_000;
const RETRY_RENEWAL_MS = 30_000;

/**
 * The logged-in session: its token, renewed with RefreshToken before it expires, and
 * `call` for the API with it. `onChange(session)` runs on log-in and log-out.
 */
export function createSession(onChange) {
  let current = load();
  let timer;

  const save = (next) => {
    current = next;
    if (next) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    else sessionStorage.removeItem(STORAGE_KEY);
    scheduleRenewal();
    onChange(session);
  };

  const scheduleRenewal = () => {
    clearTimeout(timer);
    if (!current) return;
    const left = current.expiresAt - Date.now();
    const delay = left > 2 * RENEW_BEFORE_MS ? left - RENEW_BEFORE_MS : Math.max(left / 2, 1000);
    timer = setTimeout(renew, delay);
  };

  const renew = async () => {
    if (!current) return;
    try {
      const answer = await callRpc(AUTH_SERVICE, "RefreshToken", {}, current.token);
      current = { ...current, token: answer.token, expiresAt: Date.parse(answer.expiresAt) };
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(current));
      scheduleRenewal();
    } catch (err) {
      if (err instanceof RpcError && err.code === "unauthenticated") save(undefined);
      else if (current.expiresAt > Date.now()) timer = setTimeout(renew, RETRY_RENEWAL_MS);
      else save(undefined);
    }
  };

  const session = {
    get loggedIn() {
      return current !== undefined;
    },
    get email() {
      return current?.email ?? "";
    },
    /** Logs in; throws an RpcError when the email or password is wrong. */
    async login(email, password) {
      const answer = await callRpc(AUTH_SERVICE, "Login", { email, password });
      save({ token: answer.token, expiresAt: Date.parse(answer.expiresAt), email: answer.user?.email ?? email });
    },
    logout() {
      save(undefined);
    },
    /** Calls the API as the logged-in user; a refused session logs out. */
    async call(service, method, request) {
      if (!current) throw new RpcError("unauthenticated", "not logged in");
      try {
        return await callRpc(service, method, request, current.token);
      } catch (err) {
        if (err instanceof RpcError && err.code === "unauthenticated") save(undefined);
        throw err;
      }
    },
    /** Starts renewing a session restored from sessionStorage. */
    resume() {
      scheduleRenewal();
      onChange(session);
    },
  };
  return session;
}

function load() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "null");
    if (saved && typeof saved.token === "string" && saved.expiresAt > Date.now()) return saved;
  } catch {
    // A damaged entry is the same as none.
  }
  sessionStorage.removeItem(STORAGE_KEY);
  return undefined;
}
