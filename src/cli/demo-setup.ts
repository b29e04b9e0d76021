/**
 * Embedded defaults for `vertrouwd demo` (and `serve` without a config file): two demo
 * counsellors whose keys are generated on first run, the outbox transport, Dutch first.
 */
import path from "node:path";
import { Config } from "../config/schema.ts";
import { type DemoKeys, ensureDemoKeys } from "../crypto/demo-keys.ts";

export interface DemoSetup {
  config: Config;
  baseDir: string;
  keys: DemoKeys;
  outboxDir: string;
}

/** `home` is the git-ignored working directory of the demo, by default ./.vertrouwd */
export async function demoSetup(home = path.resolve(".vertrouwd")): Promise<DemoSetup> {
  const keys = await ensureDemoKeys(path.join(home, "demo-keys"));
  const pair = (id: string) => {
    const k = keys.counsellors.find((c) => c.id === id);
    if (!k) throw new Error(`demo key ${id} missing`);
    return k;
  };
  const intern = pair("demo-intern");
  const extern = pair("demo-extern");
  const config = Config.parse({
    organisation: { name: "Voorbeeld BV" },
    defaultLocale: "nl",
    idleTimeoutMinutes: 30,
    defaultCounsellor: "demo-extern",
    counsellors: [
      {
        id: "demo-intern",
        name: "Sanne de Vries",
        kind: "internal",
        languages: ["nl", "en"],
        introduction: {
          nl: "Werkt bij Voorbeeld BV op de afdeling Facilitair en is opgeleid als vertrouwenspersoon. (Demo)",
          en: "Works at Voorbeeld BV in Facilities and is trained as a confidential counsellor. (Demo)",
        },
        key: { publicKeyPath: intern.publicKeyPath, fingerprint: intern.fingerprint },
        delivery: { type: "outbox", dir: path.join(home, "outbox") },
      },
      {
        id: "demo-extern",
        name: "Karim El Amrani",
        kind: "external",
        languages: ["nl", "en"],
        introduction: {
          nl: "Onafhankelijk vertrouwenspersoon, niet in dienst van Voorbeeld BV. (Demo)",
          en: "Independent counsellor, not employed by Voorbeeld BV. (Demo)",
        },
        reachVia: { nl: "bel 020-000 0000 (demo-nummer)", en: "call 020-000 0000 (demo number)" },
        key: { publicKeyPath: extern.publicKeyPath, fingerprint: extern.fingerprint },
        delivery: { type: "outbox", dir: path.join(home, "outbox") },
      },
    ],
    handoff: { signingKeyPath: keys.bot.privateKeyPath },
  });
  return { config, baseDir: process.cwd(), keys, outboxDir: path.join(home, "outbox") };
}
