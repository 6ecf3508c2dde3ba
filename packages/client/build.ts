/**
 * Builds the publishable package into dist/: `bun build.ts` (or `npm run build` here).
 *
 * - dist/index.js: one ES module bundled by Bun for the browser target, so it uses only
 *   what every fetch-capable runtime has (Node.js 18+, Bun, Deno, browsers). The
 *   generated message and service descriptors of the private @vectron/proto package are
 *   bundled in; the runtime dependencies (@connectrpc/connect, @connectrpc/connect-web,
 *   @bufbuild/protobuf) stay imports.
 * - dist/*.d.ts: TypeScript's declarations of src/, from a program type-checked with the
 *   DOM library and no Bun or Node.js types: a Bun-only API in the client fails the build.
 *
 * The build then checks both halves: the bundle may import only the dependencies, and
 * the declarations nothing private (@vectron/*).
 */
import { mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";

const root = import.meta.dir;
const src = join(root, "src");
const dist = join(root, "dist");
// Built beside dist/ and swapped in at the end, so a reader of dist/ (npm pack, a test)
// sees the old build or the new one, not half of each.
const staging = join(root, ".tmp", `dist-${process.pid}`);
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
const dependencies = Object.keys(manifest.dependencies);

rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });

const bundle = await Bun.build({
  entrypoints: [join(src, "index.ts")],
  outdir: staging,
  target: "browser",
  format: "esm",
  external: dependencies.flatMap((name) => [name, `${name}/*`]),
});
if (!bundle.success) fail("bun build failed", bundle.logs.map(String));

const compilerOptions = ts.convertCompilerOptionsFromJson(
  {
    target: "ES2022",
    module: "ESNext",
    moduleResolution: "Bundler",
    lib: ["ES2022", "DOM", "DOM.Iterable"],
    types: [],
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    declaration: true,
    emitDeclarationOnly: true,
    verbatimModuleSyntax: true,
  },
  root,
);
if (compilerOptions.errors.length) fail("bad compiler options", compilerOptions.errors.map(messageOf));
const program = ts.createProgram([join(src, "index.ts")], compilerOptions.options);
const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.length) fail("type errors (DOM library, no Bun or Node.js types)", diagnostics.map(messageOf));
const declarations = new Map<string, string>();
program.emit(undefined, (_fileName, text, _bom, _onError, sources) => {
  const source = sources?.[0]?.fileName;
  if (source?.startsWith(src + "/")) declarations.set(relative(src, source).replace(/\.ts$/, ".d.ts"), text);
});

// Ship the declarations index.d.ts reaches, no more: those of internal modules mention
// the private generated types, and nobody can import them anyway.
checkImports("dist/index.js", readFileSync(join(staging, "index.js"), "utf8"), isDependency);
const shipped = new Set<string>();
const pending = ["index.d.ts"];
for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
  if (shipped.has(file)) continue;
  const text = declarations.get(file);
  if (text === undefined) fail(`no declarations for ${file}`, []);
  shipped.add(file);
  for (const specifier of checkImports(`dist/${file}`, text, (s) => s.startsWith("./") || isDependency(s))) {
    if (specifier.startsWith("./")) pending.push(specifier.slice(2).replace(/\.js$/, ".d.ts"));
  }
  writeFileSync(join(staging, file), text);
}
rmSync(dist, { recursive: true, force: true });
renameSync(staging, dist);
removeIfEmpty(dirname(staging));
console.log(`built ${relative(process.cwd(), dist) || "dist"}: index.js and ${shipped.size} declaration files`);

function isDependency(specifier: string): boolean {
  return dependencies.some((name) => specifier === name || specifier.startsWith(`${name}/`));
}

/** The modules `text` imports; fails unless each passes `allowed` (no `bun:`, `node:` or private packages). */
function checkImports(file: string, text: string, allowed: (specifier: string) => boolean): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)].map((match) => match[1]!);
  const refused = specifiers.filter((specifier) => !allowed(specifier));
  if (refused.length) fail(`${file} imports what a user of the package cannot have`, refused);
  if (/\bBun\.[a-z]/.test(text)) fail(`${file} uses the Bun global`, []);
  return specifiers;
}

function messageOf(diagnostic: ts.Diagnostic): string {
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (!diagnostic.file || diagnostic.start === undefined) return text;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${relative(root, diagnostic.file.fileName)}:${line + 1}:${character + 1} ${text}`;
}

/** Removes the staging parent unless another build is using it. */
function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty: another build is under way.
  }
}

function fail(what: string, details: string[]): never {
  rmSync(staging, { recursive: true, force: true });
  removeIfEmpty(dirname(staging));
  console.error(`build failed: ${what}`);
  for (const detail of details) console.error(`  ${detail}`);
  process.exit(1);
}
