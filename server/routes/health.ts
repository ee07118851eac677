/**
 * GET /healthz, for load balancers and supervisors: ready means the store answers a read (the first
 * page of documents), not only that the process runs. A store that cannot be read answers 503, so
 * that traffic goes elsewhere and the operator is told (once, in the log) why. A full disk does not:
 * reads still work, and each refused write answers 503 storage_unavailable itself.
 */

import type { RequestHandler } from "express";
import type { Logger } from "pino";
import type { Store } from "../storage/store.ts";

export function healthRoute(store: Store, logger: Logger): RequestHandler {
  // Probes that arrive together share one read of the store.
  let checking: Promise<unknown> | undefined;
  let failing = false;
  return async (_req, res) => {
    checking ??= store.listDocumentsPage({ limit: 1 }).finally(() => {
      checking = undefined;
    });
    try {
      await checking;
      failing = false;
      res.json({ status: "ok" });
    } catch (error) {
      if (!failing) logger.error({ err: error }, "health check: the store cannot be read");
      failing = true;
      // The cause names files of the data directory: it is in the log, not in this unauthenticated answer.
      res.status(503).json({
        status: "unavailable",
        error: { code: "store_unreadable", message: "The server cannot read its data; its log says why." },
      });
    }
  };
}
