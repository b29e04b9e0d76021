/**
 * `vertrouwd demo --web`: the secure web page on this machine, on the demo counsellors (keys
 * generated on first run, memory store, outbox in .vertrouwd/outbox). Listens on 127.0.0.1 only:
 * the demo keys' private halves are on this disk, so it must never take real reports.
 */
import { watch } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import * as openpgp from "openpgp";
import pino from "pino";
import type { Locale } from "../config/schema.ts";
import type { FollowUp } from "../handoff/document.ts";
import {
  ANSWER_BEGIN,
  NOTICE_BEGIN,
  parseAnswerPlaintext,
  parseNoticePlaintext,
} from "../handoff/follow-up.ts";
import { openHandoff } from "../handoff/open.ts";
import { createLogger } from "../log/logger.ts";
import { withoutRedis } from "../store/index.ts";
import { type DemoSetup, demoSetup } from "./demo-setup.ts";
import { startServer } from "./serve.ts";
import { createApp } from "./wiring.ts";

export async function runWebDemo(options: {
  lang: Locale;
  port: number;
  env: NodeJS.ProcessEnv;
  /** Resolves when the demo should end (default: SIGINT or SIGTERM). */
  until?: Promise<void>;
}): Promise<number> {
  const demo = await demoSetup(path.resolve(".vertrouwd"));
  const logger = createLogger({ level: options.env.LOG_LEVEL ?? "warn", destination: pino.destination(2) });
  const env = withoutRedis(options.env);
  // The port first, so the page's address (publicUrl) is known before the app is made.
  const pageUrl = (port: number) => `http://localhost:${port}/web/`;
  const config = {
    ...demo.config,
    defaultLocale: options.lang,
    web: { ...demo.config.web, enabled: true, publicUrl: pageUrl(options.port || 3978) },
  };
  const app = await createApp({ config, configDir: demo.baseDir, env, logger, deliveryPollMs: 200 });
  const server = await startServer(app, env, { port: options.port, host: "127.0.0.1" });
  const port = Number(new URL(server.url).port);
  const rel = (p: string) => path.relative(process.cwd(), p) || ".";
  const say = (line = "") => process.stdout.write(`${line}\n`);
  say(`Vertrouwd demo: the secure web page on ${pageUrl(port)}`);
  say("Demo counsellors with keys on this disk: never for real reports. Ctrl-C stops.");
  say(`Sealed reports land in ${rel(demo.outboxDir)}/.`);
  say(`An anonymous report can open a mailbox; the melder reads it at ${pageUrl(port)}#mailbox`);
  say();

  await mkdir(demo.outboxDir, { recursive: true });
  const seen = new Set<string>();
  const watcher = watch(demo.outboxDir, (_event, name) => {
    if (!name?.endsWith(".asc") || name.startsWith(".") || seen.has(name)) return;
    seen.add(name);
    void announce(path.join(demo.outboxDir, name), demo, rel, say);
  });

  const stop =
    options.until ??
    new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
  await stop;
  watcher.close();
  await server.close();
  await app.close();
  return 0;
}

/**
 * Prints where a delivered message is and how the demo counsellor opens it: a handoff, a
 * follow-up notice or a melder's answer from the anonymous mailbox (docs/follow-up.md). For a
 * mailbox, also how the counsellor answers with GnuPG and curl.
 */
async function announce(
  file: string,
  demo: DemoSetup,
  rel: (p: string) => string,
  say: (l?: string) => void,
) {
  const armored = await readFile(file, "utf8").catch(() => "");
  for (const k of demo.keys.counsellors) {
    const privateKeyArmored = await readFile(k.privateKeyPath, "utf8");
    let plaintext: string;
    try {
      const { data } = await openpgp.decrypt({
        message: await openpgp.readMessage({ armoredMessage: armored }),
        decryptionKeys: await openpgp.readPrivateKey({ armoredKey: privateKeyArmored }),
      });
      plaintext = String(data);
    } catch {
      continue; // Not this counsellor's key.
    }
    const gpgOpen = `gpg --import ${rel(k.privateKeyPath)} && gpg --decrypt ${rel(file)}`;
    if (plaintext.includes(ANSWER_BEGIN)) {
      const answer = parseAnswerPlaintext(plaintext);
      say(`Melder answer (mailbox of ${answer.caseCode}): ${rel(file)}`);
      say(`  gpg:  ${gpgOpen}`);
      return;
    }
    let caseCode: string;
    let followUp: FollowUp | undefined;
    if (plaintext.includes(NOTICE_BEGIN)) {
      const notice = parseNoticePlaintext(plaintext);
      ({ caseCode, followUp } = notice);
      say(`Follow-up notice (a mailbox for ${caseCode}): ${rel(file)}`);
    } else {
      const doc = await openHandoff(armored, { privateKeyArmored }).catch(() => undefined);
      if (!doc) return;
      caseCode = doc.document.caseCode;
      followUp = doc.document.followUp;
      say(`Handoff: ${rel(file)}`);
      say(`  open: npm run vertrouwd -- open ${rel(file)} --key ${rel(k.privateKeyPath)}`);
    }
    say(`  gpg:  ${gpgOpen}`);
    if (followUp) await explainReply(followUp, caseCode, k.fingerprint, demo, rel, say);
    return;
  }
}

/** How the demo counsellor answers a mailbox with GnuPG and curl (docs/follow-up.md). */
async function explainReply(
  followUp: FollowUp,
  caseCode: string,
  fingerprint: string,
  demo: DemoSetup,
  rel: (p: string) => string,
  say: (l?: string) => void,
) {
  const dir = path.join(path.dirname(demo.outboxDir), "mailbox");
  await mkdir(dir, { recursive: true });
  const melderFile = path.join(dir, `${caseCode}.melder.asc`);
  await writeFile(melderFile, followUp.melderPublicKey);
  const melder = (await openpgp.readKey({ armoredKey: followUp.melderPublicKey }))
    .getFingerprint()
    .toUpperCase();
  say("  The melder opened a mailbox. Answer as the counsellor with GnuPG and curl:");
  say(`    gpg --import ${rel(melderFile)}`);
  say(
    `    echo "Dank voor je bericht." | gpg --trust-model always --armor --encrypt --sign -u ${fingerprint} -r ${melder} -r ${fingerprint} \\`,
  );
  say(`      | gpg --armor --sign -u ${fingerprint} \\`);
  say(
    `      | curl -sS -H "content-type: application/pgp-message" -H "x-vertrouwd-mailbox: ${followUp.mailboxId}" --data-binary @- ${followUp.url ?? ""}mailbox/replies`,
  );
  say(`  The melder reads it at ${followUp.url ?? ""}#mailbox with their secret code.`);
}
