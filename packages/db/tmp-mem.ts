import { createDb } from "./src/create-db";
const rss = () => (process.memoryUsage().rss / 1e6).toFixed(0) + "MB";
let t = performance.now();
const a = await createDb({ pglite: "memory" });
console.log("1st open", (performance.now() - t).toFixed(0) + "ms", rss());
await a.close();
