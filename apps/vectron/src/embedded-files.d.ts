/** `import path from "x.wasm" with { type: "file" }`: a path Bun.file can read, inside a compiled binary too. */
declare module "*.wasm" {
  const path: string;
  export default path;
}
declare module "*.data" {
  const path: string;
  export default path;
}
