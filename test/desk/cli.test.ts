/**
 * `vertrouwd desk` as a counsellor uses it: import, list, due, ack, feedback, status, note,
 * follow-up, show, annual-report, check — with one-line errors, the right exit codes, and no note
 * or report text in any unencrypted file.
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDesk } from "../../src/cli/desk.ts";
import { PASSPHRASE_ENV } from "../../src/cli/key-input.ts";
import { KEY_ENV, REGISTER_ENV } from "../../src/desk/location.ts";
import { sealHandoff } from "../../src/handoff/seal.ts";
import { generateEccKey, makeDoc } from "../crypto/helpers.ts";
import { captureIo } from "../support/cli-io.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NOTE_CANARY = "NOTITIE-KANARIE-7c1-vertrouwelijk";
const PASSPHRASE = "een lange zin als wachtwoord";
/** Tuesday 10 March 2026, 09:30 in Amsterdam. */
const NOW = new Date("2026-03-10T08:30:00Z");

let root: string;
let inbox: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "vt-desk-cli-"));
  inbox = path.join(root, "inbox");
  await mkdir(inbox);
  const anna = await generateEccKey("Anna", { passphrase: PASSPHRASE });
  const stranger = await generateEccKey("Stranger");
  await writeFile(path.join(root, "anna.key.asc"), anna.privateKey);
  const pub = await openpgp.readKey({ armoredKey: anna.publicKey });
  const docs = [
    makeDoc({ caseCode: "VT-INT1-0001", date: "2026-03-06", topic: "integrity", kind: "report" }),
    makeDoc({ caseCode: "VT-BUL1-0002", date: "2026-03-09", topic: "bullying" }),
    makeDoc({
      caseCode: "VT-WRG1-0003",
      date: "2026-02-20",
      topic: "wrongdoing",
      kind: "contact",
      report: undefined,
    }),
    makeDoc({ caseCode: "VT-OUT1-0004", date: "2026-01-15", topic: "performance" }),
  ];
  for (const d of docs)
    await writeFile(
      path.join(inbox, `${d.caseId}.asc`),
      (await sealHandoff(d, { recipients: [pub] })).armored,
    );
  const strangerPub = await openpgp.readKey({ armoredKey: stranger.publicKey });
  await writeFile(
    path.join(inbox, "not-mine.asc"),
    (await sealHandoff(makeDoc(), { recipients: [strangerPub] })).armored,
  );
  env = {
    [KEY_ENV]: path.join(root, "anna.key.asc"),
    [REGISTER_ENV]: path.join(root, "register"),
    [PASSPHRASE_ENV]: PASSPHRASE,
  };
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function desk(argv: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string } = {}) {
  const { io, result } = captureIo(options.stdin);
  const code = await runDesk(argv, { ...io, now: () => NOW }, options.env ?? env);
  return { code, ...result() };
}

/** One line, prefixed, no stack trace. */
function oneLine(stderr: string): void {
  expect(stderr.trim().split("\n")).toHaveLength(1);
  expect(stderr).toMatch(/^vertrouwd desk: /);
  expect(stderr).not.toMatch(/\n\s+at /);
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p)));
    else out.push(p);
  }
  return out;
}

describe("vertrouwd desk", () => {
  it("explains itself", async () => {
    const r = await desk(["help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("usage: vertrouwd desk <command>");
    expect(r.stdout).toContain("annual-report --year <year>");
  });

  it("says what is missing, in one line", async () => {
    const noKey = await desk(["list"], { env: { [REGISTER_ENV]: path.join(root, "register") } });
    expect(noKey.code).toBe(2);
    oneLine(noKey.stderr);
    expect(noKey.stderr).toContain(KEY_ENV);

    const noRegister = await desk(["list"]);
    expect(noRegister.code).toBe(1);
    oneLine(noRegister.stderr);
    expect(noRegister.stderr).toMatch(/no register at .* yet/);

    const unknown = await desk(["frobnicate"]);
    expect(unknown.code).toBe(2);
    oneLine(unknown.stderr);

    const badOption = await desk(["list", "--colour"]);
    expect(badOption.code).toBe(2);
    oneLine(badOption.stderr);
  });

  it("asks for the passphrase, or says how to give it", async () => {
    const wrong = await desk(["list"], { env: { ...env, [PASSPHRASE_ENV]: "fout" } });
    expect(wrong.code).toBe(1);
    oneLine(wrong.stderr);
    expect(wrong.stderr).toContain("passphrase for the private key is wrong");
    const none = await desk(["list"], { env: { ...env, [PASSPHRASE_ENV]: "" } });
    expect(none.code).toBe(1);
    oneLine(none.stderr);
    expect(none.stderr).toContain(PASSPHRASE_ENV);
  });

  it("imports a folder of handoffs, and says which one is not for this key", async () => {
    const r = await desk(["import", inbox, "--lang", "en"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^imported +VT-INT1-0001 \(received 2026-03-06\) from .*; acknowledgement due 2026-03-13$/m,
    );
    expect(r.stdout).toMatch(/^failed +.*not-mine\.asc: not encrypted to your key$/m);
    expect(r.stdout).toContain("4 imported, 0 already in the register, 1 failed");
    expect(r.stdout).toContain(`register: ${path.join(root, "register")}`);
    const again = await desk([
      "import",
      path.join(inbox, (await readdir(inbox)).find((f) => f !== "not-mine.asc") as string),
    ]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^al aanwezig +VT-/m);
    expect(again.stdout).toContain("0 ingelezen, 1 al aanwezig, 0 mislukt");
  });

  it("lists open cases newest first, with the next deadline and a mark when it is near or past", async () => {
    const r = await desk(["list", "--lang", "en"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        "    CASE          RECEIVED    KIND             TOPIC                     STATUS  NEXT DEADLINE",
        "    VT-BUL1-0002  2026-03-09  report           unwanted behaviour        new     —",
        "!   VT-INT1-0001  2026-03-06  report           integrity and wrongdoing  new     acknowledgement 2026-03-13 (in 3 days)",
        "!!  VT-WRG1-0003  2026-02-20  contact request  integrity and wrongdoing  new     acknowledgement 2026-02-27 (11 days late)",
        "    VT-OUT1-0004  2026-01-15  report           outside the role          new     —",
        "",
        "4 open cases; 1 due within 7 days; 1 overdue. !! = overdue or today, ! = within 7 days",
        "",
      ].join("\n"),
    );
    const nl = await desk(["list"]);
    expect(nl.stdout).toContain("ZAAK          ONTVANGEN");
    expect(nl.stdout).toContain("ontvangstbevestiging 2026-02-27 (11 dagen te laat)");
  });

  it("records an acknowledgement, feedback, status and follow-up date", async () => {
    const late = await desk(["ack", "wrg1-0003", "--date", "2026-03-02"]);
    expect(late.code, late.stderr).toBe(0);
    expect(late.stdout).toBe(
      "VT-WRG1-0003: ontvangstbevestiging vastgelegd op 2026-03-02; volgende termijn: terugkoppeling 2026-06-02\n",
    );
    const same = await desk(["ack", "VT-WRG1-0003", "--date", "2026-03-02", "--lang", "en"]);
    expect(same.stdout).toContain("already recorded on 2026-03-02; nothing changed");
    const future = await desk(["ack", "VT-INT1-0001", "--date", "2026-03-11"]);
    expect(future.code).toBe(2);
    oneLine(future.stderr);
    const early = await desk(["ack", "VT-INT1-0001", "--date", "2026-03-01"]);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain("before the case was received");
    const today = await desk(["ack", "VT-INT1-0001", "--lang", "en"]);
    expect(today.stdout).toBe(
      "VT-INT1-0001: acknowledgement recorded on 2026-03-10; next: feedback 2026-06-10\n",
    );
    const undo = await desk(["ack", "VT-INT1-0001", "--undo", "--lang", "en"]);
    expect(undo.stdout).toBe("VT-INT1-0001: acknowledgement withdrawn; next: acknowledgement 2026-03-13\n");
    await desk(["ack", "VT-INT1-0001"]);
    const feedback = await desk(["feedback", "VT-INT1-0001", "--date", "2026-03-10"]);
    expect(feedback.code, feedback.stderr).toBe(0);

    const noReason = await desk(["status", "VT-OUT1-0004", "closed"]);
    expect(noReason.code).toBe(2);
    oneLine(noReason.stderr);
    expect(noReason.stderr).toContain("referred");
    const closed = await desk(["status", "VT-OUT1-0004", "closed", "--reason", "referred", "--lang", "en"]);
    expect(closed.stdout).toBe("VT-OUT1-0004: closed (referred)\n");
    const busy = await desk(["status", "VT-BUL1-0002", "in-progress", "--lang", "en"]);
    expect(busy.stdout).toBe("VT-BUL1-0002: in progress\n");

    const follow = await desk(["follow-up", "VT-BUL1-0002", "+2w", "--lang", "en"]);
    expect(follow.stdout).toBe(
      "VT-BUL1-0002: own follow-up date 2026-03-24; next: own follow-up date 2026-03-24\n",
    );

    const none = await desk(["ack", "VT-NOPE-0000"]);
    expect(none.code).toBe(1);
    oneLine(none.stderr);
    expect(none.stderr).toContain("no case VT-NOPE-0000");
  });

  it("lists what is due, and the closed cases only with --all", async () => {
    const due = await desk(["due", "--days", "14", "--lang", "en"]);
    expect(
      due.stdout
        .split("\n")
        .filter((l) => l.includes("VT-"))
        .map((l) => l.trim().split(/\s+/)[0]),
    ).toEqual(["VT-BUL1-0002"]);
    const dueMarked = await desk(["list", "--due", "100", "--lang", "en"]);
    expect(dueMarked.stdout).toContain("VT-WRG1-0003");
    expect(dueMarked.stdout).not.toContain("VT-OUT1-0004");
    const all = await desk(["list", "--all", "--lang", "en"]);
    expect(all.stdout).toContain("closed: referred");
  });

  it("keeps a note encrypted: typed on stdin, shown by show, in no file in the clear", async () => {
    const r = await desk(["note", "VT-BUL1-0002", "--lang", "en"], {
      stdin: `Eerste gesprek ${NOTE_CANARY}\nvolgende week bellen\n`,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("VT-BUL1-0002: note saved (1 in total), encrypted in the register\n");
    const empty = await desk(["note", "VT-BUL1-0002"], { stdin: "  \n" });
    expect(empty.code).toBe(2);
    const show = await desk(["show", "VT-BUL1-0002", "--lang", "en"]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(NOTE_CANARY);
    expect(show.stdout).toContain("Case VT-BUL1-0002");
    expect(show.stdout).toContain("Zaakcode: VT-BUL1-0002"); // the handoff, in the melder's language
    expect(show.stdout).toContain("status: in progress");
    for (const file of await allFiles(path.join(root, "register"))) {
      const text = await readFile(file, "utf8");
      expect(text).not.toContain(NOTE_CANARY);
      expect(text).not.toContain("VT-BUL1-0002");
    }
  });

  it("writes the annual report, refuses a threshold below 3, and checks the register", async () => {
    const out = path.join(root, "report");
    const r = await desk(["annual-report", "--year", "2026", "--out", out, "--lang", "en"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      `wrote ${path.join(out, "annual-report-2026.html")}\nwrote ${path.join(out, "annual-report-2026.csv")}\n`,
    );
    const html = await readFile(path.join(out, "annual-report-2026.html"), "utf8");
    expect(html).not.toContain(NOTE_CANARY);
    expect(html).not.toContain("VT-");
    const low = await desk(["annual-report", "--year", "2026", "--threshold", "2"]);
    expect(low.code).toBe(2);
    oneLine(low.stderr);
    const noYear = await desk(["annual-report"]);
    expect(noYear.code).toBe(2);

    const check = await desk(["check"]);
    expect(check.code, check.stdout).toBe(0);
    expect(check.stdout).toContain("cases: 4");
    expect(check.stdout).toContain("all good");
  });

  it("rekeys the register to a new key, into a new directory", async () => {
    const bea = await generateEccKey("Bea", { passphrase: "nieuw wachtwoord" });
    await writeFile(path.join(root, "bea.key.asc"), bea.privateKey);
    const to = path.join(root, "register-bea");
    const missing = await desk(["rekey", "--new-key", path.join(root, "bea.key.asc")]);
    expect(missing.code).toBe(2);
    oneLine(missing.stderr);
    const r = await desk(["rekey", "--new-key", path.join(root, "bea.key.asc"), "--to", to], {
      env: { ...env, VERTROUWD_NEW_KEY_PASSPHRASE: "nieuw wachtwoord" },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^copied \d+ entries to .*register-bea, encrypted to [0-9A-F]{40}$/m);
    const list = await desk(["list", "--all", "--register", to, "--key", path.join(root, "bea.key.asc")], {
      env: { ...env, [PASSPHRASE_ENV]: "nieuw wachtwoord" },
    });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain("VT-INT1-0001");
    const oldKey = await desk(["list", "--register", to]);
    expect(oldKey.code).toBe(1);
    expect(oldKey.stderr).toContain("encrypted to another key");
  });

  it("runs as `vertrouwd desk` from the command line", async () => {
    const child = spawn(
      path.join(ROOT, "node_modules/.bin/tsx"),
      [path.join(ROOT, "src/cli/entry.ts"), "desk", "list", "--all"],
      {
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? -1)));
    expect(code).toBe(0);
    expect(stdout).toContain("VT-INT1-0001");
  });
});
