import { join } from "node:path";
import { launchHeadlessChromium } from "./headless-chromium";

/**
 * One tab of headless Chromium driven over the DevTools protocol: navigate, run script in
 * the page, wait for a condition, take a screenshot. What the page logged as an error
 * (exceptions, console errors, CSP refusals) is kept for assertions and failure messages.
 */
export interface DevtoolsPage {
  navigate(url: string): Promise<void>;
  /** The value of `expression` in the page (awaited when it is a promise), as JSON. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** Polls `expression` until it is truthy and returns it; throws after `timeoutMs`. */
  waitFor<T = unknown>(expression: string, timeoutMs?: number): Promise<T>;
  /** A PNG of the viewport. */
  screenshot(): Promise<Uint8Array>;
  /** Errors the page reported so far. */
  problems(): string[];
  stop(): Promise<void>;
}
interface Pending {
  resolve(result: any): void;
  reject(error: Error): void;
}

/**
 * Starts headless Chromium (launchHeadlessChromium) with a throwaway profile under
 * `profileDir` and a `width`×`height` viewport at scale 1.
 */
export async function openDevtoolsPage(profileDir: string, viewport = { width: 1280, height: 900 }): Promise<DevtoolsPage> {
  const { child, stop } = launchHeadlessChromium(profileDir, ["--remote-debugging-port=0", "about:blank"], "ignore");
  try {
    const browserUrl = await devtoolsAddress(child.stderr);
    const targets = (await (await fetch(`http://${new URL(browserUrl).host}/json/list`)).json()) as { type: string; webSocketDebuggerUrl: string }[];
    const tab = targets.find((target) => target.type === "page");
    if (!tab) throw new Error("chromium opened no page");
    return await attach(tab.webSocketDebuggerUrl, viewport, stop);
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Reads Chromium's stderr until it prints "DevTools listening on ws://...". */
async function devtoolsAddress(stderr: ReadableStream<Uint8Array>): Promise<string> {
  let printed = "";
  const decoder = new TextDecoder();
  const reader = stderr.getReader();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    printed += decoder.decode(value);
    const match = /DevTools listening on (ws:\/\/\S+)/.exec(printed);
    if (match) {
      // Keep draining, or a chatty Chromium would block on a full pipe.
      void (async () => {
        while (!(await reader.read()).done);
      })();
      return match[1]!;
    }
  }
  throw new Error(`chromium printed no DevTools address:\n${printed}`);
}

async function attach(socketUrl: string, viewport: { width: number; height: number }, stopBrowser: () => Promise<void>): Promise<DevtoolsPage> {
  const socket = new WebSocket(socketUrl);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("error", () => reject(new Error(`cannot connect to ${socketUrl}`)), { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const problems: string[] = [];
  const loaded: (() => void)[] = [];
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data));
    if (message.id !== undefined) {
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) call?.reject(new Error(`${message.error.message} (${message.error.code})`));
      else call?.resolve(message.result);
      return;
    }
    if (message.method === "Page.loadEventFired") loaded.splice(0).forEach((resolve) => resolve());
    if (message.method === "Runtime.exceptionThrown") problems.push(`exception: ${message.params.exceptionDetails.exception?.description ?? message.params.exceptionDetails.text}`);
    if (message.method === "Runtime.consoleAPICalled" && message.params.type === "error") {
      problems.push(`console.error: ${message.params.args.map((arg: any) => arg.value ?? arg.description).join(" ")}`);
    }
    if (message.method === "Log.entryAdded" && message.params.entry.level === "error") {
      const { source, text, url } = message.params.entry;
      problems.push(`${source}: ${text}${url ? ` (${url})` : ""}`);
    }
  });
  const send = (method: string, params: object = {}): Promise<any> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });

  await Promise.all([send("Page.enable"), send("Runtime.enable"), send("Log.enable")]);
  await send("Emulation.setDeviceMetricsOverride", { ...viewport, deviceScaleFactor: 1, mobile: false });

  const evaluate = async <T>(expression: string): Promise<T> => {
    const answer = await send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
    if (answer.exceptionDetails) throw new Error(`${expression} threw: ${answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text}`);
    return answer.result.value as T;
  };
  return {
    async navigate(url) {
      const load = new Promise<void>((resolve) => loaded.push(resolve));
      const answer = await send("Page.navigate", { url });
      if (answer.errorText) throw new Error(`cannot open ${url}: ${answer.errorText}`);
      await load;
    },
    evaluate,
    async waitFor<T>(expression: string, timeoutMs = 10_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await evaluate<T>(expression);
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}; the page reported: ${problems.join("\n") || "nothing"}`);
        await Bun.sleep(50);
      }
    },
    async screenshot() {
      const { data } = await send("Page.captureScreenshot", { format: "png" });
      return Buffer.from(data, "base64");
    },
    problems: () => [...problems],
    async stop() {
      socket.close();
      await stopBrowser();
    },
  };
}
