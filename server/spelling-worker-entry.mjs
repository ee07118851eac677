// A worker's entry point loads before `--import tsx` in its execArgv takes effect (Node 20): this
// plain module registers tsx's loader itself, then loads the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./spelling-worker.ts");
