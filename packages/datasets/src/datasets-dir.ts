import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * The shared data sets: `VECTRON_DATASETS_DIR`, else `shared/datasets` beside the
 * repository (the layout CI and every checkout have). They are read in place, never
 * copied into the repository.
 */
export function datasetsDir(): string {
  const dir = process.env.VECTRON_DATASETS_DIR ?? resolve(import.meta.dir, "../../../../shared/datasets");
  if (!existsSync(join(dir, "sift-5k.tsv"))) {
    throw new Error(`data sets not found in ${dir}; set VECTRON_DATASETS_DIR to the folder holding sift-5k.tsv`);
  }
  return dir;
}
