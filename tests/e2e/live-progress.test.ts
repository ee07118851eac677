import { describe, expect, it } from "vitest";
import { apiCall, newDocument, openEditor, read, team, useServerAndBrowser } from "./browser.ts";

/** More paragraphs than one live message names (server/live.ts): an import of them all is a `bulk`. */
const PARAGRAPHS = 60;

describe("the editor's progress line while others work, in Chromium, in every role", () => {
  const ctx = useServerAndBrowser();

  it("follows a save, an approval and an import made elsewhere, and reads an import's rows in", async () => {
    const { admin, tina, eddie } = await team(ctx.url);
    const { doc, pids } = await newDocument(
      ctx.url,
      admin,
      Array.from({ length: PARAGRAPHS }, (_, i) => `Paragraph number ${i + 1} of the long article.`),
    );
    const total = pids.length;
    const pages = [
      await openEditor(ctx.browser, ctx.url, ["tina", "tina-password"], doc),
      await openEditor(ctx.browser, ctx.url, ["eddie", "eddie-password"], doc),
      await openEditor(ctx.browser, ctx.url, ["admin", "e2e-admin-password"], doc, { locale: "es-ES" }),
    ];
    const errors: string[] = [];
    for (const page of pages) page.on("pageerror", (e) => errors.push(e.message));
    const numbers = (i: number) =>
      read.text((pages[i] as (typeof pages)[0]).locator(".editor-head .numbers"));
    const label = (i: number) => () =>
      (pages[i] as (typeof pages)[0])
        .locator(".editor-head svg.bar")
        .getAttribute("aria-label")
        .then((l) => l ?? "");
    for (const page of pages) await expect.poll(read.count(page.locator("#presence:not([hidden])"))).toBe(1);

    // A translator's save through the API: every open page's header counts it.
    const path = `/documents/${doc}/translations/es/paragraphs`;
    expect(
      (await apiCall(ctx.url, tina, "PUT", `${path}/${pids[1]}`, { text: "Párrafo 1.", baseRevision: 0 }))
        .status,
    ).toBe(200);
    await expect.poll(numbers(0)).toContain(`1 of ${total} translated`);
    await expect.poll(numbers(1)).toContain(`1 of ${total} translated`);
    await expect.poll(numbers(2)).toContain(`1 de ${total} traducidos`);

    // An editor's approval: the approved count and the bar's spoken label follow.
    const review = { action: "approve", revision: 1 };
    expect((await apiCall(ctx.url, eddie, "POST", `${path}/${pids[1]}/review`, review)).status).toBe(200);
    await expect.poll(numbers(0)).toContain("1 approved");
    await expect.poll(label(0)).toMatch(/1 approved and 1 translated of \d+ paragraphs/);
    await expect.poll(numbers(1)).toContain("1 approved");
    await expect.poll(numbers(2)).toMatch(/1 aprobad/);

    // An import of every paragraph: one bulk message; the rows are read in and the header counts them all.
    // As another tool writes it: each unit a paragraph by its id, the target the source's words.
    const units = pids
      .map((pid, i) => {
        const text = `Paragraph number ${i + 1} of the long article.`;
        // The approved paragraph is left out: the file does not touch it.
        if (i === 1) return "";
        return `<unit id="${pid}"><segment><source>${text}</source><target>${text}</target></segment></unit>`;
      })
      .join("");
    const xliff = `<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="es"><file id="f1" original="${doc}">${units}</file></xliff>`;
    const imported = await fetch(`${ctx.url}/api/v1/documents/${doc}/translations/es/import`, {
      method: "POST",
      headers: { Authorization: `Bearer ${tina}`, "Content-Type": "application/xliff+xml" },
      body: xliff,
    });
    expect(imported.status).toBe(200);
    expect(((await imported.json()) as { updated: number }).updated).toBeGreaterThan(50);
    const last = pids.at(-1) as string;
    for (const page of pages) {
      await expect
        .poll(read.value(page.locator(`#t-${last}`)))
        .toBe(`Paragraph number ${PARAGRAPHS} of the long article.`);
      await expect.poll(read.className(page.locator(`#p-${last}`))).toMatch(/status-translated/);
    }
    await expect.poll(numbers(0)).toContain(`${total} of ${total} translated (100%)`);
    await expect.poll(numbers(1)).toContain(`${total} of ${total} translated (100%)`);
    await expect.poll(numbers(2)).toContain(`${total} de ${total} traducidos (100 %)`);
    // The words part of the line is kept (the API's progress carries them).
    await expect.poll(numbers(0)).toMatch(/words translated/);
    expect(errors).toEqual([]);
    for (const page of pages) await page.context().close();
  });
});
