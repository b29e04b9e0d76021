/**
 * A Teams test bench: the real app (test/support/app.ts: demo counsellors, real runtime, crypto,
 * queue and outbox) behind the real HTTP server, with Microsoft faked by nock —
 * - Bot Framework's OpenID metadata and signing keys (signed by a test RSA key), which a test can
 *   make fail (HTTP 500 or a refused connection);
 * - Entra ID (the bot's own token for calling the connector) and the managed-identity endpoint;
 * - the Bot Connector at the activity's serviceUrl, whose requests are recorded per bench.
 *
 * botframework-connector caches Microsoft's signing keys per process (for 24 hours), so the test
 * signing key and the Microsoft fake are per process, too; several benches may run side by side,
 * each with its own serviceUrl (the connector's calls are routed to the bench by its region).
 */
import { randomUUID } from "node:crypto";
import { type JWK, SignJWT, exportJWK, generateKeyPair } from "jose";
import nock from "nock";
import { type TeamsAdapterOptions, createTeamsAdapter } from "../../../adapters/teams/index.ts";
import { type RunningServer, startServer } from "../../../src/cli/serve.ts";
import type { Config } from "../../../src/config/schema.ts";
import { createHttpServer } from "../../../src/server/http.ts";
import { type TestApp, testApp } from "../../support/app.ts";

export const BF_OPENID_HOST = "https://login.botframework.com";
export const BF_ISSUER = "https://api.botframework.com";
export const LOGIN_HOST = "https://login.microsoftonline.com";
export const IMDS_HOST = "http://169.254.169.254";
export const SERVICE_HOST = "https://smba.trafficmanager.net";
export const CARD_TYPE = "application/vnd.microsoft.card.adaptive";

// ── Microsoft, per process ──────────────────────────────────────────────────────────────────

/**
 * How Bot Framework's OpenID endpoints behave: fine, an HTTP 500 on either, no connection, or
 * connected but silent (the answer comes after SILENT_MS).
 */
export type KeysMode = "ok" | "config-500" | "keys-500" | "refused" | "silent";

export interface MicrosoftFake {
  keys: KeysMode;
  /** Requests to the OpenID metadata and keys endpoints. */
  metadataRequests: number;
  /** Paths of Entra ID token requests (the tenant is the first segment). */
  tokenRequests: string[];
  /** Managed-identity token requests (UserAssignedMSI): the client ids asked for. */
  imdsRequests: string[];
}

export const SILENT_MS = 3_000;

export const microsoft: MicrosoftFake = {
  keys: "ok",
  metadataRequests: 0,
  tokenRequests: [],
  imdsRequests: [],
};

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

let processKey: Promise<SigningKey> | undefined;
/** The key Microsoft's fake publishes; every bench of this process signs with it. */
export const signingKey = (): Promise<SigningKey> => {
  processKey ??= newSigningKey();
  return processKey;
};

const benches = new Map<string, BenchState>();
let installed = false;

function refused(): Error {
  return Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
}

async function installMicrosoft(): Promise<void> {
  if (installed) return;
  installed = true;
  const key = await signingKey();
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);

  nock(BF_OPENID_HOST)
    .persist()
    .get("/v1/.well-known/openidconfiguration")
    // async: a rejection (not a throw) is how nock fails the connection.
    .reply(async () => {
      microsoft.metadataRequests++;
      if (microsoft.keys === "refused") throw refused();
      if (microsoft.keys === "silent") await new Promise((r) => setTimeout(r, SILENT_MS));
      if (microsoft.keys === "config-500") return [500, { error: "unavailable" }] as const;
      return [
        200,
        {
          issuer: BF_ISSUER,
          jwks_uri: `${BF_OPENID_HOST}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ["RS256"],
          token_endpoint_auth_methods_supported: ["private_key_jwt"],
        },
      ] as const;
    })
    .get("/v1/.well-known/keys")
    .reply(() => {
      microsoft.metadataRequests++;
      if (microsoft.keys === "keys-500") return [500, { error: "unavailable" }];
      return [200, { keys: [{ ...key.jwk, endorsements: ["msteams"] }] }];
    });

  nock(LOGIN_HOST)
    .persist()
    .get(/.*/)
    .reply(200, (uri) => loginMetadata(uri))
    .post(/\/oauth2\/v2\.0\/token/)
    .reply((uri) => {
      microsoft.tokenRequests.push(uri);
      return [200, accessToken()];
    });

  // The Azure Instance Metadata Service, for a bot that runs as a user-assigned managed identity.
  nock(IMDS_HOST)
    .persist()
    .get(/^\/metadata\/identity\/oauth2\/token/)
    .reply(function (uri) {
      const clientId = new URL(uri, IMDS_HOST).searchParams.get("client_id") ?? "";
      if (!this.req.headers.metadata) return [400, { error: "invalid_request" }];
      microsoft.imdsRequests.push(clientId);
      const now = Math.floor(Date.now() / 1000);
      return [
        200,
        { ...accessToken(), expires_on: String(now + 3599), resource: "https://api.botframework.com" },
      ];
    });

  nock(SERVICE_HOST)
    .persist()
    .post(/.*/)
    .reply((uri, body) => route(uri)?.record("POST", uri, body) ?? [404, {}])
    .put(/.*/)
    .reply((uri, body) => route(uri)?.record("PUT", uri, body) ?? [404, {}])
    .delete(/.*/)
    .reply((uri, body) => route(uri)?.record("DELETE", uri, body) ?? [404, {}]);
}

function uninstallMicrosoft(): void {
  if (!installed || benches.size > 0) return;
  installed = false;
  nock.cleanAll();
  nock.enableNetConnect();
}

const accessToken = () => ({
  token_type: "Bearer",
  expires_in: 3599,
  ext_expires_in: 3599,
  access_token: "test-access-token",
});

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

function route(uri: string): BenchState | undefined {
  return benches.get(uri.split("/")[1] ?? "");
}

// ── One bench ──────────────────────────────────────────────────────────────────────────────

export interface ConnectorCall {
  method: "POST" | "PUT" | "DELETE";
  path: string;
  /** The conversation the call is about (decoded). */
  conversation: string;
  /** The activity the call is about: replied to (POST), updated (PUT), deleted (DELETE). */
  activityId?: string;
  /** The raw request body text, for canary checks. */
  raw: string;
  body: Record<string, unknown> | undefined;
  /** Activity id the fake connector gave a sent message. */
  id?: string;
  status: number;
  /** Milliseconds since the bench started. */
  at: number;
}

export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
}

interface BenchState {
  calls: ConnectorCall[];
  queued: FakeReply[];
  record(
    method: ConnectorCall["method"],
    uri: string,
    body: unknown,
  ): [number, unknown, Record<string, string>?];
}

export interface TokenOptions {
  key?: SigningKey;
  issuer?: string;
  audience?: string;
  serviceUrl?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
}

export interface BenchOptions {
  /** Environment on top of the default (SingleTenant, with an app id, password and tenant id). */
  env?: Record<string, string | undefined>;
  /** Build the adapter with these options instead of serve's defaults (retry and timeout tests). */
  adapter?: TeamsAdapterOptions;
  /** A short idle timeout, for drafts that expire while the dialog is open. */
  idleTtlMs?: number;
  /** Changes to the demo config (e.g. the web page on, for the receipt's mailbox link). */
  config?: (c: Config) => Config;
}

export interface Bench {
  url: string;
  t: TestApp;
  logs: string[];
  appId: string;
  tenantId: string;
  serviceUrl: string;
  env: NodeJS.ProcessEnv;
  calls: ConnectorCall[];
  /** Replies for the next connector calls (status and headers), consumed in order. */
  failNext(...replies: FakeReply[]): void;
  /** Drops replies failNext queued that no call consumed; returns how many. */
  clearFailures(): number;
  token(options?: TokenOptions): Promise<string>;
  /** POSTs an activity to /api/messages, with a valid token unless told otherwise. */
  post(
    activity: Record<string, unknown>,
    options?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

let benchCount = 0;

export async function startBench(options: BenchOptions = {}): Promise<Bench> {
  await installMicrosoft();
  const region = `r${++benchCount}-${process.pid}`;
  const serviceUrl = `${SERVICE_HOST}/${region}/`;
  const appId = randomUUID();
  const tenantId = randomUUID();
  const env: NodeJS.ProcessEnv = {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: "test-secret-not-real",
    MicrosoftAppTenantId: tenantId,
  };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const t = await testApp({
    env,
    ...(options.idleTtlMs ? { idleTtlMs: options.idleTtlMs } : {}),
    ...(options.config ? { config: options.config } : {}),
  });
  const started = Date.now();

  let nextId = 1;
  const state: BenchState = {
    calls: [],
    queued: [],
    record(method, uri, body) {
      const raw = typeof body === "string" ? body : JSON.stringify(body ?? "");
      const parts = uri.split("/");
      const call: ConnectorCall = {
        method,
        path: uri,
        conversation: decodeURIComponent(parts[4] ?? ""),
        ...(parts[6] ? { activityId: decodeURIComponent(parts[6]) } : {}),
        raw,
        body: typeof body === "object" && body ? (body as Record<string, unknown>) : undefined,
        status: 200,
        at: Date.now() - started,
      };
      state.calls.push(call);
      const fail = state.queued.shift();
      if (fail) {
        call.status = fail.status;
        return [fail.status, { error: { code: "Throttled", message: "test" } }, fail.headers];
      }
      if (method === "DELETE") return [200, {}];
      if (method === "PUT") return [200, { id: call.activityId }];
      call.id = `1:bot-${region}-${nextId++}`;
      call.status = 201;
      return [201, { id: call.id }];
    },
  };
  benches.set(region, state);

  let server: RunningServer | { url: string; close(): Promise<void> };
  if (options.adapter) {
    const teams = await createTeamsAdapter(
      { runtime: t.app.runtime, config: t.app.config, logger: t.app.logger, env },
      options.adapter,
    );
    const http = createHttpServer(teams.routes, t.app.logger);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", () => resolve()));
    const port = (http.address() as { port: number }).port;
    server = {
      url: `http://127.0.0.1:${port}`,
      close: async () => {
        await new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeAllConnections();
      },
    };
  } else {
    server = await startServer(t.app, env, { port: 0, host: "127.0.0.1" });
  }

  const bench: Bench = {
    url: server.url,
    t,
    logs: t.logs,
    appId,
    tenantId,
    serviceUrl,
    env,
    calls: state.calls,
    failNext: (...replies) => void state.queued.push(...replies),
    clearFailures: () => state.queued.splice(0).length,
    token: (o = {}) => signToken(appId, serviceUrl, o),
    async post(activity, o = {}) {
      const token =
        o.token === undefined
          ? await bench.token({ serviceUrl: String(activity.serviceUrl ?? serviceUrl) })
          : o.token;
      return fetch(`${server.url}/api/messages`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...o.headers,
        },
        body: JSON.stringify(activity),
      });
    },
    async close() {
      await server.close();
      await t.cleanup();
      benches.delete(region);
      uninstallMicrosoft();
    },
  };
  return bench;
}

async function signToken(appId: string, serviceUrl: string, o: TokenOptions): Promise<string> {
  const key = o.key ?? (await signingKey());
  const now = Math.floor(Date.now() / 1000);
  const exp = now + (o.expiresIn ?? 600);
  return new SignJWT({ serviceurl: o.serviceUrl ?? serviceUrl })
    .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
    .setIssuer(o.issuer ?? BF_ISSUER)
    .setAudience(o.audience ?? appId)
    .setIssuedAt(Math.min(now, exp - 60))
    .setNotBefore(Math.min(now, exp - 60))
    .setExpirationTime(exp)
    .sign(key.privateKey);
}

// ── Activities ─────────────────────────────────────────────────────────────────────────────

/** Activity builders in the shape Teams sends for a personal chat. */
export class TeamsUser {
  readonly aadObjectId = randomUUID();
  readonly userId = `29:${randomUUID()}`;
  readonly conversationId = `a:${randomUUID().replaceAll("-", "")}`;
  constructor(
    readonly bench: Bench,
    readonly locale = "nl-NL",
  ) {}

  base(type: string): Record<string, unknown> {
    return {
      type,
      id: `f:${randomUUID()}`,
      timestamp: new Date().toISOString(),
      channelId: "msteams",
      serviceUrl: this.bench.serviceUrl,
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

  uninstall(): Record<string, unknown> {
    return { ...this.base("installationUpdate"), action: "remove" };
  }

  text(text: string): Record<string, unknown> {
    return { ...this.base("message"), text, textFormat: "plain" };
  }

  /** A click on a chat card's button: Teams sends the button's data as `value`, replying to the card. */
  click(card: SentCard, choice: string): Record<string, unknown> {
    return { ...this.base("message"), replyToId: card.activityId, value: card.choiceData(choice) };
  }

  /** The "form" button: Teams sends a task/fetch invoke with the button's data, from the card. */
  openForm(card: SentCard): Record<string, unknown> {
    return this.invoke(
      "task/fetch",
      { type: "task/fetch", data: card.openData(), context: { theme: "default" } },
      card.activityId,
    );
  }

  /** A dialog's Action.Submit: its data merged with the dialog's input values, as task/submit. */
  dialogSubmit(data: Record<string, unknown>): Record<string, unknown> {
    return this.invoke("task/submit", { type: "task/submit", data, context: { theme: "default" } });
  }

  invoke(name: string, value: unknown, replyToId?: string): Record<string, unknown> {
    return { ...this.base("invoke"), name, value, ...(replyToId ? { replyToId } : {}) };
  }
}

// ── What the bot sent ──────────────────────────────────────────────────────────────────────

type Node = Record<string, unknown>;

/** Every object in a card (depth first) that matches. */
export function findIn(node: unknown, pred: (o: Node) => boolean): Node[] {
  const out: Node[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === "object") {
      if (pred(n as Node)) out.push(n as Node);
      Object.values(n).forEach(walk);
    }
  };
  walk(node);
  return out;
}

const vtOf = (action: Node) =>
  ((action.data as { vt?: Record<string, unknown> } | undefined)?.vt ?? {}) as Record<string, unknown>;
const verbOf = (action: Node) => (action.data as { verb?: unknown } | undefined)?.verb;

/** A chat card the bot sent (a POST to the connector). */
export class SentCard {
  constructor(
    readonly activityId: string,
    readonly card: Node,
  ) {}

  actions(): Node[] {
    return findIn(this.card, (o) => o.type === "Action.Submit");
  }

  /** Choice ids of the buttons; the button that opens the form dialog is "form". */
  choices(): string[] {
    return this.actions().map((a) => (verbOf(a) === "vt_open" ? "form" : String(vtOf(a).c)));
  }

  choiceData(choice: string): Node {
    const action = this.actions().find((a) => verbOf(a) === "vt_choice" && vtOf(a).c === choice);
    if (!action) throw new Error(`card has no choice "${choice}" (has: ${this.choices().join(", ")})`);
    return action.data as Node;
  }

  /** The data of the button that opens the form dialog (a task/fetch Action.Submit). */
  openData(): Node {
    const action = this.actions().find(
      (a) => (a.data as { msteams?: { type?: string } }).msteams?.type === "task/fetch",
    );
    if (!action) throw new Error(`card has no form button (has: ${this.choices().join(", ")})`);
    return action.data as Node;
  }

  inputs(): Node[] {
    return findIn(this.card, (o) => String(o.type).startsWith("Input."));
  }

  /** The card's text blocks, one per line. */
  text(): string {
    return findIn(this.card, (o) => o.type === "TextBlock")
      .map((b) => String(b.text))
      .join("\n");
  }
}

/** What the bot answered to an invoke: the HTTP response. */
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
  readonly card: Node;
  constructor(readonly info: Node) {
    const card = info.card as { contentType?: string; content?: Node } | undefined;
    if (card?.contentType !== CARD_TYPE || !card.content) throw new Error("dialog has no Adaptive Card");
    this.card = card.content;
  }

  static of(answer: InvokeAnswer): Dialog {
    if (answer.body?.task?.type !== "continue")
      throw new Error(`expected a dialog, got ${answer.raw || "(empty)"}`);
    return new Dialog(answer.body.task.value as Node);
  }

  inputs(): Node[] {
    return findIn(this.card.body, (o) => String(o.type).startsWith("Input."));
  }

  /** Input id → the value the dialog shows in it. */
  values(): Record<string, unknown> {
    return Object.fromEntries(this.inputs().map((i) => [i.id, i.value]));
  }

  /** The options of the step's question (the ChoiceSet `vt_choice_input`). */
  options(): string[] {
    const set = this.inputs().find((i) => i.id === "vt_choice_input");
    return ((set?.choices ?? []) as { value: string }[]).map((c) => c.value);
  }

  /** The main button (in the card's `actions`), if the step has one. */
  submitAction(): Node | undefined {
    return ((this.card.actions ?? []) as Node[]).find((a) => a.type === "Action.Submit");
  }

  /** The side buttons in the body (back, edit, discard, danger, stop…) by their choice id. */
  buttons(): string[] {
    return findIn(this.card.body, (o) => o.type === "Action.Submit").map((a) => String(vtOf(a).a));
  }

  buttonData(choice: string): Node {
    const action = findIn(this.card.body, (o) => o.type === "Action.Submit").find(
      (a) => vtOf(a).a === choice,
    );
    if (!action) throw new Error(`dialog has no button "${choice}" (has: ${this.buttons().join(", ")})`);
    return action.data as Node;
  }

  /**
   * The data Teams sends for the main button: its data, and every input's value (what the dialog
   * shows, overridden by `values`; an empty input is sent as ""). Like Teams, refuses to send when
   * a required input is empty, unless `force` (a client that skips validation).
   */
  submitData(values: Record<string, string> = {}, force = false): Node {
    const action = this.submitAction();
    if (!action) throw new Error("dialog has no main button");
    const inputs: Record<string, string> = {};
    for (const input of this.inputs()) {
      const id = String(input.id);
      inputs[id] = values[id] ?? (typeof input.value === "string" ? input.value : "");
      if (!force && input.isRequired && inputs[id] === "")
        throw new Error(`Teams would not submit: "${id}" is required`);
    }
    return { ...inputs, ...(action.data as Node) };
  }

  text(): string {
    return findIn(this.card, (o) => o.type === "TextBlock")
      .map((b) => String(b.text))
      .join("\n");
  }
}

/** Cards the bot sent (successful POSTs with a card), optionally only to one conversation. */
export function sentCards(calls: ConnectorCall[], conversation?: string): SentCard[] {
  return calls
    .filter((c) => c.method === "POST" && c.id && (!conversation || c.conversation === conversation))
    .flatMap((c) => {
      const attachment = (c.body?.attachments as { contentType?: string; content?: Node }[] | undefined)?.[0];
      return attachment?.contentType === CARD_TYPE && attachment.content && c.id
        ? [new SentCard(c.id, attachment.content)]
        : [];
    });
}

// ── A melder driving the bot, as Teams would ───────────────────────────────────────────────

export interface Posted {
  status: number;
  /** Connector calls the bot made while handling this request. */
  calls: ConnectorCall[];
  /** Chat cards it sent meanwhile. */
  cards: SentCard[];
}

export interface DialogPosted extends Posted {
  answer: InvokeAnswer;
  /** The dialog shown now, when the answer is a "continue". */
  dialog?: Dialog;
}

/**
 * One melder in a personal chat with the bot: clicks buttons on the newest card that has them,
 * opens the form dialog, works it (picks, fills, presses), and keeps the dialog Teams shows.
 */
export class Melder {
  readonly user: TeamsUser;
  dialog: Dialog | undefined;
  constructor(
    readonly bench: Bench,
    locale = "nl-NL",
  ) {
    this.user = new TeamsUser(bench, locale);
  }

  /** Every call the bot made about this melder's conversation. */
  calls(): ConnectorCall[] {
    return this.bench.calls.filter((c) => c.conversation === this.user.conversationId);
  }

  cards(): SentCard[] {
    return sentCards(this.calls());
  }

  last(): SentCard {
    const card = this.cards().at(-1);
    if (!card) throw new Error("the bot sent no card");
    return card;
  }

  async post(activity: Record<string, unknown>): Promise<Posted> {
    const from = this.bench.calls.length;
    const res = await this.bench.post(activity);
    await res.arrayBuffer();
    const calls = this.bench.calls.slice(from);
    return { status: res.status, calls, cards: sentCards(calls) };
  }

  install = () => this.post(this.user.install());
  type = (text: string) => this.post(this.user.text(text));

  /** Clicks a chat button by choice id on the newest card that has it. */
  click(choice: string): Promise<Posted> {
    const card = [...this.cards()].reverse().find((c) => c.choices().includes(choice));
    if (!card) throw new Error(`no card has "${choice}"`);
    return this.post(this.user.click(card, choice));
  }

  /** Presses "form" on the newest card that has it; Teams opens the dialog the bot answers with. */
  async open(card?: SentCard): Promise<DialogPosted> {
    const from = card ?? [...this.cards()].reverse().find((c) => c.choices().includes("form"));
    if (!from) throw new Error("no card has the form button");
    return this.invoke(this.user.openForm(from));
  }

  /** Picks an option of the dialog's question and presses the main button. */
  choose(option: string): Promise<DialogPosted> {
    const dialog = this.must();
    if (!dialog.options().includes(option))
      throw new Error(`no option "${option}" (has: ${dialog.options().join(", ")})`);
    return this.invoke(this.user.dialogSubmit(dialog.submitData({ vt_choice_input: option })));
  }

  /** Fills the dialog's fields and presses the main button. */
  fill(values: Record<string, string>, options: { force?: boolean } = {}): Promise<DialogPosted> {
    return this.invoke(this.user.dialogSubmit(this.must().submitData(values, options.force)));
  }

  /** Presses the main button of a step without a question or fields (review, referral). */
  submit(): Promise<DialogPosted> {
    return this.invoke(this.user.dialogSubmit(this.must().submitData()));
  }

  /** Presses a side button in the dialog (back, edit, discard, danger, stop…). */
  press(choice: string): Promise<DialogPosted> {
    return this.invoke(this.user.dialogSubmit(this.must().buttonData(choice)));
  }

  /** Sends an invoke; a "continue" answer replaces the dialog, anything else closes it. */
  async invoke(activity: Record<string, unknown>): Promise<DialogPosted> {
    const from = this.bench.calls.length;
    const answer = await invokeAnswer(await this.bench.post(activity));
    const calls = this.bench.calls.slice(from);
    const dialog = answer.body?.task?.type === "continue" ? Dialog.of(answer) : undefined;
    this.dialog = dialog;
    return { status: answer.status, calls, cards: sentCards(calls), answer, ...(dialog ? { dialog } : {}) };
  }

  private must(): Dialog {
    if (!this.dialog) throw new Error("no dialog is open");
    return this.dialog;
  }
}

/** From the first contact to the open form dialog (its first step: report or contact). */
export async function toForm(m: Melder): Promise<Dialog> {
  await m.install();
  await m.click("continue");
  await m.click("ack");
  const opened = await m.open();
  if (!opened.dialog) throw new Error(`the form did not open: ${opened.answer.raw}`);
  return opened.dialog;
}

/** Through the dialog's steps up to the report fields. */
export async function toReportFields(
  m: Melder,
  choices: { topic?: string; counsellor?: string; identity?: "anonymous" } = {},
): Promise<Dialog> {
  await toForm(m);
  await m.choose("report");
  await m.choose(choices.topic ?? "bullying");
  await m.choose(choices.counsellor ?? "counsellor:demo-extern");
  const fields = await m.choose(choices.identity ?? "anonymous");
  if (!fields.dialog) throw new Error("no report dialog");
  return fields.dialog;
}
