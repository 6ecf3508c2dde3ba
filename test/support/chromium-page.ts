import { launchHeadlessChromium } from "./headless-chromium";

/** Headless Chromium showing one page; stop() ends it (and, with it, its helper processes). */
export interface ChromiumPage {
  stop(): Promise<void>;
  /** What Chromium printed, for failure messages. */
  output(): string;
}

/**
 * Opens `url` in headless Chromium with a throwaway profile under `profileDir`.
 */
export function openInChromium(url: string, profileDir: string): ChromiumPage {
  const chromium = launchHeadlessChromium(profileDir, [url], "pipe");
  let printed = "";
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) printed += new TextDecoder().decode(chunk);
  };
  void collect(chromium.child.stdout as ReadableStream<Uint8Array>);
  void collect(chromium.child.stderr);
  return { output: () => printed, stop: chromium.stop };
}
