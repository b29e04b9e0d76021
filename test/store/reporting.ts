/** What an admin sees of the state store: GET /readyz and `vertrouwd doctor`, run in-process. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { runDoctor } from "../../src/cli/doctor.ts";
import { createDeliveryQueue } from "../../src/delivery/queue.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { createMetrics } from "../../src/metrics/metrics.ts";
import { healthRoutes } from "../../src/server/health.ts";
import { createHttpServer } from "../../src/server/http.ts";
import type { StateStore } from "../../src/store/create.ts";
import { generateStateKey } from "../../src/store/index.ts";
import { sharedDemo } from "../support/app.ts";

/** GET /readyz of a server holding this vault. */
export async function readyz(vault: StateStore) {
  const server = createHttpServer(
    healthRoutes({
      vault,
      queue: createDeliveryQueue({ store: vault.store }),
      metrics: createMetrics(),
      keyProblems: () => [],
    }),
    silentLogger(),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`);
    return {
      status: res.status,
      body: (await res.json()) as { ok: boolean; store: Record<string, unknown> },
    };
  } finally {
    server.close();
  }
}

/** `vertrouwd doctor` on a one-counsellor config with the given Redis variables; its output. */
export async function doctor(env: Record<string, string>): Promise<string> {
  const demo = await sharedDemo();
  const dir = await mkdtemp(path.join(tmpdir(), "vt-doctor-ha-"));
  const counsellor = demo.keys.counsellors[0];
  if (!counsellor) throw new Error("no demo counsellor");
  const file = path.join(dir, "vertrouwd.config.yaml");
  await writeFile(
    file,
    `organisation: { name: Test BV }
counsellors:
  - id: anna
    name: Anna
    kind: internal
    languages: [nl]
    introduction: { nl: Hallo }
    key: { publicKeyPath: ${counsellor.publicKeyPath}, fingerprint: "${counsellor.fingerprint}" }
    delivery: { type: outbox, dir: ${path.join(dir, "outbox")} }
`,
  );
  let out = "";
  try {
    await runDoctor({
      env: { ...env, VERTROUWD_STATE_KEY: generateStateKey(), VERTROUWD_SERVER_SECRET: generateStateKey() },
      configFile: file,
      network: false,
      out: {
        write(chunk: string) {
          out += chunk;
          return true;
        },
      } as unknown as NodeJS.WritableStream,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}
