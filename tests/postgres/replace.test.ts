/** Find and replace on PostgreSQL: a batch across documents is one transaction with one audit entry. */

import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config.ts";
import { buildServices } from "../../server/context.ts";
import { PgStore } from "../../server/storage/pg-store.ts";
import { dropDatabases, freshDatabase } from "./database.ts";

afterAll(dropDatabases);

describe("find and replace on PostgreSQL", () => {
  it("applies across documents in one transaction, reports a paragraph saved since, and undoes", async () => {
    const store = await PgStore.open(await freshDatabase());
    const services = buildServices({ store, config: loadConfig({ GLOSA_LOG_LEVEL: "silent" }) });
    const { translations, replace } = services;
    try {
      const docs = [];
      for (const title of ["A", "B", "C"]) {
        const doc = await translations.create(
          { sourceLang: "en", format: "text", content: "Chainsaw.", title, languages: ["es"] },
          "eddie",
        );
        await translations.save(doc.id, "es", "p2", { text: "La motosierra.", baseRevision: 0 }, "tina");
        docs.push(doc.id);
      }
      const preview = await replace.preview({ lang: "es" }, { find: "motosierra", replace: "sierra" });
      expect(preview.occurrences).toHaveLength(3);
      await translations.save(
        docs[2] as string,
        "es",
        "p2",
        { text: "La motosierra nueva.", baseRevision: 1 },
        "ana",
      );
      const applied = await replace.apply(
        { lang: "es" },
        preview.query,
        preview.occurrences.map((o) => o.id),
        "eddie",
      );
      expect(applied.revisions.map((r) => r.documentId)).toEqual(docs.slice(0, 2));
      expect(applied.skipped).toMatchObject([{ documentId: docs[2], reason: "changed", latest: 2 }]);
      const audit = await store.listAudit(20);
      expect(audit.filter((e) => e.action === "translation.replace")).toHaveLength(1);
      expect(
        (await translations.paragraph(docs[0] as string, "es", "p2")).translation?.revisions.at(-1),
      ).toMatchObject({ text: "La sierra.", batch: applied.batch });

      const undone = await replace.undo(applied.batch as string, "es", applied.revisions, "eddie");
      expect(undone.revisions).toHaveLength(2);
      for (const id of docs.slice(0, 2))
        expect(
          (await translations.paragraph(id as string, "es", "p2")).translation?.revisions.at(-1)?.text,
        ).toBe("La motosierra.");
    } finally {
      await services.parse.close();
      await store.close();
    }
  });
});
