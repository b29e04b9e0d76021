import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPgpMimeMessage, encodeHeaderText } from "../../src/delivery/pgp-mime.ts";
import { SmtpTransport, classifySmtpError, parseSmtpUrl } from "../../src/delivery/smtp.ts";
import { DeliveryError } from "../../src/delivery/transport.ts";
import { CANARY, type TestKey, createGpgHome, generateTestKey, sealForTest } from "./fixtures.ts";
import { type SmtpHarness, parseMime, startSmtpServer } from "./smtp-server-harness.ts";

describe("SMTP transport (PGP/MIME, RFC 3156)", () => {
  let server: SmtpHarness;
  let key: TestKey;
  let gpg: Awaited<ReturnType<typeof createGpgHome>>;

  beforeAll(async () => {
    server = await startSmtpServer({ user: "relay@example.org", pass: "s3cr@t:pw" });
    key = await generateTestKey();
    gpg = await createGpgHome(key.armoredPrivate);
  });
  afterAll(async () => {
    await server.close();
    await gpg.dispose();
  });

  it("delivers a multipart/encrypted mail that GnuPG decrypts, with no user data in any header", async () => {
    const plaintext = `Melding over ${CANARY}\nWat er gebeurde: ${CANARY}`;
    const handoff = await sealForTest(plaintext, key, randomUUID());
    const transport = new SmtpTransport({
      to: "counsellor@example.org",
      from: "vertrouwd@example.org",
      subject: "Vertrouwd: nieuw versleuteld bericht",
      smtpUrl: `smtp://${encodeURIComponent("relay@example.org")}:${encodeURIComponent("s3cr@t:pw")}@127.0.0.1:${server.port}`,
    });

    const confirmation = await transport.deliver(handoff);

    expect(confirmation.transport).toBe("smtp");
    expect(confirmation.reference).toBe(`<vertrouwd.${handoff.caseId}@example.org>`);
    expect(server.received).toHaveLength(1);
    const mail = server.received[0];
    expect(mail?.from).toBe("vertrouwd@example.org");
    expect(mail?.to).toEqual(["counsellor@example.org"]);

    const message = parseMime(mail?.raw ?? "");
    const contentType = message.headers.get("content-type") ?? "";
    expect(contentType).toMatch(/^multipart\/encrypted;\s*protocol="application\/pgp-encrypted";/);
    expect(message.headers.get("subject")).toBe("Vertrouwd: nieuw versleuteld bericht");
    expect(message.headers.get("message-id")).toBe(`<vertrouwd.${handoff.caseId}@example.org>`);
    expect(message.headers.get("mime-version")).toBe("1.0");

    expect(message.parts).toHaveLength(2);
    const [control, encrypted] = message.parts;
    expect(control?.headers.get("content-type")).toBe("application/pgp-encrypted");
    expect(control?.body.trim()).toBe("Version: 1");
    expect(encrypted?.headers.get("content-type")).toMatch(/^application\/octet-stream/);
    expect(encrypted?.body.trim()).toBe(handoff.armored.trim().replace(/\r?\n/g, "\r\n"));

    const decrypted = await gpg.decrypt(encrypted?.body ?? "");
    expect(decrypted).toBe(plaintext);

    const headerBlock = (mail?.raw ?? "").split("\r\n\r\n")[0] ?? "";
    expect(headerBlock).not.toContain(CANARY);
    expect(headerBlock.toLowerCase()).not.toContain("jansen");
  });

  it("sends the same Message-ID on a second attempt for the same case", async () => {
    const handoff = await sealForTest("second", key);
    const transport = new SmtpTransport({
      to: "counsellor@example.org",
      from: "vertrouwd@example.org",
      subject: "Nieuw bericht",
      smtpUrl: `smtp://relay%40example.org:s3cr%40t%3Apw@127.0.0.1:${server.port}`,
    });
    const before = server.received.length;
    await transport.deliver(handoff);
    await transport.deliver(handoff);
    const ids = server.received.slice(before).map((m) => parseMime(m.raw).headers.get("message-id"));
    expect(ids).toEqual([
      `<vertrouwd.${handoff.caseId}@example.org>`,
      `<vertrouwd.${handoff.caseId}@example.org>`,
    ]);
  });

  it("reports bad credentials as a permanent failure without quoting the server", async () => {
    const handoff = await sealForTest("auth", key);
    const transport = new SmtpTransport({
      to: "counsellor@example.org",
      from: "vertrouwd@example.org",
      subject: "Nieuw bericht",
      smtpUrl: `smtp://relay%40example.org:wrong@127.0.0.1:${server.port}`,
    });
    const error = await transport.deliver(handoff).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).retryable).toBe(false);
    expect((error as DeliveryError).message).toBe("SMTP server answered 535 to AUTH (permanent failure)");
  });

  it("verifies the server in the network check and reports an unreachable one", async () => {
    const ok = new SmtpTransport({
      to: "c@example.org",
      from: "v@example.org",
      subject: "x",
      smtpUrl: `smtp://relay%40example.org:s3cr%40t%3Apw@127.0.0.1:${server.port}`,
    });
    expect(await ok.check({ network: false })).toEqual([]);
    expect(await ok.check({ network: true })).toEqual([]);
    const closed = await startSmtpServer();
    await closed.close();
    const down = new SmtpTransport({
      to: "c@example.org",
      from: "v@example.org",
      subject: "x",
      smtpUrl: `smtp://127.0.0.1:${closed.port}`,
    });
    const problems = await down.check({ network: true });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/check failed: SMTP connection failed \(E[A-Z]+\)/);
  });
});

describe("SMTP_URL parsing", () => {
  it("requires STARTTLS for smtp:// to anything but loopback", () => {
    expect(parseSmtpUrl("smtp://mail.example.org")).toEqual({
      host: "mail.example.org",
      port: 587,
      secure: false,
      requireTLS: true,
    });
    expect(parseSmtpUrl("smtp://127.0.0.1:2525")).toMatchObject({ port: 2525, requireTLS: false });
    expect(parseSmtpUrl("smtp://[::1]:25")).toMatchObject({ host: "::1", requireTLS: false });
    expect(parseSmtpUrl("smtp://localhost:25")).toMatchObject({ requireTLS: false });
  });

  it("uses implicit TLS for smtps:// and decodes credentials", () => {
    expect(parseSmtpUrl("smtps://bot%40example.org:p%2Fw%3A1@mail.example.org")).toEqual({
      host: "mail.example.org",
      port: 465,
      secure: true,
      requireTLS: false,
      auth: { user: "bot@example.org", pass: "p/w:1" },
    });
  });

  it("rejects other schemes and garbage without echoing the value", () => {
    expect(() => parseSmtpUrl("http://mail.example.org")).toThrow(/must start with smtp:\/\/ or smtps:\/\//);
    expect(() => parseSmtpUrl("not a url with secret")).toThrow("SMTP_URL is not a valid URL");
    expect(() => parseSmtpUrl("not a url with secret")).not.toThrow(/secret/);
  });
});

describe("PGP/MIME building", () => {
  it("encodes a non-ASCII subject as RFC 2047 words and refuses header injection", () => {
    const encoded = encodeHeaderText("Vertrouwd: nieuw bericht — één");
    expect(encoded).toMatch(/^=\?UTF-8\?B\?/);
    const decoded = encoded
      .split("\r\n ")
      .map((w) => Buffer.from(w.slice(10, -2), "base64").toString("utf8"))
      .join("");
    expect(decoded).toBe("Vertrouwd: nieuw bericht — één");
    expect(() => encodeHeaderText("x\r\nBcc: evil@example.org")).toThrow();
  });

  it("puts the version part before the ciphertext part", () => {
    const raw = buildPgpMimeMessage({
      from: "a@example.org",
      to: "b@example.org",
      subject: "s",
      messageId: "<m@example.org>",
      armored: "-----BEGIN PGP MESSAGE-----\n\nabc\n-----END PGP MESSAGE-----\n",
    });
    const parsed = parseMime(raw);
    expect(parsed.parts.map((p) => p.headers.get("content-type")?.split(";")[0])).toEqual([
      "application/pgp-encrypted",
      "application/octet-stream",
    ]);
  });
});

describe("SMTP error classification", () => {
  it("maps reply codes and network errors", () => {
    expect(classifySmtpError({ responseCode: 451, command: "RCPT TO" }).retryable).toBe(true);
    expect(classifySmtpError({ responseCode: 554, command: "DATA" }).retryable).toBe(false);
    expect(classifySmtpError({ code: "ECONNECTION" }).retryable).toBe(true);
    expect(classifySmtpError({ code: "ETIMEDOUT" }).retryable).toBe(true);
    expect(classifySmtpError({ code: "ETLS" }).retryable).toBe(false);
    const quoted = classifySmtpError({
      responseCode: 550,
      response: `550 no such user ${CANARY}`,
      message: CANARY,
    });
    expect(quoted.message).not.toContain(CANARY);
  });
});
