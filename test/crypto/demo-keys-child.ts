/** Child process for the demo-keys race test: prints the fingerprints it ended up with. */
import { ensureDemoKeys } from "../../src/crypto/demo-keys.ts";

const dir = process.argv[2];
if (!dir) throw new Error("usage: demo-keys-child <dir>");
const keys = await ensureDemoKeys(dir);
process.stdout.write(`${[...keys.counsellors, keys.bot].map((p) => p.fingerprint).join(",")}\n`);
