/**
 * The README's first command, as a newcomer runs it: `npm run demo` with piped input, in a fresh
 * working directory. The handoff it produces opens with `vertrouwd open` and with real gpg.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GnupgHome, createGnupgHome, importSecret } from "../crypto/helpers.ts";
import { freePort } from "../store/helpers.ts";
import { ENTRY, TSX, runCli } from "../support/spawn.ts";

const CANARY = "DEMO-CANARY-42-pesten-bij-de-koffieautomaat";
const run = (args: string[], cwd: string, stdin: string, env: NodeJS.ProcessEnv = {}) =>
  runCli(args, { cwd, stdin, env });

/**
 * Answers for: continue, acknowledge, to the form (chat); then in the form: first report,
 * bullying, the external counsellor, anonymous, fill in, the fields…, send.
 */
const SCRIPT = [
  "1",
  "1",
  "1",
  "1",
  "4",
  "2",
  "1",
  "1",
  `${CANARY}`,
  "tweede regel",
  "", // what (multi-line, ends with an empty line)
  "vorige week", // when
  "", // where (skip)
  "",
  "",
  "",
  "", // who, witnesses, impact, urgent (skip)
  "1", // wishes: only to be heard
  "1", // send
].join("\n");

let cwd: string;
let gpg: GnupgHome;
beforeAll(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), "vt-demo-e2e-"));
  gpg = await createGnupgHome();
});
afterAll(async () => {
  await gpg.cleanup();
  await rm(cwd, { recursive: true, force: true });
});

describe("npm run demo", () => {
  it("holds a whole conversation from piped input and ends with a handoff gpg and `open` can read", async () => {
    const r = await run(["demo"], cwd, `${SCRIPT}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Eerst: wat gebeurt er met wat je deelt?");
    expect(r.stdout).toMatch(/Je zaakcode: VT-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    expect(r.stdout).toContain("Status: afgeleverd bij de vertrouwenspersoon.");
    // No hash of the ciphertext is shown to the melder: it would tie them to the delivered file.
    expect(r.stdout).not.toMatch(/\b[0-9a-f]{64}\b/);
    expect(r.stderr).not.toContain(CANARY);

    const outbox = path.join(cwd, ".vertrouwd/outbox");
    const [file] = (await readdir(outbox)).filter((f) => f.endsWith(".asc"));
    expect(file).toBeDefined();
    const filePath = path.join(outbox, file!);
    expect(r.stdout).toContain(`open .vertrouwd/outbox/${file}`);
    const caseCode = r.stdout.match(/Je zaakcode: (VT-[0-9A-Z]{4}-[0-9A-Z]{4})/)?.[1];

    // Only the ciphertext is on disk: no file under the demo's directory holds the canary.
    const walk = async (dir: string): Promise<string[]> =>
      (
        await Promise.all(
          (
            await readdir(dir, { withFileTypes: true })
          ).map((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)])),
        )
      ).flat();
    for (const f of await walk(cwd)) expect(await readFile(f, "utf8"), f).not.toContain(CANARY);

    const opened = await run(
      [
        "open",
        filePath,
        "--key",
        ".vertrouwd/demo-keys/demo-extern.private.asc",
        "--verify",
        ".vertrouwd/demo-keys/bot.public.asc",
      ],
      cwd,
      "",
    );
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout).toContain(CANARY);
    expect(opened.stderr).toContain("good signature");

    await importSecret(
      gpg,
      await readFile(path.join(cwd, ".vertrouwd/demo-keys/demo-extern.private.asc"), "utf8"),
    );
    const decrypted = await gpg.gpg(["--decrypt", filePath]);
    expect(decrypted.stdout).toContain(CANARY);
    expect(decrypted.stdout).toContain("tweede regel");
    // The delivered file is this receipt's case: the same case code inside.
    expect(decrypted.stdout).toContain(`"caseCode": "${caseCode}"`);

    // A flipped ciphertext byte makes decryption fail.
    const armored = await readFile(filePath, "utf8");
    const lines = armored.split("\n");
    const i = Math.floor(lines.length / 2);
    const line = lines[i]!;
    lines[i] = (line[5] === "A" ? `${line.slice(0, 5)}B` : `${line.slice(0, 5)}A`) + line.slice(6);
    const flipped = await gpg.gpg(["--decrypt"], lines.join("\n"));
    // gpg streams what it decrypted before the integrity check fails; the exit status is what
    // a mail client acts on, and `open` never prints a message that fails the check.
    expect(flipped.code).not.toBe(0);
    const tampered = path.join(cwd, "tampered.asc");
    await import("node:fs/promises").then((fs) => fs.writeFile(tampered, lines.join("\n")));
    const openTampered = await run(
      ["open", tampered, "--key", ".vertrouwd/demo-keys/demo-extern.private.asc"],
      cwd,
      "",
    );
    expect(openTampered.code).toBe(1);
    expect(openTampered.stdout).not.toContain(CANARY);
  }, 60_000);

  it("handles empty input, unknown answers, commands and a too-long field without a stack trace or losing answers", async () => {
    const long = "x".repeat(10_001);
    const script = [
      "",
      "99",
      "banaan",
      "help", // nothing valid yet
      "1",
      "1",
      "1",
      "1",
      "4",
      "2",
      "1",
      "1",
      long,
      "", // too long: asked again
      "korte versie",
      "", // accepted
      "gisteren",
      "",
      "",
      "",
      "",
      "",
      "", // when, where, who, witnesses, impact, urgent, wishes
      "stop", // wipe everything
    ].join("\n");
    const r = await run(["demo", "--lang", "en"], cwd, `${script}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("I do not know that number");
    expect(r.stdout).toContain("is too long: at most 10,000 characters");
    expect(r.stdout).toContain("korte versie"); // the review shows what was entered after the retry
    expect(r.stdout).toContain("I have erased everything you filled in on this form");
    expect(r.stdout).toContain("You have stopped. I am erasing everything you filled in.");
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  }, 60_000);

  it("serves the secure web page on localhost with --web, on the demo counsellors, until Ctrl-C", async () => {
    const port = await freePort();
    const child = spawn(TSX, [ENTRY, "demo", "--web", "--port", String(port)], {
      cwd,
      env: { ...process.env, REDIS_URL: "", VERTROUWD_CONFIG: "", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await expect
        .poll(() => out, { timeout: 30_000 })
        .toContain(`the secure web page on http://localhost:${port}/web/`);
      const page = await fetch(`http://127.0.0.1:${port}/web/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script type="module" src="app.js" integrity="sha384-');
      const keys = (await (await fetch(`http://127.0.0.1:${port}/web/keys`)).json()) as {
        counsellors: { id: string }[];
      };
      expect(keys.counsellors.map((c) => c.id)).toEqual(["demo-intern", "demo-extern"]);
      // Loopback only: the demo's private keys are on this disk.
      expect(out).toContain("never for real reports");
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
