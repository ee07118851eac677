/**
 * The editor's memory panel as a new translator finds it (issue #14): an assembled suggestion's
 * missing sentences, a panel that follows saves made elsewhere, Ctrl+K on a phone, the panel's
 * numbers and names in both languages, and the concordance box's count.
 */

import type { Route } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD,
  apiCall,
  apiToken,
  createUser,
  newDocument,
  openEditor,
  read,
  signInPage,
  useServerAndBrowser,
} from "./browser.ts";

async function translate(url: string, token: string, doc: string, pid: string, text: string) {
  const saved = await apiCall(url, token, "PUT", `/documents/${doc}/translations/es/paragraphs/${pid}`, {
    text,
    baseRevision: 0,
  });
  expect(saved.status).toBe(200);
}

const USERS = [
  ["tina", "tina-password"],
  ["edna", "edna-password"],
  ["admin", ADMIN_PASSWORD],
] as const;

describe("the editor's memory panel (issue #14)", () => {
  const ctx = useServerAndBrowser();
  let admin = "";
  beforeAll(async () => {
    admin = await apiToken(ctx.url);
    await createUser(ctx.url, "tina", "translator");
    await createUser(ctx.url, "edna", "editor");
  });

  it("marks an assembled suggestion's sentences not found, and selects the kept source on insert", async () => {
    const { url } = ctx;
    // Two paragraphs of two sentences each teach the memory four sentence pairs.
    const seed = await newDocument(url, admin, [
      "Seed",
      "The minister of economy spoke to the press on Monday morning. Filler words alpha beta gamma delta.",
      "Completely different opening words here today. The central bank said it would not change its rates this year.",
    ]);
    await translate(
      url,
      admin,
      seed.doc,
      seed.pids[1] as string,
      "El ministro de Economía habló con la prensa el lunes por la mañana. Palabras de relleno alfa beta gamma delta.",
    );
    await translate(
      url,
      admin,
      seed.doc,
      seed.pids[2] as string,
      "Palabras de apertura completamente distintas hoy. El banco central dijo que no cambiaría sus tipos este año.",
    );
    const missing = "Nobody expected it.";
    const { doc, pids } = await newDocument(url, admin, [
      "Assembly",
      `The minister of economy spoke to the press on Monday morning. ${missing} The central bank said it would not change its rates this year.`,
    ]);
    const pid = pids[1] as string;
    const expected = `El ministro de Economía habló con la prensa el lunes por la mañana. ${missing} El banco central dijo que no cambiaría sus tipos este año.`;

    for (const [i, user] of USERS.entries()) {
      const spanish = i === 2;
      const page = await openEditor(ctx.browser, url, user, doc, spanish ? { locale: "es-ES" } : {});
      const row = page.locator(`#p-${pid}`);
      const area = row.locator("textarea");
      await area.focus();
      const match = row.locator(".memory-match").first();
      // The sentence not found is marked in the panel, in the source language, with the label.
      const marked = match.locator(".memory-missing");
      await expect.poll(read.count(marked)).toBe(1);
      expect(await marked.textContent()).toBe(
        `${missing} (${spanish ? "no encontrada: queda el original" : "not found: the source stands"})`,
      );
      expect(await marked.locator("span[lang=en]").textContent()).toBe(missing);
      await area.press("Control+1");
      await expect.poll(read.value(area)).toBe(expected);
      // The kept English is selected, to be typed over, and the row says so.
      const selected = await area.evaluate((el) =>
        (el as HTMLTextAreaElement).value.slice(
          (el as HTMLTextAreaElement).selectionStart,
          (el as HTMLTextAreaElement).selectionEnd,
        ),
      );
      expect(selected).toBe(missing);
      const notice = row.locator(".memory-notice[role=status]");
      expect(await notice.textContent()).toContain(
        spanish ? "se quedan en el idioma original" : "left in the source language",
      );
      if (user[0] === "tina") {
        await page.keyboard.type("Nadie lo esperaba.");
        await expect.poll(read.value(area)).toBe(expected.replace(missing, "Nadie lo esperaba."));
      }
      await page.context().close();
    }
  });

  it("offers a one-sentence paragraph its sentence from a longer one, saying so and where it came from", async () => {
    const { url } = ctx;
    const seed = await newDocument(url, admin, [
      "Budget night",
      "The senate passed the budget after midnight. Opposition senators walked out before the vote.",
    ]);
    await translate(
      url,
      admin,
      seed.doc,
      seed.pids[1] as string,
      "El Senado aprobó el presupuesto pasada la medianoche. Los senadores de la oposición se retiraron antes de la votación.",
    );
    const { doc, pids } = await newDocument(url, admin, [
      "Walkout",
      "Opposition senators walked out before the vote.",
    ]);
    const pid = pids[1] as string;
    for (const [i, user] of USERS.entries()) {
      const spanish = i === 1;
      const page = await openEditor(ctx.browser, url, user, doc, spanish ? { locale: "es-ES" } : {});
      const row = page.locator(`#p-${pid}`);
      const area = row.locator("textarea");
      await area.focus();
      const match = row.locator(".memory-match").first();
      await expect.poll(read.text(match.locator(".memory-meta"))).toContain("Budget night");
      expect(await match.locator(".memory-meta").textContent()).toContain(
        spanish ? " · Una frase de un párrafo más largo" : " · A sentence of a longer paragraph",
      );
      expect(await match.locator(".memory-score").textContent()).toContain("99");
      await area.press("Control+1");
      await expect
        .poll(read.value(area))
        .toBe("Los senadores de la oposición se retiraron antes de la votación.");
      await page.context().close();
    }
  });

  it("asks again on each focus of a row: a match saved since shows without a reload, the old list kept meanwhile", async () => {
    const { url } = ctx;
    for (const [i, user] of USERS.entries()) {
      const source = [
        "The governor of the province announced a new budget for public hospitals.",
        "Fishermen on the northern coast protested against the quota for anchovies.",
        "A late frost damaged most of the vineyards in the valley this spring.",
      ][i] as string;
      const { doc, pids } = await newDocument(url, admin, ["Stale", source, "Another paragraph to move to."]);
      const [, first, second] = pids as [string, string, string];
      const page = await openEditor(ctx.browser, url, user, doc, i === 2 ? { locale: "es-ES" } : {});
      const row = page.locator(`#p-${first}`);
      const area = row.locator("textarea");
      await area.focus();
      const panel = row.locator(".memory-matches");
      await expect.poll(read.text(panel)).toMatch(/No match in the memory|No hay coincidencias/);
      // Once a list is shown, the panel never goes back to "looking" while it asks again.
      await panel.evaluate((el) => {
        const w = window as unknown as { panelStates: string[] };
        w.panelStates = [];
        new MutationObserver(() => w.panelStates.push(el.textContent ?? "")).observe(el, {
          childList: true,
          subtree: true,
          characterData: true,
        });
      });
      // Someone else saves the same source's translation in another document.
      const other = await newDocument(url, admin, [`Elsewhere ${i}`, source]);
      const text = `El gobernador anunció un presupuesto nuevo (${i}).`;
      await translate(url, admin, other.doc, other.pids[1] as string, text);
      await page.locator(`#p-${second} textarea`).focus();
      await area.focus();
      await expect.poll(read.text(row.locator(".memory-match").first())).toContain(text);
      const states = await page.evaluate(() => (window as unknown as { panelStates: string[] }).panelStates);
      expect(states.some((s) => /Looking in the memory|Buscando en la memoria/.test(s))).toBe(false);
      await page.context().close();
    }
  });

  it("inserts an imported unit's text without its inline codes into a plain-text translation, and says so", async () => {
    const { url } = ctx;
    const tmx = `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="OmegaT" creationtoolversion="6" segtype="sentence" o-tmf="OmegaT" adminlang="en" srclang="en" datatype="plaintext"/>
<body><tu>
<tuv xml:lang="en"><seg><bpt i="1">&lt;b&gt;</bpt>Cabinet<ept i="1">&lt;/b&gt;</ept> approved the plan for 30 new schools<ph x="2">&lt;br/&gt;</ph></seg></tuv>
<tuv xml:lang="es"><seg>El <bpt i="1">&lt;b&gt;</bpt>Gabinete<ept i="1">&lt;/b&gt;</ept> aprobó el plan de 30 escuelas nuevas<ph x="2">&lt;br/&gt;</ph></seg></tuv>
</tu></body></tmx>`;
    const editor = await apiToken(url, "edna", "edna-password");
    const imported = await fetch(`${url}/api/v1/memory/import?sourceLang=en&targetLang=es`, {
      method: "POST",
      headers: { "Content-Type": "application/x-tmx+xml", Authorization: `Bearer ${editor}` },
      body: tmx,
    });
    expect(imported.status).toBe(200);
    for (const [i, user] of USERS.entries()) {
      const spanish = i === 1;
      const { doc, pids } = await newDocument(url, editor, [
        "Schools",
        "Cabinet approved the plan for 30 new schools.",
      ]);
      const page = await openEditor(ctx.browser, url, user, doc, spanish ? { locale: "es-ES" } : {});
      const row = page.locator(`#p-${pids[1]}`);
      const area = row.locator("textarea");
      await area.focus();
      const match = row.locator(".memory-match").first();
      await expect.poll(read.count(match.locator(".memory-text .memory-code"))).toBe(3);
      await area.press("Control+1");
      await expect.poll(read.value(area)).toBe("El Gabinete aprobó el plan de 30 escuelas nuevas");
      expect(await row.locator(".memory-notice").textContent()).toContain(
        spanish ? "todo el texto entre ellos está" : "all the text between them is there",
      );
      // Saved once, as the last user: the saved text would be the others' best match.
      if (i === USERS.length - 1) {
        await area.press("Control+Enter");
        await expect.poll(read.className(row)).toContain("status-translated");
      }
      await page.context().close();
    }
  });

  it("names the scores and insert buttons in both languages, and the shortcut list takes the focus", async () => {
    const { url } = ctx;
    const source = "The mayor opened the new bridge over the river on Sunday afternoon.";
    const seed = await newDocument(url, admin, ["Bridge", source]);
    await translate(url, admin, seed.doc, seed.pids[1] as string, "El alcalde inauguró el puente nuevo.");
    const { doc, pids } = await newDocument(url, admin, ["Bridge again", source]);
    for (const [locale, score, name] of [
      ["en-US", "100%", "Insert suggestion 1 (Ctrl+1), 100%"],
      ["es-ES", "100\u00a0%", "Insertar la sugerencia 1 (Ctrl+1), 100\u00a0%"],
    ] as const) {
      for (const user of USERS) {
        const page = await openEditor(ctx.browser, url, user, doc, { locale });
        const area = page.locator(`#p-${pids[1]} textarea`);
        await area.focus();
        const button = page.locator(`#p-${pids[1]} .memory-insert`).first();
        await expect.poll(read.text(button.locator(".memory-score"))).toBe(score);
        expect(await button.getAttribute("aria-label")).toBe(name);
        await expect.poll(read.count(page.getByRole("button", { name, exact: true }))).toBe(1);
        // "?" from outside a text field opens the list of keys, which takes the focus; Esc gives it back.
        await page.locator("h1").first().click();
        await page.keyboard.press("?");
        const help = page.locator("#shortcuts");
        await expect.poll(read.focused(help)).toBe(true);
        await page.keyboard.press("Escape");
        await expect.poll(read.visible(help)).toBe(false);
        await page.context().close();
      }
    }
  });

  it("Ctrl+K opens the concordance on a phone too, Esc closes it, and the count says when there may be more", async () => {
    const { url } = ctx;
    const units = Array.from(
      { length: 21 },
      (_, i) =>
        `<tu><tuv xml:lang="en"><seg>The flamingo count ${i + 1}.</seg></tuv><tuv xml:lang="es"><seg>El recuento de flamencos ${i + 1}.</seg></tuv></tu>`,
    ).join("");
    const editor = await apiToken(url, "edna", "edna-password");
    const imported = await fetch(`${url}/api/v1/memory/import?sourceLang=en&targetLang=es`, {
      method: "POST",
      headers: { "Content-Type": "application/x-tmx+xml", Authorization: `Bearer ${editor}` },
      body: `<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body>${units}</body></tmx>`,
    });
    expect(imported.status).toBe(200);
    const { doc, pids } = await newDocument(url, admin, ["Birds", "Flamingos were counted."]);
    for (const [i, user] of USERS.entries()) {
      const spanish = i === 0;
      const page = await openEditor(ctx.browser, url, user, doc, {
        width: 375,
        ...(spanish ? { locale: "es-ES" } : {}),
      });
      const area = page.locator(`#p-${pids[1]} textarea`);
      await area.focus();
      await page.keyboard.press("Control+k");
      const input = page.locator('#concordance input[name="q"]');
      await expect.poll(read.visible(input)).toBe(true);
      await expect.poll(read.focused(input)).toBe(true);
      await input.fill("flamingo");
      await input.press("Enter");
      const results = page.locator("#concordance .concordance-results");
      await expect
        .poll(read.text(results))
        .toContain(spanish ? "Primeros 20 resultados; puede haber más" : "First 20 hits; there may be more");
      expect(await results.locator("li").count()).toBe(20);
      await input.press("Escape");
      await expect.poll(read.visible(input)).toBe(false);
      await expect.poll(read.focused(area)).toBe(true);
      await page.context().close();
    }
  });

  it("links a concordance hit that already is a term to it, and offers no term for a hit only in the translation", async () => {
    const { url } = ctx;
    const editor = await apiToken(url, "edna", "edna-password");
    const imported = await fetch(`${url}/api/v1/memory/import?sourceLang=en&targetLang=es`, {
      method: "POST",
      headers: { "Content-Type": "application/x-tmx+xml", Authorization: `Bearer ${editor}` },
      body: `<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body><tu><tuv xml:lang="en"><seg>The Casa Rosada kept quiet about the envoy.</seg></tuv><tuv xml:lang="es"><seg>La Casa Rosada calló sobre el enviado.</seg></tuv></tu></body></tmx>`,
    });
    expect(imported.status).toBe(200);
    const terms = await apiCall(url, admin, "GET", "/glossary?q=Casa%20Rosada");
    const casa = (terms.body.terms as { id: string; source: string }[]).find(
      (x) => x.source === "Casa Rosada",
    );
    expect(casa).toBeDefined();
    const { doc } = await newDocument(url, admin, ["Glossary", "A paragraph."]);
    for (const [i, user] of USERS.entries()) {
      const spanish = i === 1;
      const page = await openEditor(ctx.browser, url, user, doc, spanish ? { locale: "es-ES" } : {});
      await page.keyboard.press("Control+k");
      const input = page.locator('#concordance input[name="q"]');
      const results = page.locator("#concordance .concordance-results");
      await input.fill("casa rosada");
      await input.press("Enter");
      const link = results.locator(`a[href="/glossary/terms/${casa?.id}"]`).first();
      await expect.poll(read.text(link)).toBe(spanish ? "En el glosario" : "In the glossary");
      expect(await results.locator('a[href^="/glossary/terms/new"]').count()).toBe(0);
      // "calló" is only in the translation: no term to add from it.
      await input.fill("calló");
      await input.press("Enter");
      await expect.poll(read.text(results)).toContain("calló");
      expect(await results.locator('a[href^="/glossary/terms/"]').count()).toBe(0);
      // A phrase of the source that is no term yet: editors are offered to add it.
      await input.fill("envoy");
      await input.press("Enter");
      await expect.poll(read.text(results)).toContain("envoy");
      expect(await results.locator('a[href^="/glossary/terms/new"]').count()).toBe(
        user[0] === "tina" ? 0 : 1,
      );
      await page.context().close();
    }
  });

  it("drops a late answer for a row the focus has left, and shows the row's own matches when it comes back", async () => {
    const { url } = ctx;
    const sources = [
      "The harbour master closed the port to small boats until the storm passes.",
      "Volunteers planted two thousand oak trees along the old railway line.",
    ];
    const [textA, textB] = [
      "El capitán del puerto lo cerró a las barcas hasta que pase la tormenta.",
      "Los voluntarios plantaron dos mil robles junto a la vieja vía del tren.",
    ] as const;
    // Another document teaches the memory both sentences: each row has a match of its own, told apart
    // by its text.
    const seed = await newDocument(url, admin, ["Harbour and oaks", ...sources]);
    await translate(url, admin, seed.doc, seed.pids[1] as string, textA);
    await translate(url, admin, seed.doc, seed.pids[2] as string, textB);
    const { doc, pids } = await newDocument(url, admin, ["Harbour and oaks again", ...sources]);
    const [, a, b] = pids as [string, string, string];
    const suggestionsOfA = `**/api/v1/documents/${doc}/translations/es/paragraphs/${a}/suggestions`;
    for (const [i, user] of USERS.entries()) {
      const page = await openEditor(ctx.browser, url, user, doc, i === 1 ? { locale: "es-ES" } : {});
      // A's first answer is held back 1.5 s, as a slow network would; B's passes at once, and so does
      // A's next one (the route serves once).
      let done = () => {};
      const released = new Promise<void>((resolve) => {
        done = resolve;
      });
      await page.route(
        suggestionsOfA,
        async (route: Route) => {
          try {
            const response = await route.fetch();
            await new Promise((resolve) => setTimeout(resolve, 1500));
            // The page may have given the request up when the focus left the row: nobody to answer then.
            await route.fulfill({ response }).catch(() => {});
          } finally {
            done();
          }
        },
        { times: 1 },
      );
      const rowA = page.locator(`#p-${a}`);
      const rowB = page.locator(`#p-${b}`);
      // A is asked only once the focus has stayed 150 ms: B is focused after A's request is out.
      const sent = page.waitForRequest(suggestionsOfA);
      await rowA.locator("textarea").focus();
      await sent;
      await rowB.locator("textarea").focus();
      await expect.poll(read.text(rowB.locator(".memory-match").first())).toContain(textB);
      // A's answer comes after B's. Leaving A gives its request up, and an answer that comes anyway is
      // dropped (`current !== row`): either one keeps it out. The page is given time to (wrongly) draw it.
      await released;
      await page.waitForTimeout(500);
      expect(await page.locator("body").textContent()).not.toContain(textA);
      expect(await read.text(rowB.locator(".memory-matches"))()).toContain(textB);
      // Back on A, its matches are asked again and shown: the dropped answer left nothing stuck.
      await rowA.locator("textarea").focus();
      await expect.poll(read.text(rowA.locator(".memory-match").first())).toContain(textA);
      expect(await read.text(rowB.locator(".memory-matches"))()).toContain(textB);
      await page.context().close();
    }
  });

  it("hides the Ctrl+K hint when scripts are off, where the key does nothing", async () => {
    const { url } = ctx;
    const { doc } = await newDocument(url, admin, ["No script", "A paragraph."]);
    const context = await ctx.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInPage(page, url, "tina", "tina-password");
    await page.goto(`${url}/documents/${doc}/es`);
    const summary = page.locator("#concordance summary");
    expect(await summary.isVisible()).toBe(true);
    expect(await summary.locator(".keys").isVisible()).toBe(false);
    await context.close();
    const withScript = await openEditor(ctx.browser, url, ["tina", "tina-password"], doc);
    await expect.poll(read.visible(withScript.locator("#concordance summary .keys"))).toBe(true);
    await withScript.context().close();
  });
});
