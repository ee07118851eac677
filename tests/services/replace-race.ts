/**
 * One race for both stores: a save of a paragraph lands between the moment a find-and-replace
 * batch reads its states and the moment the store checks it. Both adapters must give the same
 * answer: the paragraph saved first skipped as changed, the rest written, for apply and for undo.
 */

import { expect } from "vitest";
import type { Services } from "../../server/context.ts";
import { type DiskWriter, REAL_DISK } from "../../server/storage/commit-log.ts";
import type { Store } from "../../server/storage/store.ts";

/**
 * A disk that, once `hold` is called, holds the writes that carry `marker` (any, without one) until
 * `release`: a save checked by the file store but not yet durable, for as long as a test needs.
 */
export function holdingDisk(marker?: string) {
  let gate: { held: Promise<void>; release: () => void } | undefined;
  const disk: DiskWriter & { hold(): void; release(): void; holding: number } = {
    holding: 0,
    async write(handle, data, position) {
      if (gate && (marker === undefined || data.includes(Buffer.from(marker)))) {
        disk.holding++;
        await gate.held;
      }
      return REAL_DISK.write(handle, data, position);
    },
    hold() {
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      gate = { held, release };
    },
    release() {
      gate?.release();
      gate = undefined;
    },
  };
  return disk;
}

/** Holds `disk`, starts `start`, and resolves once its write is held; the write goes on `afterMs` later. */
export async function heldWhile(
  disk: ReturnType<typeof holdingDisk>,
  start: () => Promise<unknown>,
  afterMs = 100,
): Promise<{ done: Promise<unknown> }> {
  disk.hold();
  const holding = disk.holding;
  // Started now (a supertest request starts when its `then` is called).
  const done = Promise.resolve(start());
  while (disk.holding === holding) await new Promise((resolve) => setTimeout(resolve, 2));
  setTimeout(() => disk.release(), afterMs);
  return { done };
}

/**
 * Makes the store's next batch wait for `before` (a save started then) and then go on: the save's
 * head is checked first. `before` resolves once the save is checked; the file store may still be
 * writing it.
 */
function beforeNextBatch(store: Store, before: () => Promise<void>) {
  const batch = store.appendTranslationBatch.bind(store);
  store.appendTranslationBatch = async (...args) => {
    store.appendTranslationBatch = batch;
    await before();
    return batch(...args);
  };
}

/**
 * Runs the race for apply, then for undo. `saving(start)` runs a save the way the store under
 * test lets it land first: it resolves once the save's head has moved, with the save's own
 * completion as `done`.
 */
export async function raceSaveAgainstBatch(
  services: Services,
  store: Store,
  saving: (start: () => Promise<unknown>) => Promise<{ done: Promise<unknown> }>,
): Promise<void> {
  const { translations, replace } = services;
  const doc = await translations.create(
    { sourceLang: "en", format: "text", content: "One.\n\nTwo.\n\nThree.", title: "Race", languages: ["es"] },
    "eddie",
  );
  for (const pid of ["p2", "p3"])
    await translations.save(doc.id, "es", pid, { text: "La motosierra.", baseRevision: 0 }, "tina");
  const preview = await replace.preview(
    { lang: "es", documentId: doc.id },
    { find: "motosierra", replace: "sierra" },
  );
  expect(preview.occurrences).toHaveLength(2);

  let saved: Promise<unknown> = Promise.resolve();
  beforeNextBatch(store, async () => {
    saved = (
      await saving(() =>
        translations.save(doc.id, "es", "p2", { text: "La motosierra nueva.", baseRevision: 1 }, "ana"),
      )
    ).done;
  });
  const applied = await replace.apply(
    { lang: "es", documentId: doc.id },
    preview.query,
    preview.occurrences.map((o) => o.id),
    "eddie",
  );
  await saved;
  expect(applied.revisions).toEqual([
    { documentId: doc.id, lang: "es", pid: "p3", revision: 2, baseRevision: 1 },
  ]);
  expect(applied.skipped).toEqual([
    { documentId: doc.id, pid: "p2", revision: 1, latest: 2, reason: "changed" },
  ]);

  // The undo of a batch of two, raced by a save of one of them.
  await translations.save(doc.id, "es", "p3", { text: "La motosierra.", baseRevision: 2 }, "tina");
  const fresh = await replace.preview(
    { lang: "es", documentId: doc.id },
    { find: "motosierra", replace: "tijera" },
  );
  const both = await replace.apply(
    { lang: "es", documentId: doc.id },
    fresh.query,
    fresh.occurrences.map((o) => o.id),
    "eddie",
  );
  expect(both.revisions.map((r) => [r.pid, r.revision])).toEqual([
    ["p2", 3],
    ["p3", 4],
  ]);
  beforeNextBatch(store, async () => {
    saved = (
      await saving(() =>
        translations.save(doc.id, "es", "p3", { text: "La tijera, revisada.", baseRevision: 4 }, "ana"),
      )
    ).done;
  });
  const undone = await replace.undo(both.batch as string, "es", both.revisions, "eddie");
  await saved;
  expect(undone.revisions).toEqual([
    { documentId: doc.id, lang: "es", pid: "p2", revision: 4, baseRevision: 3 },
  ]);
  expect(undone.skipped).toEqual([
    { documentId: doc.id, pid: "p3", revision: 4, latest: 5, reason: "changed" },
  ]);
  const texts = await translations.readState(doc.id, "es");
  expect([texts.get("p2")?.revisions.at(-1)?.text, texts.get("p3")?.revisions.at(-1)?.text]).toEqual([
    "La motosierra nueva.",
    "La tijera, revisada.",
  ]);
}
