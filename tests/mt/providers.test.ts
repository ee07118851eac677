import { afterEach, describe, expect, it } from "vitest";
import { DeepLTranslator, deeplBaseUrl, deeplTarget } from "../../server/mt/deepl.ts";
import { LibreTranslateTranslator } from "../../server/mt/libretranslate.ts";
import {
  MachineTranslationError,
  type MachineTranslator,
  ProviderPausedError,
} from "../../server/mt/provider.ts";
import { ReliableTranslator } from "../../server/mt/reliable.ts";
import { MachineTranslation } from "../../server/mt/service.ts";
import { deeplHandler, libreHandler, type Stub, startStub } from "./stubs.ts";

const pair = { source: "en", target: "es" };
const stubs: Stub[] = [];
async function stub(...args: Parameters<typeof startStub>) {
  const s = await startStub(...args);
  stubs.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(stubs.splice(0).map((s) => s.close()));
});

async function failure(promise: Promise<unknown>): Promise<MachineTranslationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MachineTranslationError);
  return error as MachineTranslationError;
}

describe("LibreTranslate provider", () => {
  it("sends a batch to POST /translate with the key and reads translatedText", async () => {
    const s = await stub(libreHandler({ key: "k1" }));
    const libre = new LibreTranslateTranslator({ url: s.url, key: "k1" });
    expect(
      await libre.translate(["the house", "Zqx0z is red"], pair, { signal: AbortSignal.timeout(2000) }),
    ).toEqual(["THE HOUSE", "Zqx0z IS RED"]);
    expect(s.requests[0]?.body).toEqual({
      q: ["the house", "Zqx0z is red"],
      source: "en",
      target: "es",
      format: "text",
      api_key: "k1",
    });
    expect(await libre.pairs()).toContainEqual({ source: "en", target: "es" });
  });

  it("names a bad key (403) and rate limiting (429) without the key", async () => {
    const s = await stub(libreHandler({ key: "right" }));
    const wrong = await failure(
      new LibreTranslateTranslator({ url: s.url, key: "wrong-secret" }).translate(["x"], pair, {
        signal: AbortSignal.timeout(2000),
      }),
    );
    expect(wrong.failure).toBe("unauthorized");
    expect(wrong.message).not.toContain("wrong-secret");
    const limited = await stub(() => ({ status: 429, body: { error: "Slowdown: 1 per 1 second" } }));
    expect(
      (
        await failure(
          new LibreTranslateTranslator({ url: limited.url }).translate(["x"], pair, {
            signal: AbortSignal.timeout(2000),
          }),
        )
      ).failure,
    ).toBe("rate_limited");
  });

  it("treats a wrong-shaped answer as a bad response", async () => {
    const s = await stub(() => ({ status: 200, body: { translatedText: ["only one"] } }));
    const error = await failure(
      new LibreTranslateTranslator({ url: s.url }).translate(["a", "b"], pair, {
        signal: AbortSignal.timeout(2000),
      }),
    );
    expect(error.failure).toBe("bad_response");
  });
});

describe("DeepL provider", () => {
  it("picks the free or pro endpoint by key, and DeepL's target codes", () => {
    expect(deeplBaseUrl("abc:fx")).toBe("https://api-free.deepl.com");
    expect(deeplBaseUrl("abc")).toBe("https://api.deepl.com");
    expect(deeplBaseUrl("abc", "http://127.0.0.1:1")).toBe("http://127.0.0.1:1");
    expect([deeplTarget("es"), deeplTarget("en"), deeplTarget("pt-BR"), deeplTarget("es-AR")]).toEqual([
      "ES",
      "EN-US",
      "PT-BR",
      "ES",
    ]);
  });

  it("translates with the key in the header, XML tags kept, and a glossary created once per entry set", async () => {
    const s = await stub(deeplHandler({ key: "dk:fx" }));
    const deepl = new DeepLTranslator({ key: "dk:fx", url: s.url });
    const glossary = [{ source: "spokesperson", target: "vocero" }];
    const options = { signal: AbortSignal.timeout(2000), glossary };
    expect(await deepl.translate(['the <x i="0"/> spokesperson'], pair, options)).toEqual([
      'THE <x i="0"/> SPOKESPERSON',
    ]);
    await deepl.translate(["again"], pair, options);
    const translate = s.requests.filter((r) => r.path === "/v2/translate");
    expect(translate[0]?.body).toMatchObject({
      source_lang: "EN",
      target_lang: "ES",
      tag_handling: "xml",
      glossary_id: "g1",
    });
    expect(translate[1]?.body).toMatchObject({ glossary_id: "g1" });
    expect(s.requests.filter((r) => r.path === "/v2/glossaries")).toHaveLength(1);
    expect(s.requests.every((r) => r.headers.authorization === "DeepL-Auth-Key dk:fx")).toBe(true);
    expect(await deepl.pairs()).toContainEqual({ source: "en", target: "es" });
    const mt = new MachineTranslation([deepl], {} as never, async () => []);
    expect(await mt.supports(mt.providers[0] as never, { source: "en", target: "es-AR" })).toBe(true);
    expect(await mt.supports(mt.providers[0] as never, { source: "en", target: "fr" })).toBe(false);
  });

  it.each([
    [403, "unauthorized"],
    [429, "rate_limited"],
    [456, "quota_exceeded"],
    [503, "unavailable"],
  ] as const)("names HTTP %i as %s, never with the key", async (status, name) => {
    const s = await stub(deeplHandler({ key: "secret-deepl-key", status }));
    const error = await failure(
      new DeepLTranslator({ key: "secret-deepl-key", url: s.url }).translate(["x"], pair, {
        signal: AbortSignal.timeout(2000),
      }),
    );
    expect(error.failure).toBe(name);
    expect(`${error.message} ${error.stack}`).not.toContain("secret-deepl-key");
  });
});

/** A provider whose answers the test controls. */
function scripted(
  answer: (segments: readonly string[], signal: AbortSignal) => Promise<string[]>,
): MachineTranslator & { calls: number } {
  const engine = {
    name: "scripted",
    placeholders: "token" as const,
    calls: 0,
    pairs: async () => [pair],
    translate: (segments: readonly string[], _pair: unknown, options: { signal: AbortSignal }) => {
      engine.calls++;
      return answer(segments, options.signal);
    },
  };
  return engine;
}

describe("reliability: deadline, cache, circuit breaker", () => {
  const options = { timeoutMs: 100, cacheSize: 10, failureThreshold: 2, cooldownMs: 1000 };

  it("gives up on a provider that does not answer within the deadline", async () => {
    const s = await stub(() => ({ status: 200, body: { translatedText: ["late"] }, delayMs: 1000 }));
    const reliable = new ReliableTranslator(new LibreTranslateTranslator({ url: s.url }), options);
    const started = Date.now();
    expect(
      (await failure(reliable.translate(["x"], pair, { signal: new AbortController().signal }))).failure,
    ).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(900);
  });

  it("answers repeated segments from its cache, per pair", async () => {
    const engine = scripted(async (segments) => segments.map((s) => `<${s}>`));
    const reliable = new ReliableTranslator(engine, options);
    const signal = new AbortController().signal;
    expect(await reliable.translate(["a", "b"], pair, { signal })).toEqual(["<a>", "<b>"]);
    expect(await reliable.translate(["b", "a", "c"], pair, { signal })).toEqual(["<b>", "<a>", "<c>"]);
    expect(engine.calls).toBe(2);
    await reliable.translate(["a"], { source: "en", target: "fr" }, { signal });
    expect(engine.calls).toBe(3);
  });

  it("remembers a document's names", async () => {
    let asked = 0;
    const engine = {
      ...scripted(async (segments) => [...segments]),
      names: async () => {
        asked++;
        return ["Trump"];
      },
    };
    const reliable = new ReliableTranslator(engine, options);
    const signal = new AbortController().signal;
    expect(await reliable.names?.(["Donald Trump"], pair, signal)).toEqual(["Trump"]);
    expect(await reliable.names?.(["Donald Trump"], pair, signal)).toEqual(["Trump"]);
    await reliable.names?.(["Another text"], pair, signal);
    expect(asked).toBe(2);
  });

  it("opens after repeated failures, skips the provider, then lets one call try again", async () => {
    let now = 0;
    let down = true;
    const engine = scripted(async (segments) => {
      if (down) throw new MachineTranslationError("scripted", "unavailable");
      return [...segments];
    });
    const reliable = new ReliableTranslator(engine, options, () => now);
    const signal = new AbortController().signal;
    await failure(reliable.translate(["1"], pair, { signal }));
    await failure(reliable.translate(["2"], pair, { signal }));
    expect(reliable.circuit).toBe("open");
    expect((await failure(reliable.translate(["3"], pair, { signal }))).failure).toBe("circuit_open");
    expect(engine.calls).toBe(2);
    now = 1500;
    expect(reliable.circuit).toBe("half-open");
    down = false;
    expect(await reliable.translate(["4"], pair, { signal })).toEqual(["4"]);
    expect(reliable.circuit).toBe("closed");
  });

  it("says when a paused provider is tried again: the end of the cooldown, or the trial call's deadline", async () => {
    let now = 10_000;
    let release: () => void = () => undefined;
    let mode: "down" | "slow" = "down";
    const engine = scripted(async (segments) => {
      if (mode === "down") throw new MachineTranslationError("scripted", "unavailable");
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return [...segments];
    });
    const reliable = new ReliableTranslator(
      engine,
      { ...options, timeoutMs: 5000, cooldownMs: 30_000 },
      () => now,
    );
    const signal = new AbortController().signal;
    await failure(reliable.translate(["1"], pair, { signal }));
    await failure(reliable.translate(["2"], pair, { signal }));
    expect(reliable.retryAt).toBe(40_000);
    now = 15_500;
    const paused = await failure(reliable.translate(["3"], pair, { signal }));
    expect(paused).toBeInstanceOf(ProviderPausedError);
    expect(paused.failure).toBe("circuit_open");
    expect((paused as ProviderPausedError).retryAt).toBe(40_000);
    expect((paused as ProviderPausedError).retryAfter(now)).toBe(25);
    // Half-open: one call tries; the others wait for its deadline.
    now = 41_000;
    mode = "slow";
    const trial = reliable.translate(["4"], pair, { signal });
    const waiting = await failure(reliable.translate(["5"], pair, { signal }));
    expect((waiting as ProviderPausedError).retryAt).toBe(46_000);
    release();
    expect(await trial).toEqual(["4"]);
    expect(reliable.retryAt).toBeUndefined();
  });
});
