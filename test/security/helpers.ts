/**
 * Shared by the promise tests: a Slack setup over real HTTP (real server and app, the loopback
 * fake Web API), chat payloads per DM normalised for comparison, and form paths generated from
 * the flow itself.
 */
import { randomBytes } from "node:crypto";
import { intakeView, startIntake, stepIntake } from "../../flows/intake/api.ts";
import type { IntakeEvent } from "../../flows/intake/machine.ts";
import type { IntakeState } from "../../flows/intake/prompts.ts";
import { type RunningServer, startServer } from "../../src/cli/serve.ts";
import { directoryFrom } from "../../src/conversation/directory.ts";
import { type TestApp, testApp } from "../support/app.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import { type SlackMelder, httpTransport, slackMelder } from "../support/slack-melder.ts";

export const CANARY = "CANARY-1a2b-verhaal";

export interface SlackRig {
  fake: FakeSlack;
  t: TestApp;
  server: RunningServer;
  /** `responseUrls`: clicks carry a working response_url, as Slack's do. */
  melder(options?: { responseUrls?: boolean }): SlackMelder;
  /** Posts a signed interaction payload of the test's own making (forgeries). */
  post(payload: Record<string, unknown>): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

export async function slackRig(options: Parameters<typeof testApp>[0] = {}): Promise<SlackRig> {
  const secret = `sec-${randomBytes(12).toString("hex")}`;
  const env = { SLACK_BOT_TOKEN: "xoxb-rig", SLACK_SIGNING_SECRET: secret, ...options.env };
  const fake = await startFakeSlack();
  const t = await testApp({ ...options, env });
  const server = await startServer(t.app, env, { port: 0, host: "127.0.0.1", slackApiUrl: fake.url });
  return {
    fake,
    t,
    server,
    melder: (melderOptions = {}) =>
      slackMelder(fake, httpTransport(`${server.url}/slack/events`, secret), {
        user: `U${randomBytes(5).toString("hex").toUpperCase()}`,
        ...melderOptions,
      }),
    post: (payload) => httpTransport(`${server.url}/slack/events`, secret).interaction(payload),
    async close() {
      await server.close();
      await t.cleanup();
      await fake.close();
    },
  };
}

/** Every chat payload the bot sent to one DM (postMessage, update, delete, response_url), normalised. */
export function chatTranscript(fake: FakeSlack, m: SlackMelder): string[] {
  return fake.calls
    .filter(
      (c) => (c.method.startsWith("chat.") || c.method === "response_url") && c.params.channel === m.channel,
    )
    .map((c) => normalise(`${c.method} ${JSON.stringify(c.params)}`, m));
}

/** Message timestamps, button tokens' nonces, the user and the channel do not count. */
export function normalise(text: string, m: { user: string; channel: string }): string {
  return text
    .replaceAll(m.user, "<user>")
    .replaceAll(m.channel, "<dm>")
    .replace(/\d{10}\.\d{6}/g, "<ts>")
    .replace(/(3\.(?:nl|en)\.\d+)\.[0-9a-f]{8}/g, "$1.<nonce>");
}

/** The chat up to the open modal. */
export async function toForm(m: SlackMelder): Promise<void> {
  await m.openDm();
  await m.settle();
  for (const choice of ["continue", "ack", "form"]) {
    await m.click(choice);
    await m.settle();
  }
  // On a loaded machine a cold process can miss Slack's 3-second trigger window; the melder then
  // presses "open the form" again, which the chat offers for exactly this. (Not sooner: a late
  // views.open still opens the first form.)
  for (let i = 0; i < 3 && !m.modal(); i++) {
    for (let w = 0; w < 100 && !m.modal(); w++) await new Promise((r) => setTimeout(r, 50));
    if (m.modal()) break;
    await m.click("form");
    await m.settle();
  }
  if (!m.modal()) throw new Error("the form did not open");
}

/** Plays form events in the modal as a melder would: pick an option, fill fields, press buttons. */
export async function playForm(m: SlackMelder, events: IntakeEvent[]): Promise<void> {
  for (const event of events) {
    const blocks = JSON.stringify(m.modal()?.view.blocks ?? []);
    // A submission's answer is its ack (response_action): nothing to wait for.
    if (event.type === "SUBMIT") await m.fill(event.values);
    else if (
      event.type === "CHOOSE" &&
      blocks.includes(`"value":"${event.choice}"`) &&
      blocks.includes('"block_id":"choice"')
    )
      await m.choose(event.choice);
    else if (event.type === "CHOOSE" && blocks.includes(`vt_form:${event.choice}`)) {
      // A side button answers with views.update after the ack: wait for it.
      await m.press(event.choice);
      await m.settle();
    } else if (event.type === "CHOOSE") await m.submit();
    else throw new Error(`cannot play ${event.type} in a modal`);
  }
}

/** Report field values that differ in size and content, for the pairs. */
export const REPORTS: Record<string, Record<string, string>> = {
  empty: {},
  short: { what: "kort" },
  long: { what: "x".repeat(3000) },
  full: {
    what: CANARY,
    when: `${CANARY} when`,
    where: `${CANARY} where`,
    who: `${CANARY} who`,
    witnesses: `${CANARY} w`,
    impact: `${CANARY} i`,
    urgent: `${CANARY} u`,
  },
};

/** A variant of the form: at some steps another answer than the base path's. */
export interface Variant {
  name: string;
  events: IntakeEvent[];
}

/**
 * Paths through the form generated from the flow itself: the base path (an anonymous short
 * report about bullying to the default counsellor), and for every step every other answer the
 * flow offers there — each topic, counsellor, identity and contact route, each report size and
 * each wish, report versus contact request — continued to the send with the base answers.
 */
export function formVariants(config: Parameters<typeof directoryFrom>[0]): Variant[] {
  const dir = directoryFrom(config);
  const input = {
    locale: "nl" as const,
    counsellorIds: config.counsellors.map((c) => c.id),
    ...(config.defaultCounsellor ? { defaultCounsellorId: config.defaultCounsellor } : {}),
  };
  const base: Partial<Record<IntakeState, IntakeEvent>> = {
    mode: { type: "CHOOSE", choice: "report" },
    topic: { type: "CHOOSE", choice: "bullying" },
    counsellor: { type: "CHOOSE", choice: "no_preference" },
    identity: { type: "CHOOSE", choice: "anonymous" },
    contactHow: { type: "CHOOSE", choice: "typed" },
    contactForm: { type: "SUBMIT", form: "contact", values: { name: CANARY, route: "06-12345678" } },
    report: { type: "SUBMIT", form: "report", values: REPORTS.short as Record<string, string> },
    review: { type: "CHOOSE", choice: "send" },
  };
  const walk = (overrides: Partial<Record<IntakeState, IntakeEvent>>): IntakeEvent[] => {
    let snap = startIntake(input).snapshot;
    const events: IntakeEvent[] = [];
    for (let i = 0; i < 20 && snap.state !== "sending"; i++) {
      const [prompt] = intakeView(snap, dir)
        .filter((p) => !p.notice)
        .slice(-1);
      const event =
        overrides[snap.state] ??
        base[snap.state] ??
        ({ type: "CHOOSE", choice: prompt?.submit?.id ?? "continue" } as IntakeEvent);
      events.push(event);
      snap = stepIntake(snap, event).snapshot;
    }
    if (snap.state !== "sending") throw new Error("variant did not reach the send");
    return events;
  };
  const variants: Variant[] = [{ name: "base", events: walk({}) }];
  // Every option the flow offers at every step of the base path (and of the named path).
  for (const start of [{}, { identity: { type: "CHOOSE", choice: "named" } as IntakeEvent }]) {
    let snap = startIntake(input).snapshot;
    for (let i = 0; i < 20 && snap.state !== "sending"; i++) {
      const state = snap.state;
      const [prompt] = intakeView(snap, dir)
        .filter((p) => !p.notice)
        .slice(-1);
      for (const option of prompt?.options ?? []) {
        const event: IntakeEvent = { type: "CHOOSE", choice: option.id };
        if (JSON.stringify(event) !== JSON.stringify({ ...base, ...start }[state])) {
          // Named after every answer that differs from the base path's, so no two names are alike.
          const prefix = "identity" in start ? "identity=named, " : "";
          variants.push({
            name: `${prefix}${state}=${option.id}`,
            events: walk({ ...start, [state]: event }),
          });
        }
      }
      const next = (start as Partial<Record<IntakeState, IntakeEvent>>)[state] ?? base[state];
      snap = stepIntake(snap, next ?? { type: "CHOOSE", choice: prompt?.submit?.id ?? "continue" }).snapshot;
    }
  }
  // Report sizes, and every wish the report form offers.
  const wishes =
    intakeView({ state: "report", context: { ...input, report: {} } }, dir)[0]?.input?.fields.find(
      (f) => f.id === "wishes",
    )?.options ?? [];
  for (const [name, values] of Object.entries(REPORTS)) {
    if (name !== "short")
      variants.push({
        name: `report=${name}`,
        events: walk({ report: { type: "SUBMIT", form: "report", values } }),
      });
  }
  for (const wish of wishes) {
    variants.push({
      name: `wish=${wish.id}`,
      events: walk({
        report: { type: "SUBMIT", form: "report", values: { ...REPORTS.full, wishes: wish.id } },
      }),
    });
  }
  const seen = new Set<string>();
  return variants.filter((v) => {
    const key = JSON.stringify(v.events);
    return !seen.has(key) && seen.add(key) !== undefined;
  });
}
