// The page's files, imported `with { type: "text" }` by console-assets.ts, are strings.
declare module "./console-page/*" {
  const text: string;
  export default text;
}
