import { defineConfig } from "drizzle-kit";

// `cd packages/db && drizzle-kit generate --name <what-changed>` writes a new migration
// into ./migrations from src/schema.ts. Commit it with the schema change.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema.ts",
  out: "./migrations",
});
