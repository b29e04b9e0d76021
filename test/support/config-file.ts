/**
 * A real configuration file for tests that run `vertrouwd serve` as a process: the demo
 * counsellors' public keys (pinned by fingerprint) copied beside it, outbox delivery.
 */
import { copyFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { sharedDemo } from "./app.ts";

export async function writeTestConfig(
  dir: string,
  options: {
    outbox?: string;
    signing?: boolean;
    extra?: Record<string, unknown>;
    /** A delivery per counsellor id instead of the outbox (e.g. a webhook to a test receiver). */
    delivery?: Record<string, Record<string, unknown>>;
  } = {},
): Promise<string> {
  const demo = await sharedDemo();
  const counsellors = [];
  for (const c of demo.config.counsellors) {
    const key = demo.keys.counsellors.find((k) => k.id === c.id);
    if (!key) throw new Error(`no demo key for ${c.id}`);
    await copyFile(key.publicKeyPath, path.join(dir, `${c.id}.asc`));
    counsellors.push({
      id: c.id,
      name: c.name,
      kind: c.kind,
      languages: c.languages,
      introduction: c.introduction,
      ...(c.reachVia ? { reachVia: c.reachVia } : {}),
      key: { publicKeyPath: `${c.id}.asc`, fingerprint: key.fingerprint },
      delivery: options.delivery?.[c.id] ?? { type: "outbox", dir: options.outbox ?? "outbox" },
    });
  }
  const handoff: Record<string, unknown> = {};
  if (options.signing !== false) {
    await copyFile(demo.keys.bot.privateKeyPath, path.join(dir, "bot.private.asc"));
    handoff.signingKeyPath = "bot.private.asc";
  }
  const file = path.join(dir, "vertrouwd.config.yaml");
  await writeFile(
    file,
    stringify({
      organisation: { name: "Voorbeeld BV" },
      defaultLocale: "nl",
      defaultCounsellor: "demo-extern",
      counsellors,
      handoff,
      ...options.extra,
    }),
  );
  return file;
}
