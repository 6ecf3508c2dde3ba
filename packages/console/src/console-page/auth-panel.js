import { AUTH_SERVICE, callRpc } from "./connect-json.js";
import { byId, clearStatus, showError, showStatus } from "./dom.js";

/** The log-in and register form, and the log-out button. */
export function createAuthPanel(session) {
  const form = byId("login-form");
  const status = byId("auth-status");
  const credentials = () => ({ email: form.elements.email.value.trim(), password: form.elements.password.value });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearStatus(status);
    const { email, password } = credentials();
    try {
      await session.login(email, password);
      form.reset();
    } catch (err) {
      showError(status, err);
    }
  });

  byId("register").addEventListener("click", async () => {
    if (!form.reportValidity()) return;
    clearStatus(status);
    const { email, password } = credentials();
    try {
      // An email that already has an account is answered like a new one (the server
      // never tells), and then the log-in fails unless the password is that account's.
      await callRpc(AUTH_SERVICE, "RegisterUser", { email, password });
      showStatus(status, "Account created; logging in…");
      await session.login(email, password);
      form.reset();
      clearStatus(status);
    } catch (err) {
      showError(status, err);
    }
  });

  byId("logout").addEventListener("click", () => session.logout());
}
