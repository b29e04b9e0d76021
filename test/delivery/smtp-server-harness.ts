import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  raw: string;
}

export interface SmtpHarness {
  port: number;
  received: ReceivedMail[];
  /** Set to make the next RCPT TO (or DATA) fail with this reply code. */
  failRcptWith: number | undefined;
  failDataWith: number | undefined;
  rcptAttempts: number;
  close(): Promise<void>;
}

/** A real SMTP server on a random loopback port; plain text only, as loopback allows. */
export async function startSmtpServer(options: { user?: string; pass?: string } = {}): Promise<SmtpHarness> {
  const harness: SmtpHarness = {
    port: 0,
    received: [],
    failRcptWith: undefined,
    failDataWith: undefined,
    rcptAttempts: 0,
    close: async () => undefined,
  };
  const settings: SMTPServerOptions = {
    disabledCommands: options.user ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !options.user,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.pass)
        return callback(null, { user: auth.username });
      return callback(Object.assign(new Error("Invalid credentials"), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      harness.rcptAttempts++;
      if (harness.failRcptWith) {
        return callback(
          Object.assign(new Error("Mailbox unavailable"), { responseCode: harness.failRcptWith }),
        );
      }
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (harness.failDataWith) {
          return callback(Object.assign(new Error("Rejected"), { responseCode: harness.failDataWith }));
        }
        harness.received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        return callback();
      });
    },
  };
  const server = new SMTPServer(settings);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  harness.port = (server.server.address() as AddressInfo).port;
  harness.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return harness;
}

export interface MimePart {
  headers: Map<string, string>;
  body: string;
}

/** Just enough MIME parsing to inspect a multipart/encrypted message without another library. */
export function parseMime(raw: string): MimePart & { parts: MimePart[]; preamble: string } {
  const top = splitPart(raw);
  const contentType = top.headers.get("content-type") ?? "";
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return { ...top, parts: [], preamble: "" };
  const segments = top.body.split(`--${boundary}`);
  const preamble = segments[0] ?? "";
  const parts: MimePart[] = [];
  for (const segment of segments.slice(1)) {
    if (segment.startsWith("--")) break;
    parts.push(splitPart(segment.replace(/^\r\n/, "").replace(/\r\n$/, "")));
  }
  return { ...top, parts, preamble };
}

function splitPart(text: string): MimePart {
  const end = text.indexOf("\r\n\r\n");
  const head = end === -1 ? text : text.slice(0, end);
  const body = end === -1 ? "" : text.slice(end + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}
