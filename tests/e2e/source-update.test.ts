import { describe, expect, it } from "vitest";
import { read, signInPage, useServerAndBrowser } from "./browser.ts";

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

    await admin.getByRole("link", { name: "Update source" }).click();
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
    await tina.reload();
    expect(await read.className(tina.locator("#p-p4"))()).not.toContain("status-outdated");
  });
});
