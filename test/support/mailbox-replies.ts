/**
 * A loopback stand-in for the web server's replies endpoint (`POST <url>mailbox/replies`), with
 * the contract's exact semantics, for the counsellor-side tests until they run against the real
 * server:
 *
 * - `content-type: application/pgp-message`, `x-vertrouwd-mailbox: <mailboxId>` of a known mailbox;
 * - the body is an ASCII-armored signed OpenPGP message (as `gpg --sign --armor` makes, compressed
 *   or not) that verifies against one of the pinned counsellor/deputy keys (401 unsigned or
 *   unverifiable, 403 signed by another key);
 * - its literal data is an OpenPGP encrypted message (binary or armored) with a PKESK for the
 *   mailbox's melder key (422 otherwise, and for anything malformed);
 * - 201 {id}; the inner message is stored as the server would.
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import * as openpgp from "openpgp";

export interface StoredReply {
  id: string;
  mailboxId: string;
  /** The inner encrypted message, binary. */
  message: Uint8Array;
  /** Size of the POST body in bytes. */
  envelopeBytes: number;
}

export interface RepliesServer {
  /** The page address (`url` in FollowUp), ending in "/web/". */
  pageUrl: string;
  replies: StoredReply[];
  /** Every response status, in order. */
  statuses: number[];
  addMailbox(mailboxId: string, melderPublicKey: string): Promise<void>;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startRepliesServer(
  pinnedArmored: string[],
  options: { port?: number } = {},
): Promise<RepliesServer> {
  const pinned = await Promise.all(pinnedArmored.map((k) => openpgp.readKey({ armoredKey: k })));
  const mailboxes = new Map<string, openpgp.PublicKey>();
  const replies: StoredReply[] = [];
  const statuses: number[] = [];

  const handle = async (req: IncomingMessage): Promise<[number, unknown]> => {
    if (req.method !== "POST" || req.url !== "/web/mailbox/replies") return [404, { error: "not found" }];
    const raw = await body(req);
    if (req.headers["content-type"] !== "application/pgp-message") return [415, { error: "media type" }];
    const mailboxId = String(req.headers["x-vertrouwd-mailbox"] ?? "");
    const melder = mailboxes.get(mailboxId);
    if (!melder) return [404, { error: "no such mailbox" }];
    let signed: openpgp.Message<Uint8Array>;
    try {
      signed = await openpgp.readMessage({ armoredMessage: raw.toString("utf8") });
    } catch {
      return [422, { error: "not an armored OpenPGP message" }];
    }
    let literal: Uint8Array;
    try {
      const result = await openpgp.verify({
        message: signed,
        verificationKeys: pinned,
        expectSigned: true,
        format: "binary",
      });
      literal = result.data as Uint8Array;
    } catch (err) {
      const text = err instanceof Error ? err.message : "";
      return /could not find signing key/i.test(text)
        ? [403, { error: "signed by another key" }]
        : [401, { error: "no valid signature" }];
    }
    let inner: openpgp.Message<Uint8Array>;
    let binary = literal;
    try {
      const asText = Buffer.from(literal).toString("latin1");
      if (asText.startsWith("-----BEGIN PGP MESSAGE-----"))
        binary = (await openpgp.unarmor(asText)).data as unknown as Uint8Array;
      inner = await openpgp.readMessage({ binaryMessage: binary });
    } catch {
      return [422, { error: "the signed data is not an OpenPGP message" }];
    }
    const melderIds = [melder.getKeyID(), ...melder.getSubkeys().map((s) => s.getKeyID())].map((k) =>
      k.toHex(),
    );
    const recipients = inner.getEncryptionKeyIDs().map((k) => k.toHex());
    if (!recipients.some((r) => melderIds.includes(r)))
      return [422, { error: "not encrypted to the mailbox's key" }];
    const id = randomUUID();
    replies.push({ id, mailboxId, message: binary, envelopeBytes: raw.length });
    return [201, { id }];
  };

  const server: Server = createServer((req, res) => {
    handle(req).then(
      ([status, payload]) => {
        statuses.push(status);
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
      },
      () => {
        statuses.push(500);
        res.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    pageUrl: `http://127.0.0.1:${port}/web/`,
    replies,
    statuses,
    async addMailbox(mailboxId, melderPublicKey) {
      mailboxes.set(mailboxId, await openpgp.readKey({ armoredKey: melderPublicKey }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
