/**
 * Waiving in the editor and unsaved text: the server waives only a finding of the saved translation
 * (translations/review.ts), so a finding that only the typed text has is not offered. A row whose
 * open findings are all of unsaved text says, in place of "Waive…", that the text must be saved
 * first; a row with both lists only the saved text's findings in its waive form and says why the
 * others are not there. After a save, the findings can be waived.
 */

import { beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  apiToken,
  createUser,
  editorOptions,
  newDocument,
  openEditor,
  read,
  useServerAndBrowser,
} from "./browser.ts";

const WORDS = {
  en: {
    waive: "Waive…",
    saveFirst:
      "To waive a warning, save the text first: only the saved translation's warnings can be waived.",
    others: "Warnings found only in your unsaved text are not listed: save the text to waive them.",
    save: /^Save/,
  },
  es: {
    waive: "Ignorar aviso…",
    saveFirst:
      "Para ignorar un aviso, guarda antes el texto: solo se pueden ignorar los avisos de la traducción guardada.",
    others:
      "No aparecen los avisos que solo tiene tu texto sin guardar: guarda el texto para poder ignorarlos.",
    save: /^Guardar/,
  },
};

const CASES = [
  { user: ["tina", "tina-password"], lng: "en", width: 1280 },
  { user: ["edna", "edna-password"], lng: "es", width: 375 },
  { user: ["admin", ADMIN_PASSWORD], lng: "en", width: 375 },
  { user: ["tina", "tina-password"], lng: "es", width: 1280 },
] as const;

/** Paragraph 2 saved with its glossary term (no finding); paragraph 3 saved without it (a missing-term warning). */
async function newWaiveDocument(url: string, token: string) {
  const { doc, pids } = await newDocument(
    url,
    token,
    ["Waivers", "The chainsaw is back.", "The chainsaw came back on Monday."],
    { 1: "La motosierra ha vuelto.", 2: "La sierra volvió el lunes." },
  );
  return { doc, clean: pids[1] as string, flagged: pids[2] as string };
}

describe("waiving findings of unsaved text in the editor", () => {
  const ctx = useServerAndBrowser();
  let admin = "";
  beforeAll(async () => {
    admin = await apiToken(ctx.url);
    await createUser(ctx.url, "tina", "translator");
    await createUser(ctx.url, "edna", "editor");
  });

  for (const { user, lng, width } of CASES) {
    it(`says a finding of unsaved text must be saved before it is waived, as ${user[0]} (${lng}, ${width} px)`, async () => {
      const w = WORDS[lng];
      const { doc, clean, flagged } = await newWaiveDocument(ctx.url, admin);
      const page = await openEditor(ctx.browser, ctx.url, user, doc, editorOptions(lng, width));
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const waivers: string[] = [];
      page.on("request", (r) => {
        if (r.url().includes("/waivers")) waivers.push(r.method());
      });

      // Only the typed text has the finding: no waive control, a plain sentence instead.
      const row = page.locator(`#p-${clean}`);
      const area = row.locator("textarea");
      await area.fill("La sierra ha vuelto.");
      await expect.poll(read.text(row.locator(".findings .finding.warning"))).toContain("motosierra");
      await expect.poll(read.text(row.locator(".waive-save-first"))).toBe(w.saveFirst);
      expect(await row.getByRole("link", { name: w.waive }).count()).toBe(0);
      if (width < 700) {
        const box = await row.locator(".waive-save-first").boundingBox();
        expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= width).toBe(true);
      }

      // Saved, the same finding can be waived, and the sentence goes.
      await row.getByRole("button", { name: w.save }).first().click();
      await expect.poll(read.className(row)).not.toMatch(/unsaved/);
      await expect.poll(read.count(row.getByRole("link", { name: w.waive }))).toBe(1);
      expect(await row.locator(".waive-save-first").count()).toBe(0);

      // A row with a saved finding and one only in the typed text: the form offers the saved one and says why the other is not there.
      const mixed = page.locator(`#p-${flagged}`);
      const mixedArea = mixed.locator("textarea");
      await expect.poll(read.text(mixed.locator(".findings .finding.warning"))).toContain("motosierra");
      await mixedArea.click();
      await mixedArea.press("End");
      await mixedArea.pressSequentially("  Vinieron todos.");
      await expect.poll(read.count(mixed.locator(".findings li.finding[data-unsaved]"))).toBeGreaterThan(0);
      await mixed.getByRole("link", { name: w.waive }).click();
      const form = mixed.locator("form.waive-form");
      await expect.poll(read.visible(form)).toBe(true);
      const offered = await form
        .locator("input[name=finding]")
        .evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
      expect(offered).toHaveLength(1);
      expect(offered[0]).toMatch(/^missing-term /);
      expect(await form.locator(".waive-others-unsaved").textContent()).toBe(w.others);
      expect(await mixed.locator(".waive-save-first").count()).toBe(0);
      expect(waivers).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
