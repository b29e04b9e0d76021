/**
 * The web page's API over real HTTP, without a browser: what it hands out (display data, pinned
 * keys), what it accepts (a sealed report of the right shape, size and recipients, queued and
 * delivered like every other handoff), and what it refuses — each with a clear JSON error, the
 * security headers, and no delivery: wrong or extra recipients, tampered or foreign messages,
 * unpadded sizes, bodies over the limit, other sites, and bursts over the rate limits, which
 * replicas count together in Redis without keeping a client's address.
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IntakeContext } from "../../../flows/intake/machine.ts";
import type { Config } from "../../../src/config/schema.ts";
import { loadCounsellorKey } from "../../../src/crypto/keys.ts";
import { buildDocument } from "../../../src/handoff/build.ts";
import { newCaseIds } from "../../../src/handoff/case.ts";
import { openHandoff } from "../../../src/handoff/open.ts";
import { sealHandoff } from "../../../src/handoff/seal.ts";
import { generateStateKey } from "../../../src/store/index.ts";
import { type GnupgHome, createGnupgHome, dearmor, importSecret } from "../../crypto/helpers.ts";
import { REDIS_URL, deletePrefix, keysWithPrefix, rawClient, uniquePrefix } from "../../store/helpers.ts";
import { type WebHarness, webHarness } from "./harness.ts";

const DRAFT: IntakeContext = {
  locale: "nl",
  counsellorIds: ["demo-intern", "demo-extern"],
  mode: "report",
  topic: "bullying",
  counsellorId: "demo-extern",
  identity: "anonymous",
  report: { what: "API-TEST" },
  surface: "web",
};

let h: WebHarness;
const keys = new Map<string, openpgp.PublicKey>();

async function seal(recipients: string[], options: { hide?: boolean; caseId?: string } = {}) {
  const ids = { ...newCaseIds(new Date()), ...(options.caseId ? { caseId: options.caseId } : {}) };
  const doc = buildDocument(DRAFT, { id: "demo-extern", name: "Karim", kind: "external" }, ids, "web");
  const sealed = await sealHandoff(doc, {
    recipients: recipients.map((id) => keys.get(id) as openpgp.PublicKey),
    hideRecipients: options.hide ?? false,
  });
  return { caseId: ids.caseId, armored: sealed.armored };
}

async function post(
  target: WebHarness,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${target.origin}/web/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    json: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

const send = (target: WebHarness, body: unknown, headers: Record<string, string> = {}) =>
  post(target, "handoffs", body, headers);

function expectSecurityHeaders(headers: Headers): void {
  expect(headers.get("content-security-policy")).toContain("default-src 'self'");
  expect(headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  expect(headers.get("referrer-policy")).toBe("no-referrer");
  expect(headers.get("x-content-type-options")).toBe("nosniff");
  expect(headers.get("cache-control")).toBe("no-store");
}

/** Refused clearly, and nothing of it queued or delivered. */
async function expectRefused(
  result: Awaited<ReturnType<typeof post>>,
  status: number,
  error: string,
  caseId?: string,
): Promise<void> {
  expect(result.status).toBe(status);
  expect(result.json.error).toBe(error);
  expect(typeof result.json.message).toBe("string");
  expect(String(result.json.message).length).toBeGreaterThan(10);
  expectSecurityHeaders(result.headers);
  if (caseId) expect(await h.app.queue.status(caseId)).toBe("unknown");
}

function rearmor(binary: Uint8Array): string {
  return openpgp.armor(openpgp.enums.armor.message, binary, undefined, undefined, undefined, false, {
    ...openpgp.config,
    showVersion: false,
    showComment: false,
  });
}

beforeAll(async () => {
  // Many requests from one client here: the limits have their own test below.
  h = await webHarness({ web: { rateLimit: { handoffsPerClient: 1000 } } });
  for (const c of h.demo.config.counsellors) {
    keys.set(c.id, (await loadCounsellorKey(c.key, c.id, { baseDir: h.demo.baseDir })).key);
  }
});
afterAll(async () => h?.cleanup());

describe("what the web API hands out", () => {
  it("gives the flows' display data, and nothing about keys files, transports or secrets", async () => {
    const response = await fetch(`${h.origin}/web/config`);
    expect(response.status).toBe(200);
    expectSecurityHeaders(response.headers);
    const text = await response.text();
    const config = JSON.parse(text) as {
      directory: { counsellors: { id: string }[] };
      defaultLocale: string;
    };
    expect(config.defaultLocale).toBe("nl");
    expect(config.directory.counsellors.map((c) => c.id)).toEqual(["demo-intern", "demo-extern"]);
    expect(text).not.toMatch(/"publicKeyPath"|"fingerprint"|"delivery"|outbox|webFormUrl|signingKey/);
  });

  it("gives each counsellor's pinned public key, and only that key, with the fingerprint from the config", async () => {
    const response = await fetch(`${h.origin}/web/keys`);
    expectSecurityHeaders(response.headers);
    const body = (await response.json()) as {
      counsellors: { id: string; keys: { role: string; fingerprint: string; armored: string }[] }[];
    };
    for (const c of h.demo.config.counsellors) {
      const entry = body.counsellors.find((e) => e.id === c.id);
      expect(entry?.keys).toHaveLength(1);
      const [k] = entry?.keys ?? [];
      expect(k?.fingerprint).toBe(c.key.fingerprint);
      const parsed = await openpgp.readKeys({ armoredKeys: k?.armored ?? "" });
      expect(parsed).toHaveLength(1);
      expect(parsed[0]?.isPrivate()).toBe(false);
      expect(parsed[0]?.getFingerprint().toUpperCase()).toBe(c.key.fingerprint);
    }
  });

  it("answers unknown paths under /web with a JSON 404 and the same headers, and /web with the page", async () => {
    const missing = await fetch(`${h.origin}/web/nothing-here`);
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing.headers);
    expect(((await missing.json()) as { error: string }).error).toBe("not_found");
    const bare = await fetch(`${h.origin}/web`, { redirect: "manual" });
    expect(bare.status).toBe(308);
    expect(bare.headers.get("location")).toBe(h.pageUrl);
    const root = await fetch(`${h.origin}/`, { redirect: "manual" });
    expect(root.status).toBe(404);
  });
});

describe("what the web API accepts", () => {
  it("queues a sealed report, delivers it once under its case id, and tells its status", async () => {
    const { caseId, armored } = await seal(["demo-extern"]);
    const first = await send(h, { counsellorId: "demo-extern", caseId, armored });
    expect(first.status).toBe(202);
    expect(first.json).toEqual({ caseId, status: "queued" });
    expectSecurityHeaders(first.headers);
    // A send repeated after a lost answer: the same case, delivered once.
    const again = await send(h, {
      counsellorId: "demo-extern",
      caseId,
      armored: (await seal(["demo-extern"])).armored,
    });
    expect(again.status).toBe(202);
    await h.drain();
    expect((await h.outbox()).filter((f) => f.includes(caseId))).toHaveLength(1);
    const status = await post(h, "status", { caseId });
    expect(status.json).toEqual({ status: "delivered" });
    expect((await post(h, "status", { caseId: randomUUID() })).json).toEqual({ status: "unknown" });
  });
});

describe("what the web API refuses, clearly and without delivering", () => {
  it("a message for another counsellor, or for one key too many", async () => {
    const other = await seal(["demo-intern"]);
    await expectRefused(
      await send(h, { counsellorId: "demo-extern", ...other }, {}),
      422,
      "wrong_recipients",
      other.caseId,
    );
    const extra = await seal(["demo-extern", "demo-intern"]);
    await expectRefused(
      await send(h, { counsellorId: "demo-extern", ...extra }),
      422,
      "wrong_recipients",
      extra.caseId,
    );
    const hidden = await seal(["demo-extern"], { hide: true });
    await expectRefused(
      await send(h, { counsellorId: "demo-extern", ...hidden }),
      422,
      "wrong_recipients",
      hidden.caseId,
    );
  });

  it("a tampered message: a changed recipient key id, a cut-off message, a foreign armor block, garbage", async () => {
    const { caseId, armored } = await seal(["demo-extern"]);
    const binary = dearmor(armored);
    // The first packet is a session key (tag, one length byte, version 3, then the key id).
    const recipient = binary.slice();
    recipient[5] = (recipient[5] ?? 0) ^ 0x01;
    await expectRefused(
      await send(h, { counsellorId: "demo-extern", caseId, armored: rearmor(recipient) }),
      422,
      "wrong_recipients",
      caseId,
    );
    await expectRefused(
      await send(h, {
        counsellorId: "demo-extern",
        caseId,
        armored: rearmor(binary.slice(0, binary.length - 100)),
      }),
      422,
      "wrong_size",
      caseId,
    );
    const publicKey = keys.get("demo-extern")?.armor() ?? "";
    await expectRefused(
      await send(h, { counsellorId: "demo-extern", caseId, armored: publicKey }),
      422,
      "not_a_message",
      caseId,
    );
    await expectRefused(
      await send(h, { counsellorId: "demo-extern", caseId, armored: "not a message" }),
      422,
      "not_a_message",
      caseId,
    );
    // The right size, but not the shape seal.ts makes: encrypted to a password, not to a key.
    const symmetric = async (size: number) =>
      openpgp.encrypt({
        message: await openpgp.createMessage({ binary: new Uint8Array(size) }),
        passwords: ["geheim"],
        format: "binary",
        config: { aeadProtect: false, preferredCompressionAlgorithm: openpgp.enums.compression.uncompressed },
      });
    let foreign = await symmetric(1000);
    for (let i = 0; i < 4 && foreign.length !== 4096; i++)
      foreign = await symmetric(1000 + 4096 - foreign.length);
    expect(foreign.length).toBe(4096);
    await expectRefused(
      await send(h, { counsellorId: "demo-extern", caseId, armored: rearmor(foreign) }),
      422,
      "not_a_message",
      caseId,
    );
  });

  it("an unpadded message, whatever it holds", async () => {
    const message = await openpgp.createMessage({ text: "kort" });
    const unpadded = (await openpgp.encrypt({
      message,
      encryptionKeys: keys.get("demo-extern") as openpgp.PublicKey,
    })) as string;
    const caseId = randomUUID();
    await expectRefused(
      await send(h, { counsellorId: "demo-extern", caseId, armored: unpadded }),
      422,
      "wrong_size",
      caseId,
    );
  });

  it("a body over the limit, a body that is not JSON, a wrong shape, an unknown counsellor, another site", async () => {
    const caseId = randomUUID();
    const big = JSON.stringify({ counsellorId: "demo-extern", caseId, armored: "A".repeat(400_001) });
    await expectRefused(await send(h, big), 413, "too_large", caseId);
    await expectRefused(await send(h, "{not json"), 400, "bad_request");
    await expectRefused(
      await send(h, { counsellorId: "demo-extern", caseId, armored: "x", name: "extra" }),
      400,
      "bad_request",
      caseId,
    );
    await expectRefused(
      await send(h, { counsellorId: "demo-extern", caseId: "VT-AAAA-BBBB", armored: "x" }),
      400,
      "bad_request",
    );
    const { armored } = await seal(["demo-extern"]);
    await expectRefused(
      await send(h, { counsellorId: "nobody", caseId, armored }),
      422,
      "unknown_counsellor",
      caseId,
    );
    await expectRefused(
      await send(h, { counsellorId: "demo-extern", caseId, armored }, { "sec-fetch-site": "cross-site" }),
      403,
      "forbidden",
      caseId,
    );
    const form = await fetch(`${h.origin}/web/handoffs`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x",
    });
    expect(form.status).toBe(415);
    expectSecurityHeaders(form.headers);
  });

  it("lets a bit flipped inside the encrypted data through to the counsellor, whose OpenPGP refuses it", async () => {
    // The server holds no key, so it cannot see this kind of tampering (TLS keeps it off the way
    // here); what matters is that nothing altered is ever read as a report.
    const gpg: GnupgHome = await createGnupgHome();
    try {
      const extern = h.demo.keys.counsellors.find((k) => k.id === "demo-extern");
      await importSecret(gpg, await readFile(extern?.privateKeyPath ?? "", "utf8"));
      const { caseId, armored } = await seal(["demo-extern"]);
      const binary = dearmor(armored);
      binary[binary.length - 40] = (binary[binary.length - 40] ?? 0) ^ 0x01;
      const result = await send(h, { counsellorId: "demo-extern", caseId, armored: rearmor(binary) });
      expect(result.status).toBe(202);
      await h.drain();
      const file = (await h.outbox()).find((f) => f.includes(caseId)) ?? "";
      const delivered = await readFile(file, "utf8");
      const decrypted = await gpg.gpg(["--decrypt"], delivered);
      expect(decrypted.code).not.toBe(0);
      expect(decrypted.stderr).toMatch(/manipulated|MDC/i);
      // `vertrouwd open` releases nothing of a message whose integrity check fails.
      const privateKeyArmored = await readFile(extern?.privateKeyPath ?? "", "utf8");
      await expect(openHandoff(delivered, { privateKeyArmored })).rejects.toThrow();
    } finally {
      await gpg.cleanup();
    }
  });
});

describe("a counsellor whose key is refused", () => {
  it("is marked in the keys, and a report for them is refused with key_problem", async () => {
    const broken = await webHarness({
      config: (c: Config) => ({
        ...c,
        counsellors: c.counsellors.map((co) =>
          co.id === "demo-intern" ? { ...co, key: { ...co.key, publicKeyPath: "/nonexistent/key.asc" } } : co,
        ),
      }),
    });
    try {
      const answer = (await (await fetch(`${broken.origin}/web/keys`)).json()) as {
        counsellors: { id: string; problem?: string }[];
      };
      expect(answer.counsellors.find((c) => c.id === "demo-intern")?.problem).toBe("key");
      expect(answer.counsellors.find((c) => c.id === "demo-extern")?.problem).toBeUndefined();
      const sealed = await seal(["demo-intern"]);
      const result = await send(broken, { counsellorId: "demo-intern", ...sealed });
      expect(result.status).toBe(503);
      expect(result.json.error).toBe("key_problem");
      expect(await broken.app.queue.status(sealed.caseId)).toBe("unknown");
    } finally {
      await broken.cleanup();
    }
  });

  it("with a deputy, wants both keys: the counsellor's alone is refused", async () => {
    const withDeputy = await webHarness({
      config: (c: Config) => {
        const intern = c.counsellors.find((co) => co.id === "demo-intern");
        return {
          ...c,
          counsellors: c.counsellors.map((co) =>
            co.id === "demo-extern" && intern ? { ...co, deputy: { ...intern.key, name: "Sanne" } } : co,
          ),
        };
      },
    });
    try {
      const alone = await seal(["demo-extern"]);
      expect((await send(withDeputy, { counsellorId: "demo-extern", ...alone })).json.error).toBe(
        "wrong_recipients",
      );
      const both = await seal(["demo-intern", "demo-extern"]);
      expect((await send(withDeputy, { counsellorId: "demo-extern", ...both })).status).toBe(202);
    } finally {
      await withDeputy.cleanup();
    }
  });
});

describe("rate limits in the state store", () => {
  const prefix = uniquePrefix("web-rate");
  const env = {
    REDIS_URL,
    VERTROUWD_STATE_KEY: generateStateKey(),
    VERTROUWD_SERVER_SECRET: generateStateKey(),
    VERTROUWD_REDIS_PREFIX: prefix,
  };
  let a: WebHarness;
  let b: WebHarness;
  beforeAll(async () => {
    const options = {
      env,
      keyPrefix: prefix,
      web: { rateLimit: { handoffsPerClient: 3, handoffsOverall: 4 }, trustedProxies: 1 },
    };
    [a, b] = await Promise.all([webHarness(options), webHarness(options)]);
  });
  afterAll(async () => {
    await a?.cleanup();
    await b?.cleanup();
    await deletePrefix(prefix);
  });

  it("refuses a burst over the per-client limit on two replicas together, with Retry-After and no delivery", async () => {
    const client = { "x-forwarded-for": "203.0.113.7" };
    const results = [];
    for (let i = 0; i < 6; i++) {
      const sealed = await seal(["demo-extern"]);
      const result = await send(i % 2 === 0 ? a : b, { counsellorId: "demo-extern", ...sealed }, client);
      results.push({ ...result, caseId: sealed.caseId });
    }
    expect(results.map((r) => r.status)).toEqual([202, 202, 202, 429, 429, 429]);
    for (const r of results.slice(3)) {
      expect(r.json.error).toBe("rate_limited");
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(r.json.retryAfterSeconds).toBe(Number(r.headers.get("retry-after")));
      expectSecurityHeaders(r.headers);
      expect(await a.app.queue.status(r.caseId)).toBe("unknown");
    }
    // Another client (as the proxy saw it) still gets through, until the overall limit.
    const other = await send(
      a,
      { counsellorId: "demo-extern", ...(await seal(["demo-extern"])) },
      { "x-forwarded-for": "198.51.100.4" },
    );
    expect(other.status).toBe(202);
    const third = await send(
      b,
      { counsellorId: "demo-extern", ...(await seal(["demo-extern"])) },
      { "x-forwarded-for": "198.51.100.5" },
    );
    expect(third.status).toBe(429);
    expect(third.json.error).toBe("rate_limited");
  });

  it("keeps no address in Redis, and every rate-limit key expires", async () => {
    const client = await rawClient();
    try {
      const keysFound = (await keysWithPrefix(client, prefix)).filter((k) => k.includes("rl:"));
      expect(keysFound.length).toBeGreaterThan(0);
      for (const key of keysFound) {
        const count = await client.get(key);
        expect(count).toMatch(/^\d+$/);
        expect(key).not.toMatch(/203\.0\.113|198\.51\.100/);
        const ttl = await client.pTTL(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(61 * 60_000);
      }
    } finally {
      client.destroy();
    }
  });
});
