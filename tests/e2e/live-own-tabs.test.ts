/**
 * One user with the same translation open twice (two tabs, or two windows of two sessions), as the
 * Chromium trial found it: a save in one never reached the other, whose next save then met a
 * conflict with "Someone else saved this paragraph – tina saved revision 1". Each tab must show the
 * other's saves, approvals and comments as it shows anyone's, and the tab that saved must not show its
 * own save a second time.
 */

import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  apiCall,
  apiToken,
  createUser,
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

describe("one user's two tabs on one translation, in Chromium", () => {
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
});
