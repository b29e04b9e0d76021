/**
 * Promise: a mail server, a webhook receiver or anyone reading a handoff learns the day it was
 * sent, never the moment (issue 11 item 4): the signature packet, the literal data packet, the
 * mail's Date header and the webhook's signed timestamp all say 00:00 Europe/Amsterdam of the
 * day, and what travels is armored ciphertext padded to a size bucket.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketFor } from "../../src/crypto/padding.ts";
import { SmtpTransport } from "../../src/delivery/smtp.ts";
import { WebhookTransport } from "../../src/delivery/webhook.ts";
import { dayOf, dayStart } from "../../src/time/day.ts";
import { type GnupgHome, createGnupgHome, dearmor, importSecret } from "../crypto/helpers.ts";
import { startSmtpServer } from "../delivery/smtp-server-harness.ts";
import { testApp } from "../support/app.ts";
import { choose, report } from "../support/conversation.ts";

let gpg: GnupgHome;
beforeAll(async () => {
  gpg = await createGnupgHome();
});
afterAll(async () => gpg?.cleanup());

describe("what leaves says the day, not the moment", () => {
  it("signs and dates the sealed handoff at the start of the day", async () => {
    const t = await testApp();
    const form = await report(t.app.runtime, { platform: "slack", tenant: "T", user: "U-DAY" });
    await form.step(choose("send"));
    await t.drain();
    const [file] = await t.outbox();
    const armored = await readFile(file!, "utf8");
    const key = t.demo.keys.counsellors.find((k) => k.id === "demo-extern");
    await importSecret(gpg, await readFile(key!.privateKeyPath, "utf8"));
    const packets = await gpg.gpg(["--list-packets"], armored);
    const midnight = Math.floor(dayStart(dayOf(new Date())).getTime() / 1000);
    const created = [...packets.stdout.matchAll(/created (\d{9,})/g)].map((m) => Number(m[1]));
    // The one-pass signature, the signature and the literal data packet: all at midnight.
    expect(created.length).toBeGreaterThanOrEqual(2);
    for (const c of created) expect(c).toBe(midnight);
    expect(packets.stdout).toMatch(/sig created \d{4}-\d{2}-\d{2}/);
    // Padded: the binary message is exactly one of the size buckets.
    const size = dearmor(armored).length;
    expect(bucketFor(size)).toBe(size);
    await t.cleanup();
  });

  it("sends a mail dated at the start of the day", async () => {
    const smtp = await startSmtpServer();
    const transport = new SmtpTransport({
      to: "counsellor@example.test",
      from: "vertrouwd@example.test",
      subject: "Vertrouwd: nieuw versleuteld bericht",
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
    });
    const t = await testApp({ handoff: { transportFor: () => transport } });
    const form = await report(t.app.runtime, { platform: "slack", tenant: "T", user: "U-MAIL" });
    await form.step(choose("send"));
    await t.drain();
    const date = /^Date: (.+)$/m.exec(smtp.received[0]?.raw ?? "")?.[1];
    expect(date).toBeDefined();
    expect(new Date(date!).getTime()).toBe(dayStart(dayOf(new Date())).getTime());
    await t.cleanup();
    await smtp.close();
  });

  it("signs a webhook with the start of the day as its timestamp", async () => {
    const seen: Record<string, string>[] = [];
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      seen.push(req.headers as Record<string, string>);
      req.resume();
      req.on("end", () => res.writeHead(202).end());
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const transport = new WebhookTransport({
      url: `http://127.0.0.1:${port}/h`,
      secret: "x".repeat(40),
      timeoutMs: 5000,
    });
    const t = await testApp({ handoff: { transportFor: () => transport } });
    const form = await report(t.app.runtime, { platform: "slack", tenant: "T", user: "U-HOOK" });
    await form.step(choose("send"));
    await t.drain();
    expect(Number(seen[0]?.["x-vertrouwd-timestamp"]) * 1000).toBe(dayStart(dayOf(new Date())).getTime());
    expect(seen[0]?.["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
    await t.cleanup();
    await new Promise((r) => server.close(r));
  });
});
