/**
 * Four defects of the editor found in a Chromium trial, each as it was met:
 * - one user with the same translation open twice (two tabs, or two windows of two sessions): a save
 *   in one never reached the other, whose next save then met a conflict with "Someone else saved this
 *   paragraph – tina saved revision 1". Each tab must show the other's saves, approvals and comments
 *   as it shows anyone's, and the tab that saved must not show its own save a second time;
 * - the memory panel stayed on "Looking in the memory…" for ever when its request failed;
 * - a click on a memory match's text inserted nothing (only its small numbered button did).
 */

import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  apiCall,
  apiToken,
  createUser,
  endSession,
  newDocument,
  openEditor,
  read,
  useServerAndBrowser,
} from "./browser.ts";

/** Every text a row's save state takes from now on, kept in the page. */
async function recordStates(page: Page, pid: string): Promise<void> {
  await page.locator(`#p-${pid} .meta`).evaluate((meta) => {
    const w = window as unknown as { states: string[] };
    w.states = [];
    new MutationObserver(() => w.states.push(meta.querySelector(".save-state")?.textContent ?? "")).observe(
      meta,
      { childList: true, subtree: true, characterData: true },
    );
  });
}

const states = (page: Page) => page.evaluate(() => (window as unknown as { states: string[] }).states);

const USERS = [
  ["tina", "tina-password"],
  ["edna", "edna-password"],
] as const;

/** Tabs from the focused element until `target` has the focus: false when it never does. */
async function tabTo(page: Page, target: ReturnType<Page["locator"]>): Promise<boolean> {
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press("Tab");
    if (await read.focused(target)()) return true;
  }
  return false;
}

describe("the editor after the Chromium trial", () => {
  const ctx = useServerAndBrowser();
  let admin = "";
  beforeAll(async () => {
    admin = await apiToken(ctx.url);
    await createUser(ctx.url, "tina", "translator");
    await createUser(ctx.url, "edna", "editor");
  });

  for (const [username, role, tabs] of [
    ["tina", "translator", "two tabs of one window"],
    ["edna", "editor", "two windows, each signed in"],
  ] as const) {
    it(`${username}, ${role === "editor" ? "an" : "a"} ${role} (${tabs}): a save in one tab arrives in the other, which then saves without a conflict`, async () => {
      const { url, browser } = ctx;
      const user = [username, `${username}-password`] as const;
      const { doc, pids } = await newDocument(url, admin, [
        "Two tabs",
        "The river rose two metres overnight.",
        "Schools in the valley stay closed on Monday.",
      ]);
      const [, pid, other] = pids as [string, string, string];
      const one = await openEditor(browser, url, user, doc);
      let two: Page;
      if (tabs === "two tabs of one window") {
        two = await one.context().newPage();
        await two.goto(`${url}/documents/${doc}/es`);
        await two.locator("#editor[data-ready]").waitFor({ state: "attached" });
      } else two = await openEditor(browser, url, user, doc);
      const errors: string[] = [];
      for (const page of [one, two]) page.on("pageerror", (e) => errors.push(e.message));
      // Each tab's stream is open before anything is saved: a tab says where its focus is only once
      // its stream has said hello.
      for (const [page, row] of [
        [one, pid],
        [two, other],
      ] as const) {
        const told = page.waitForResponse(
          (r) => r.url().endsWith("/presence") && (r.request().postData() ?? "").includes(row),
        );
        await page.locator(`#t-${row}`).focus();
        await told;
      }
      // Each tab says where the other one is: a save there is a save here.
      await expect
        .poll(read.text(one.locator(`#p-${other} .editing-by`)))
        .toBe("you are editing ¶3 in another tab");
      await expect
        .poll(read.text(two.locator(`#p-${pid} .editing-by`)))
        .toBe("you are editing ¶2 in another tab");

      // Saved in tab one: tab two shows the text, revision and status without a reload.
      await recordStates(one, pid);
      const first = "El río subió dos metros durante la noche.";
      await one.locator(`#t-${pid}`).fill(first);
      await one.locator(`#t-${pid}`).press("Control+Enter");
      await expect.poll(read.text(one.locator(`#p-${pid} .rev`))).toBe("r1");
      await expect.poll(read.value(two.locator(`#t-${pid}`))).toBe(first);
      await expect.poll(read.text(two.locator(`#p-${pid} .rev`))).toBe("r1");
      await expect.poll(read.className(two.locator(`#p-${pid}`))).toMatch(/status-translated/);
      expect(await two.locator(`#p-${pid} .save-state`).textContent()).toBe(`¶2 was changed by ${username}`);
      // The tab that saved shows its own save once: never as changed by someone, never unsaved.
      await one.waitForTimeout(300);
      expect((await states(one)).filter((s) => /changed by/.test(s))).toEqual([]);
      expect(await one.locator(`#p-${pid} .save-state`).textContent()).toBe("Saved");
      expect(await read.className(one.locator(`#p-${pid}`))()).not.toMatch(/remote-changed|unsaved/);

      // Tab two saves on top of it: no conflict, revision 2, and tab one follows.
      await recordStates(two, pid);
      const second = "El río creció dos metros durante la noche.";
      await two.locator(`#t-${pid}`).fill(second);
      await two.locator(`#t-${pid}`).press("Control+Enter");
      await expect.poll(read.text(two.locator(`#p-${pid} .rev`))).toBe("r2");
      expect(await two.locator(`#p-${pid} .conflict`).count()).toBe(0);
      expect(await two.locator(`#p-${pid} .save-state`).textContent()).toBe("Saved");
      await expect.poll(read.value(one.locator(`#t-${pid}`))).toBe(second);
      await expect.poll(read.text(one.locator(`#p-${pid} .rev`))).toBe("r2");
      await two.waitForTimeout(300);
      expect((await states(two)).filter((s) => /changed by/.test(s))).toEqual([]);

      // An editor's approval in one tab shows in the other; the approving tab says approved, not changed.
      if (role === "editor") {
        await recordStates(one, pid);
        await one.locator(`#p-${pid} button.approve`).click();
        await expect.poll(read.className(one.locator(`#p-${pid}`))).toMatch(/status-approved/);
        await expect.poll(read.className(two.locator(`#p-${pid}`))).toMatch(/status-approved/);
        expect(await two.locator(`#p-${pid} .save-state`).textContent()).toBe(
          `¶2 was approved by ${username}`,
        );
        await one.waitForTimeout(300);
        expect((await states(one)).filter((s) => /changed by/.test(s))).toEqual([]);
      }

      // A comment of the user's own, from elsewhere (here a script with the user's token): the thread
      // open in tab two, idle, shows it.
      const link = two.locator(`#p-${other} a.comments-link`);
      await link.click();
      await expect.poll(read.count(two.locator(".comment-panel"))).toBe(1);
      await two.locator("h1").first().click();
      const token = await apiToken(url, username, `${username}-password`);
      const comment = await apiCall(
        url,
        token,
        "POST",
        `/documents/${doc}/translations/es/paragraphs/${other}/comments`,
        { text: "¿Lunes o martes?", scope: "translation" },
      );
      expect(comment.status).toBe(201);
      await expect.poll(read.text(two.locator(".comment-panel"))).toContain("¿Lunes o martes?");
      await expect.poll(read.text(one.locator(`#p-${other} a.comments-link`))).toMatch(/1 open comment/);

      expect(errors).toEqual([]);
      await one.context().close();
      await two
        .context()
        .close()
        .catch(() => undefined);
    });
  }

  /** A document whose paragraph 1 has one match in the memory (`text`), and another paragraph. */
  async function withMatch(source: string, text: string) {
    const seed = await newDocument(ctx.url, admin, ["Seed", source], { 1: text });
    expect(seed.pids).toHaveLength(2);
    return newDocument(ctx.url, admin, ["Again", source, "Another paragraph to move to."]);
  }

  it("shows a rejection heard live with its reason, as a reload does, and says it was sent back (Spanish too)", async () => {
    const { url, browser } = ctx;
    const { doc, pids } = await newDocument(
      url,
      admin,
      ["Sent back", "The vote was postponed until Friday."],
      {
        1: "La votación se aplazó hasta el viernes.",
      },
    );
    const pid = pids[1] as string;
    for (const [lng, said, label] of [
      ["en", "¶2 was sent back by admin", "Rejected by admin:"],
      ["es", "admin ha devuelto el ¶2", "Rechazado por admin:"],
    ] as const) {
      const page = await openEditor(
        browser,
        url,
        ["tina", "tina-password"],
        doc,
        lng === "es" ? { locale: "es-ES" } : {},
      );
      const revisions = await apiCall(
        url,
        admin,
        "GET",
        `/documents/${doc}/translations/es/paragraphs/${pid}/revisions`,
      );
      const latest = revisions.body.revisions.at(-1).revision;
      const rejected = await apiCall(
        url,
        admin,
        "POST",
        `/documents/${doc}/translations/es/paragraphs/${pid}/review`,
        {
          action: "reject",
          revision: latest,
          comment: `Falta la hora (${lng}).`,
        },
      );
      expect(rejected.status).toBe(200);
      const row = page.locator(`#p-${pid}`);
      await expect.poll(read.text(row.locator(".rejection"))).toBe(`${label} Falta la hora (${lng}).`);
      expect(await row.locator(".save-state").textContent()).toBe(said);
      // Saved again: the reason goes, as a reload would show it.
      const saved = await apiCall(url, admin, "PUT", `/documents/${doc}/translations/es/paragraphs/${pid}`, {
        text: `La votación se aplazó hasta el viernes (${lng}).`,
        baseRevision: latest,
        status: "translated",
      });
      expect(saved.status).toBe(200);
      await expect.poll(read.count(row.locator(".rejection"))).toBe(0);
      await page.context().close();
    }
  });

  it("says the memory could not be reached, with a retry by keyboard, and asks again on the next focus", async () => {
    const source = "The city council voted to close the old market on Sundays.";
    const text = "El ayuntamiento votó cerrar el viejo mercado los domingos.";
    const { doc, pids } = await withMatch(source, text);
    const [, pid, other] = pids as [string, string, string];
    const suggestions = `**/api/v1/documents/${doc}/translations/es/paragraphs/${pid}/suggestions`;
    for (const [i, user] of USERS.entries()) {
      const spanish = i === 1;
      const page = await openEditor(ctx.browser, ctx.url, user, doc, spanish ? { locale: "es-ES" } : {});
      const row = page.locator(`#p-${pid}`);
      const area = row.locator("textarea");
      const panel = row.locator(".memory-matches");
      const unreachable = spanish
        ? "No se ha podido consultar la memoria."
        : "The memory could not be reached.";
      const retry = panel.getByRole("button", { name: spanish ? "Volver a intentarlo" : "Try again" });

      // The request fails (the network gone): the panel says so, not "looking" for ever.
      await page.route(suggestions, (route) => route.abort("internetdisconnected"));
      await area.focus();
      await expect.poll(read.text(panel)).toContain(unreachable);
      expect(await panel.textContent()).not.toMatch(/Looking in the memory|Buscando en la memoria/);
      expect(await panel.locator('[role="status"]').count()).toBe(1);

      // Retry, reached and pressed from the keyboard, once the memory answers again.
      await page.unroute(suggestions);
      expect(await tabTo(page, retry)).toBe(true);
      await page.keyboard.press("Enter");
      await expect.poll(read.text(row.locator(".memory-match").first())).toContain(text);
      expect(await panel.textContent()).not.toContain(unreachable);
      await expect.poll(read.focused(area)).toBe(true);

      // A server error this time: said the same way, the matches shown before kept under it.
      await page.route(suggestions, (route) => route.fulfill({ status: 503, body: "" }));
      await page.locator(`#t-${other}`).focus();
      await area.focus();
      await expect.poll(read.text(panel)).toContain(unreachable);
      expect(await panel.locator(".memory-match").count()).toBe(1);

      // The memory is back: the next focus of the row asks again by itself.
      await page.unroute(suggestions);
      await page.locator(`#t-${other}`).focus();
      await area.focus();
      await expect.poll(read.text(panel)).not.toContain(unreachable);
      expect(await panel.locator(".memory-match").first().textContent()).toContain(text);

      // The session ends (signed out elsewhere, the account disabled): said as that, not as a memory away.
      await endSession(page);
      await page.locator(`#t-${other}`).focus();
      await area.focus();
      await expect
        .poll(read.text(panel))
        .toContain(spanish ? "Tu sesión ha terminado" : "Your session has ended");
      expect(await panel.textContent()).not.toContain(unreachable);
      await page.context().close();
    }
  });

  it("inserts a match clicked on its text as its button does, but not at the end of a selection to copy", async () => {
    const source = "Fishermen protested in the harbour against the new anchovy quota.";
    const text = "Los pescadores protestaron en el puerto contra la nueva cuota de anchoa.";
    for (const [i, user] of USERS.entries()) {
      const { doc, pids } = await withMatch(source, text);
      const pid = pids[1] as string;
      const page = await openEditor(ctx.browser, ctx.url, user, doc, i === 1 ? { locale: "es-ES" } : {});
      const row = page.locator(`#p-${pid}`);
      const area = row.locator("textarea");
      await area.focus();
      const match = row.locator(".memory-match").first();
      const shown = match.locator(".memory-text");
      await expect.poll(read.text(shown)).toBe(text);

      // Selecting the match's words with the mouse, to copy them, inserts nothing.
      const box = await shown.boundingBox();
      if (!box) throw new Error("the match's text is not shown");
      await page.mouse.move(box.x + 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
      expect(await page.evaluate(() => window.getSelection()?.toString() ?? "")).not.toBe("");
      await page.waitForTimeout(200);
      expect(await area.inputValue()).toBe("");

      // A click on its text (or on its old source) inserts it, and the save records it as from the memory.
      await (i === 0 ? shown : match.locator(".memory-source")).click();
      await expect.poll(read.value(area)).toBe(text);
      await expect.poll(read.className(row)).toContain("unsaved");
      expect(await match.locator(".memory-insert").isVisible()).toBe(true);
      await area.press("Control+Enter");
      await expect.poll(read.className(row)).toContain("status-translated");
      const origins = await apiCall(ctx.url, admin, "GET", `/documents/${doc}/translations/es/origins`);
      expect(origins.body.fromMemory).toBe(1);
      await page.context().close();
    }
  });
});
