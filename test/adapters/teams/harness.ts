/**
 * A Teams test bench: the real app and server on 127.0.0.1, with Microsoft faked by nock —
 * Bot Framework OpenID metadata + JWKS (signed by a test RSA key), the Entra token endpoint,
 * and the Bot Connector at the activity's serviceUrl, whose requests are captured.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type JWK, SignJWT, exportJWK, generateKeyPair } from "jose";
import nock from "nock";
import { type RunningServer, startServer } from "../../../src/cli/serve.ts";
import { type App, createApp } from "../../../src/cli/wiring.ts";
import { type DemoSetup, demoSetup } from "../../../src/config/demo.ts";
import { createLogger } from "../../../src/log/logger.ts";

export const BF_OPENID_HOST = "https://login.botframework.com";
export const BF_ISSUER = "https://api.botframework.com";
export const LOGIN_HOST = "https://login.microsoftonline.com";
export const SERVICE_HOST = "https://smba.trafficmanager.net";
export const SERVICE_URL = `${SERVICE_HOST}/emea/`;

export interface ConnectorCall {
  method: string;
  path: string;
  /** The raw request body text, for canary checks. */
  raw: string;
  body: Record<string, unknown> | undefined;
  /** Activity id the fake connector gave a sent message. */
  id?: string;
  status: number;
}

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = randomUUID();
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, use: "sig", alg: "RS256" } };
}

export interface TokenOptions {
  key?: SigningKey;
  issuer?: string;
  audience?: string;
  serviceUrl?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
}

export interface Bench {
  url: string;
  app: App;
  demo: DemoSetup;
  appId: string;
  tenantId: string;
  key: SigningKey;
  calls: ConnectorCall[];
  tokenRequests: number;
  logs: string[];
  /** Replies queued for the next connector calls: status (and headers), consumed in order. */
  failNext(...replies: { status: number; headers?: Record<string, string> }[]): void;
  token(options?: TokenOptions): Promise<string>;
  post(
    activity: Record<string, unknown>,
    options?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

export async function startBench(options: { env?: Record<string, string> } = {}): Promise<Bench> {
  const home = await mkdtemp(path.join(tmpdir(), "vt-teams-"));
  const demo = await demoSetup(home);
  const logs: string[] = [];
  const logger = createLogger({ level: "debug", destination: { write: (s: string) => void logs.push(s) } });
  const appId = randomUUID();
  const tenantId = randomUUID();
  const env: NodeJS.ProcessEnv = {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: "test-secret-not-real",
    MicrosoftAppType: "MultiTenant",
    ...options.env,
  };
  const app = await createApp({ config: demo.config, configDir: demo.baseDir, env, logger });
  const key = await newSigningKey();

  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);

  nock(BF_OPENID_HOST)
    .persist()
    .get("/v1/.well-known/openidconfiguration")
    .reply(200, {
      issuer: BF_ISSUER,
      jwks_uri: `${BF_OPENID_HOST}/v1/.well-known/keys`,
      id_token_signing_alg_values_supported: ["RS256"],
      token_endpoint_auth_methods_supported: ["private_key_jwt"],
    })
    .get("/v1/.well-known/keys")
    .reply(200, () => ({ keys: [{ ...key.jwk, endorsements: ["msteams"] }] }));

  const bench: Bench = {
    url: "",
    app,
    demo,
    appId,
    tenantId,
    key,
    calls: [],
    tokenRequests: 0,
    logs,
    failNext: (...replies) => void queued.push(...replies),
    token: (o = {}) => signToken(bench, o),
    post: async (activity, o = {}) => {
      const token =
        o.token === undefined
          ? await bench.token({ serviceUrl: String(activity.serviceUrl ?? SERVICE_URL) })
          : o.token;
      return fetch(`${bench.url}/api/messages`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...o.headers,
        },
        body: JSON.stringify(activity),
      });
    },
    close: async () => {
      await server.close();
      await app.close();
      nock.cleanAll();
      nock.enableNetConnect();
      await rm(home, { recursive: true, force: true });
    },
  };

  const queued: { status: number; headers?: Record<string, string> }[] = [];
  nock(LOGIN_HOST)
    .persist()
    .get(/.*/)
    .reply(200, (uri) => loginMetadata(uri))
    .post(/\/oauth2\/v2\.0\/token/)
    .reply(200, () => {
      bench.tokenRequests++;
      return {
        token_type: "Bearer",
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: "test-access-token",
      };
    });

  let nextId = 1;
  const record = (method: string) =>
    function (this: unknown, uri: string, body: unknown): [number, unknown, Record<string, string>?] {
      const raw = typeof body === "string" ? body : JSON.stringify(body ?? "");
      const call: ConnectorCall = {
        method,
        path: uri,
        raw,
        body: typeof body === "object" && body ? (body as Record<string, unknown>) : undefined,
        status: 200,
      };
      bench.calls.push(call);
      const fail = queued.shift();
      if (fail) {
        call.status = fail.status;
        return [fail.status, { error: { code: "Throttled", message: "test" } }, fail.headers];
      }
      if (method === "DELETE") return [200, {}];
      if (method === "PUT") return [200, { id: uri.split("/").pop() }];
      call.id = `bot-msg-${nextId++}`;
      call.status = 201;
      return [201, { id: call.id }];
    };
  nock(SERVICE_HOST)
    .persist()
    .post(/^\/emea\/v3\/conversations\/.*/)
    .reply(record("POST"))
    .put(/^\/emea\/v3\/conversations\/.*/)
    .reply(record("PUT"))
    .delete(/^\/emea\/v3\/conversations\/.*/)
    .reply(record("DELETE"));

  const server: RunningServer = await startServer(app, env, { port: 0, host: "127.0.0.1" });
  bench.url = server.url;
  return bench;
}

/** Entra ID discovery documents, enough for MSAL's client-credential flow. */
function loginMetadata(uri: string): Record<string, unknown> {
  const tenant = uri.split("/")[1] ?? "common";
  if (uri.includes("discovery/instance")) {
    return {
      tenant_discovery_endpoint: `${LOGIN_HOST}/${tenant}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [
        {
          preferred_network: "login.microsoftonline.com",
          preferred_cache: "login.windows.net",
          aliases: ["login.microsoftonline.com"],
        },
      ],
    };
  }
  return {
    token_endpoint: `${LOGIN_HOST}/${tenant}/oauth2/v2.0/token`,
    authorization_endpoint: `${LOGIN_HOST}/${tenant}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${LOGIN_HOST}/${tenant}/oauth2/v2.0/logout`,
    issuer: `${LOGIN_HOST}/${tenant}/v2.0`,
    jwks_uri: `${LOGIN_HOST}/${tenant}/discovery/v2.0/keys`,
  };
}

async function signToken(bench: Bench, o: TokenOptions): Promise<string> {
  const key = o.key ?? bench.key;
  const now = Math.floor(Date.now() / 1000);
  const exp = now + (o.expiresIn ?? 600);
  return new SignJWT({ serviceurl: o.serviceUrl ?? SERVICE_URL })
    .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
    .setIssuer(o.issuer ?? BF_ISSUER)
    .setAudience(o.audience ?? bench.appId)
    .setIssuedAt(Math.min(now, exp - 60))
    .setNotBefore(Math.min(now, exp - 60))
    .setExpirationTime(exp)
    .sign(key.privateKey);
}

/** Activity builders in the shape Teams sends for a personal chat. */
export class TeamsUser {
  readonly aadObjectId = randomUUID();
  readonly userId = `29:${randomUUID()}`;
  readonly conversationId = `a:${randomUUID().replaceAll("-", "")}`;
  constructor(
    readonly bench: Bench,
    readonly locale = "nl-NL",
  ) {}

  private base(type: string): Record<string, unknown> {
    return {
      type,
      id: `act-${randomUUID()}`,
      timestamp: new Date().toISOString(),
      channelId: "msteams",
      serviceUrl: SERVICE_URL,
      from: { id: this.userId, aadObjectId: this.aadObjectId, name: "Test Melder" },
      recipient: { id: `28:${this.bench.appId}`, name: "Vertrouwd" },
      conversation: { id: this.conversationId, conversationType: "personal", tenantId: this.bench.tenantId },
      channelData: { tenant: { id: this.bench.tenantId } },
      locale: this.locale,
    };
  }

  install(): Record<string, unknown> {
    return {
      ...this.base("conversationUpdate"),
      membersAdded: [{ id: `28:${this.bench.appId}` }, { id: this.userId }],
    };
  }

  text(text: string): Record<string, unknown> {
    return { ...this.base("message"), text, textFormat: "plain" };
  }

  /** A click on a card button: Teams sends the button's data as `value`, replying to the card. */
  click(card: SentCard, choice: string): Record<string, unknown> {
    const data = card.choiceData(choice);
    return { ...this.base("message"), replyToId: card.activityId, value: data };
  }

  /** The "open the form" button: Teams sends a task/fetch invoke with the button's data. */
  openForm(card: SentCard): Record<string, unknown> {
    return this.invoke(
      "task/fetch",
      { data: card.openData(), context: { theme: "default" } },
      card.activityId,
    );
  }

  /** The dialog's submit button: its data merged with the dialog's inputs, as task/submit. */
  submitDialog(dialog: Dialog, values: Record<string, string>): Record<string, unknown> {
    return this.invoke("task/submit", {
      data: { ...dialog.submitData(), ...values },
      context: { theme: "default" },
    });
  }

  invoke(name: string, value: unknown, replyToId?: string): Record<string, unknown> {
    return { ...this.base("invoke"), name, value, ...(replyToId ? { replyToId } : {}) };
  }

  /** A submit from an in-chat form card of the kind posted before forms moved into dialogs. */
  legacyFormSubmit(card: SentCard, values: Record<string, string>): Record<string, unknown> {
    const form = (card.openData().vt as { form: string }).form;
    return {
      ...this.base("message"),
      replyToId: card.activityId,
      value: { vt: { form, token: "old" }, ...values },
    };
  }
}

/** What the bot answered to a task module invoke: the HTTP response body, if any. */
export interface InvokeAnswer {
  status: number;
  /** Raw response text, for canary checks. */
  raw: string;
  body: { task?: { type: string; value: unknown } } | undefined;
}

export async function invokeAnswer(res: Response): Promise<InvokeAnswer> {
  const raw = await res.text();
  return { status: res.status, raw, body: raw ? (JSON.parse(raw) as InvokeAnswer["body"]) : undefined };
}

/** A dialog the bot opened (a task module "continue" response). */
export class Dialog {
  readonly card: Record<string, unknown>;
  constructor(readonly info: Record<string, unknown>) {
    const card = info.card as { contentType?: string; content?: Record<string, unknown> } | undefined;
    if (card?.contentType !== "application/vnd.microsoft.card.adaptive" || !card.content)
      throw new Error("dialog has no Adaptive Card");
    this.card = card.content;
  }

  static of(answer: InvokeAnswer): Dialog {
    if (answer.body?.task?.type !== "continue")
      throw new Error(`expected a dialog, got ${answer.raw || "(empty)"}`);
    return new Dialog(answer.body.task.value as Record<string, unknown>);
  }

  inputs(): Record<string, unknown>[] {
    return (this.card.body as Record<string, unknown>[]).filter((b) => String(b.type).startsWith("Input."));
  }

  /** Input id → the value the dialog shows in it. */
  values(): Record<string, unknown> {
    return Object.fromEntries(this.inputs().map((i) => [i.id, i.value]));
  }

  submitData(): Record<string, unknown> {
    const actions = (this.card.actions ?? []) as Record<string, unknown>[];
    const submit = actions.find((a) => a.type === "Action.Submit");
    if (!submit) throw new Error("dialog has no submit button");
    return submit.data as Record<string, unknown>;
  }

  text(): string {
    return JSON.stringify(this.card);
  }
}

/** A card the bot sent, found in the captured connector calls. */
export class SentCard {
  constructor(
    readonly activityId: string,
    readonly card: Record<string, unknown>,
  ) {}

  private actions(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        const o = node as Record<string, unknown>;
        if (o.type === "Action.Submit") out.push(o);
        for (const v of Object.values(o)) walk(v);
      }
    };
    walk(this.card.body);
    return out;
  }

  choices(): string[] {
    return this.actions()
      .map((a) => (a.data as { vt?: { choice?: string } }).vt?.choice)
      .filter((c): c is string => typeof c === "string");
  }

  choiceData(choice: string): Record<string, unknown> {
    const action = this.actions().find((a) => (a.data as { vt?: { choice?: string } }).vt?.choice === choice);
    if (!action) throw new Error(`card has no choice "${choice}" (has: ${this.choices().join(", ")})`);
    return action.data as Record<string, unknown>;
  }

  /** The data of the button that opens the form dialog (a task/fetch Action.Submit). */
  openData(): Record<string, unknown> {
    const action = this.actions().find(
      (a) => (a.data as { msteams?: { type?: string } }).msteams?.type === "task/fetch",
    );
    if (!action) throw new Error("card has no form button");
    return action.data as Record<string, unknown>;
  }

  inputs(): Record<string, unknown>[] {
    return (this.card.body as Record<string, unknown>[]).filter((b) => String(b.type).startsWith("Input."));
  }

  text(): string {
    return JSON.stringify(this.card.body);
  }
}

/** Cards the bot sent (successful POSTs with a card) from call index `from` on. */
export function sentCards(bench: Bench, from = 0): SentCard[] {
  return bench.calls
    .slice(from)
    .filter((c) => c.method === "POST" && c.id)
    .flatMap((c) => {
      const content = (c.body?.attachments as { content?: Record<string, unknown> }[] | undefined)?.[0]
        ?.content;
      return content && c.id ? [new SentCard(c.id, content)] : [];
    });
}

export function lastCard(bench: Bench, from = 0): SentCard {
  const cards = sentCards(bench, from);
  const card = cards[cards.length - 1];
  if (!card) throw new Error("the bot sent no card");
  return card;
}
