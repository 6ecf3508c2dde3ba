/** `import text from "x.sql" with { type: "text" }`: the file's text (Bun). */
declare module "*.sql" {
  const text: string;
  export default text;
}
