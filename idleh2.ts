import http2 from "node:http2";
const s = http2.connect(`http://127.0.0.1:${process.env.G}`);
const r = s.request({ ":method": "POST", ":path": "/vectron.v1.VectronService/Count", "content-type": "application/json" });
r.end('{}'); r.on("data", () => {}); r.on("end", () => console.log("h2 idle session open"));
setTimeout(() => process.exit(0), 30000);
