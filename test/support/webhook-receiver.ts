/**
 * A counsellor's webhook receiver on loopback, as docs/delivery.md describes one: it checks the
 * HMAC signature and records each POST per path (tests run scenarios side by side, one path
 * each). `holdMs` keeps a POST waiting before its 202: a slow counsellor system.
 */
import { createHmac, randomBytes } from "node:crypto";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface WebhookHit {
  path: string;
  idempotencyKey: string;
  verified: boolean;
}

export interface WebhookReceiver {
  /** The secret to give the bot (the variable named in `secretEnv`). */
  secret: string;
  url(path: string): string;
  hits(path: string): WebhookHit[];
  /** Called when a POST has arrived, before it is answered. */
  onPost?: (hit: WebhookHit) => void;
  holdMs: number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const secret = randomBytes(24).toString("hex");
  const hits: WebhookHit[] = [];
  const receiver: WebhookReceiver = {
    secret,
    url: (p) => `${base}${p.startsWith("/") ? p : `/${p}`}`,
    hits: (p) => hits.filter((h) => h.path === (p.startsWith("/") ? p : `/${p}`)),
    holdMs: 0,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const ts = String(req.headers["x-vertrouwd-timestamp"] ?? "");
      const mac = `v1=${createHmac("sha256", secret).update(`${ts}.`).update(body).digest("hex")}`;
      const hit = {
        path: req.url ?? "",
        idempotencyKey: String(req.headers["idempotency-key"] ?? ""),
        verified: mac === req.headers["x-vertrouwd-signature"],
      };
      hits.push(hit);
      receiver.onPost?.(hit);
      setTimeout(() => res.writeHead(202).end(), receiver.holdMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/** The delivery block that sends a counsellor's handoffs to `url`, signed with HOOK_SECRET. */
export const webhookDelivery = (url: string) => ({ type: "webhook", url, secretEnv: "HOOK_SECRET" });
