import { describe, expect, it } from "vitest";
import { apiToken, createUser, read, signInPage, useServerAndBrowser } from "./browser.ts";

const DOC = "/documents/el-pais-trump-milei";

describe("source updates in Chromium", () => {
  const ctx = useServerAndBrowser();

  it("an admin previews a corrected source, cancels, then applies it; a translator fixes the outdated paragraph", async () => {
    const admin = await (await ctx.browser.newContext()).newPage();
    await signInPage(admin, ctx.url);
    // A translation made against version 1.
    await admin.goto(`${ctx.url}${DOC}/es`);
    await admin.locator("#editor[data-ready]").waitFor({ state: "attached" });
    await admin.locator("#t-p4").fill("La conversación tuvo lugar el martes.");
    await admin.locator("#t-p4").press("Control+Enter");
    await expect.poll(read.text(admin.locator("#p-p4 .save-state"))).toMatch(/Saved/);

    // From the keyboard: after Ctrl+Enter the page scrolls to the next paragraph and the sticky head
    // compacts, so a click at the link's place of a moment before can land beside it.
    await admin.getByRole("link", { name: "Update source" }).press("Enter");
    await admin.waitForURL(/\/source$/);
    const area = admin.getByLabel("New source text");
    const text = await area.inputValue();
    expect(text).toContain("The conversation took place on Tuesday");
    await area.fill(text.replace("on Tuesday", "on Wednesday"));
    await admin.getByRole("button", { name: "Preview" }).click();
    await expect.poll(read.text(admin.locator("h1"))).toContain("Preview");
    expect(await admin.locator(".source-plan ins").first().textContent()).toContain("Wednesday");
    expect(await admin.locator(".source-languages td").nth(1).textContent()).toBe("1");

    // Cancel: nothing changed.
    await admin.getByRole("link", { name: "Cancel" }).click();
    await admin.goto(`${ctx.url}${DOC}/history`);
    expect(await admin.locator("table.revisions tbody tr").count()).toBe(1);

    // Preview again, then Apply.
    await admin.goto(`${ctx.url}${DOC}/source`);
    await admin.getByLabel("New source text").fill(text.replace("on Tuesday", "on Wednesday"));
    await admin.getByRole("button", { name: "Preview" }).click();
    await admin.getByRole("button", { name: "Apply" }).click();
    await expect.poll(read.text(admin.locator(".flash.ok"))).toContain("version 2");
    expect(await admin.locator("table.revisions tbody tr").count()).toBe(2);

    // The admin makes a translator, who finds the outdated paragraph under "Needs work" and confirms it.
    await admin.goto(`${ctx.url}/admin/users`);
    const form = admin.locator('form[action="/admin/users"]');
    await form.getByLabel("Username").fill("tina");
    await form.getByLabel("Initial password").fill("tina-password");
    await form.getByLabel("Role").selectOption("translator");
    await form.getByRole("button", { name: "Create user" }).click();
    await expect.poll(read.text(admin.locator(".flash.ok"))).toContain("tina");

    const tina = await (await ctx.browser.newContext()).newPage();
    await signInPage(tina, ctx.url, "tina", "tina-password");
    await tina.goto(`${ctx.url}${DOC}/es?filter=needs-work`);
    await tina.locator("#editor[data-ready]").waitFor({ state: "attached" });
    const row = tina.locator("#p-p4");
    expect(await read.className(row)()).toContain("status-outdated");
    expect(await row.locator(".source-change del").first().textContent()).toContain("Tuesday");
    expect(await row.locator(".source-change ins").first().textContent()).toContain("Wednesday");
    expect(await tina.locator("#t-p4").inputValue()).toBe("La conversación tuvo lugar el martes.");
    await tina.locator("#t-p4").fill("La conversación tuvo lugar el miércoles.");
    await tina.locator("#t-p4").press("Control+Enter");
    await expect.poll(read.text(row.locator(".save-state"))).toMatch(/Saved/);
    await expect.poll(read.className(row)).toContain("status-translated");
    expect(await row.locator(".source-change").count()).toBe(0);
    // Translated against the new source, with warnings at most: no longer under "Needs work".
    await tina.reload();
    await tina.locator("#editor[data-ready]").waitFor({ state: "attached" });
    expect(await tina.locator("#p-p4").count()).toBe(0);
    await tina.goto(`${ctx.url}${DOC}/es`);
    expect(await read.className(tina.locator("#p-p4"))()).not.toContain("status-outdated");
  });

  it("a page opened before an update hears of it, and a save or approve there shows the new source first", async () => {
    const token = await apiToken(ctx.url);
    const call = async (method: string, path: string, body: unknown) => {
      const res = await fetch(`${ctx.url}/api/v1${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    const doc = (await (
      await fetch(`${ctx.url}/api/v1${DOC}`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as {
      version: number;
      paragraphs: { id: string; source: string }[];
    };
    await createUser(ctx.url, "tom", "translator");
    await createUser(ctx.url, "eva", "editor");
    const roles = [
      { user: "tom", pid: "p5", approve: false },
      { user: "eva", pid: "p6", approve: true },
      { user: "admin", pid: "p7", approve: true },
    ];
    const pages = [];
    for (const role of roles) {
      const page = await (await ctx.browser.newContext()).newPage();
      if (role.user === "admin") await signInPage(page, ctx.url);
      else await signInPage(page, ctx.url, role.user, `${role.user}-password`);
      await page.goto(`${ctx.url}${DOC}/es`);
      await page.locator("#editor[data-ready]").waitFor({ state: "attached" });
      await page.locator(`#t-${role.pid}`).fill(`Texto de ${role.user}.`);
      pages.push(page);
    }
    // An editor elsewhere corrects the three paragraphs.
    let version = doc.version;
    const sources = doc.paragraphs.map((p) =>
      ["p5", "p6", "p7"].includes(p.id) ? `${p.source} (Corrected.)` : p.source,
    );
    const put = await call("PUT", `${DOC}/source`, {
      format: "text",
      content: sources.join("\n\n"),
      baseVersion: version,
    });
    expect(put.status).toBe(200);
    version = put.body.document.version;

    for (const [i, role] of roles.entries()) {
      const page = pages[i] as (typeof pages)[number];
      await expect
        .poll(read.text(page.locator("#source-updated")), { timeout: 10_000 })
        .toContain(`version ${version}`);
      // Said where the translator is looking: in view while the row being written is.
      const inView = await page.locator("#source-updated").evaluate((el) => {
        const box = el.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
      });
      expect(inView).toBe(true);
      const row = page.locator(`#p-${role.pid}`);
      await page.locator(`#t-${role.pid}`).press("Control+Enter");
      await expect.poll(read.text(row.locator(".save-state"))).toMatch(/source of this paragraph changed/);
      expect(await row.locator(".source p").textContent()).toContain("(Corrected.)");
      expect(await page.locator(`#t-${role.pid}`).inputValue()).toBe(`Texto de ${role.user}.`);
      // Seen now: the next save goes through, against the new source.
      await page.locator(`#t-${role.pid}`).press("Control+Enter");
      await expect.poll(read.text(row.locator(".save-state"))).toMatch(/Saved/);
      if (role.approve) {
        await row.locator("button.approve").click();
        await expect.poll(read.className(row)).toContain("status-approved");
      }
    }
  });

  it("a review page open during an update shows the new source before the editor approves", async () => {
    const token = await apiToken(ctx.url);
    const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const doc = (await (await fetch(`${ctx.url}/api/v1${DOC}`, { headers })).json()) as {
      version: number;
      paragraphs: { id: string; source: string }[];
    };
    const saved = await fetch(`${ctx.url}/api/v1${DOC}/translations/es/paragraphs/p9`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ text: "Texto para revisar.", baseRevision: 0 }),
    });
    expect(saved.status).toBe(200);
    await createUser(ctx.url, "rita", "editor");
    const rita = await (await ctx.browser.newContext()).newPage();
    await signInPage(rita, ctx.url, "rita", "rita-password");
    await rita.goto(`${ctx.url}${DOC}/es/review`);
    await rita.locator("#review[data-ready]").waitFor({ state: "attached" });
    const card = rita.locator("#r-p9");
    await card.waitFor();
    const sources = doc.paragraphs.map((p) => (p.id === "p9" ? `${p.source} (Corrected.)` : p.source));
    const put = await fetch(`${ctx.url}/api/v1${DOC}/source`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ format: "text", content: sources.join("\n\n"), baseVersion: doc.version }),
    });
    expect(put.status).toBe(200);
    await expect
      .poll(read.text(rita.locator("#presence")), { timeout: 10_000 })
      .toContain("The article was updated");
    await expect.poll(read.text(rita.locator("#r-p9")), { timeout: 10_000 }).toContain("(Corrected.)");
    await rita.locator("#r-p9").getByRole("button", { name: "Approve" }).click();
    await expect.poll(read.count(rita.locator("#r-p9"))).toBe(0);
    const after = await fetch(`${ctx.url}/api/v1${DOC}/translations/es`, { headers });
    const p9 = ((await after.json()) as { paragraphs: { id: string; status: string }[] }).paragraphs.find(
      (p) => p.id === "p9",
    );
    expect(p9?.status).toBe("approved");
  });
});
