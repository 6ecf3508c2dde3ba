import { PGlite } from "@electric-sql/pglite";
const rss = () => (process.memoryUsage().rss / 1e6).toFixed(0) + "MB";
const opts = JSON.parse(process.argv[2] ?? "{}");
let t = performance.now();
try {
const c = await PGlite.create(undefined, opts);
await c.query("select 1");
console.log(JSON.stringify(opts), (performance.now() - t).toFixed(0) + "ms", rss());
await c.close();
} catch (e) { console.log(JSON.stringify(opts), "ERR", (e as Error).message); }
