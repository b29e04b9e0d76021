/**
 * The desk's test fixture: a counsellor key made by GnuPG itself, and a year of handoffs (seeded,
 * so every run is the same), each sealed with the project's own sealHandoff to that key, with a
 * canary in every field a melder or counsellor can type. `expected` is counted straight from the
 * generated documents and planned events, with its own date arithmetic: it does not use the
 * desk's code, so it can check it.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as openpgp from "openpgp";
import { TOPICS, type TopicId, WISHES, type WishId } from "../../flows/domain.ts";
import { importMessages } from "../../src/desk/import.ts";
import { DeskKey } from "../../src/desk/key.ts";
import { MESSAGE_TYPES } from "../../src/desk/message-types.ts";
import { CLOSING_REASONS, type CaseEvent } from "../../src/desk/records.ts";
import { type RegisterContext, updateRegister } from "../../src/desk/register.ts";
import type { HandoffDocument } from "../../src/handoff/document.ts";
import { sealHandoff } from "../../src/handoff/seal.ts";
import { type GnupgHome, createGnupgHome } from "../crypto/helpers.ts";

export const CANARY = "KANARIE-d3sk-ÉÉN-🐤";
/** The fixture's "now": 15 January 2027, 11:00 in Amsterdam. */
export const FIXTURE_NOW = new Date("2027-01-15T10:00:00Z");
export const FIXTURE_TODAY = "2027-01-15";
export const REPORT_YEAR = 2026;

/** Small, fast, seedable. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- independent date arithmetic (UTC civil dates) ----------------------------------------
const utc = (d: string) => new Date(`${d}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);
export const plusDays = (d: string, n: number) => iso(new Date(utc(d).getTime() + n * 86_400_000));
export function plusMonths(d: string, n: number): string {
  const [y, m, day] = d.split("-").map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return iso(new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(day, last))));
}

export type Group = "unwanted_behaviour" | "integrity" | "out_of_scope" | "unspecified";
const groupOf = (t: TopicId): Group =>
  t === "integrity" || t === "wrongdoing"
    ? "integrity"
    : ["performance", "reorganisation", "labour_dispute", "private_matter"].includes(t)
      ? "out_of_scope"
      : ["not_sure", "prefer_not_say"].includes(t)
        ? "unspecified"
        : "unwanted_behaviour";

export interface Expected {
  total: number;
  byGroupQuarter: Record<Group, [number, number, number, number]>;
  kind: Record<"report" | "contact", number>;
  counsellorKind: Record<"internal" | "external" | "unknown", number>;
  wishes: Record<WishId | "not_stated", number>;
  anonymity: Record<"anonymous" | "named", number>;
  ack: Record<"on_time" | "late" | "missing" | "not_due", number>;
  feedback: Record<"on_time" | "late" | "missing" | "not_due", number>;
}

export interface DeskFixture {
  root: string;
  registerDir: string;
  inbox: string;
  keyFile: string;
  publicKeyFile: string;
  gpg: GnupgHome;
  fingerprint: string;
  ctx: RegisterContext;
  /** The year's handoffs (REPORT_YEAR), then a few from the years around it. */
  docs: HandoffDocument[];
  expected: Expected;
  cleanup(): Promise<void>;
}

const pick = <T>(rnd: () => number, items: readonly T[], weights?: readonly number[]): T => {
  if (!weights) return items[Math.floor(rnd() * items.length)] as T;
  const sum = weights.reduce((a, b) => a + b, 0);
  let x = rnd() * sum;
  for (let i = 0; i < items.length; i++) {
    x -= weights[i] as number;
    if (x < 0) return items[i] as T;
  }
  return items[items.length - 1] as T;
};

const code = (rnd: () => number) => {
  const chars = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  const part = () => Array.from({ length: 4 }, () => chars[Math.floor(rnd() * chars.length)]).join("");
  return `VT-${part()}-${part()}`;
};

const uuid = (rnd: () => number) => {
  const hex = Array.from({ length: 32 }, () => Math.floor(rnd() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** Topics weighted so that some cells of the year's tables are small and must be suppressed. */
const TOPIC_WEIGHTS: Record<TopicId, number> = {
  aggression: 8,
  sexual_harassment: 9,
  intimidation: 10,
  bullying: 16,
  discrimination: 7,
  other_conduct: 6,
  integrity: 11,
  wrongdoing: 6,
  performance: 1.2,
  reorganisation: 0.8,
  labour_dispute: 1,
  private_matter: 0.6,
  not_sure: 4,
  prefer_not_say: 2,
};

export function generateDocs(count: number, seed = 18): HandoffDocument[] {
  const rnd = mulberry32(seed);
  const docs: HandoffDocument[] = [];
  const codes = new Set<string>();
  for (let i = 0; i < count + 6; i++) {
    const inYear = i < count;
    // The extra six sit just outside the year: they must not be counted.
    const date = inYear
      ? plusDays(`${REPORT_YEAR}-01-01`, Math.floor(rnd() * 365))
      : pick(rnd, [
          `${REPORT_YEAR - 1}-12-31`,
          `${REPORT_YEAR - 1}-06-15`,
          `${REPORT_YEAR + 1}-01-01`,
          `${REPORT_YEAR + 1}-01-10`,
        ]);
    const topic = pick(
      rnd,
      TOPICS,
      TOPICS.map((t) => TOPIC_WEIGHTS[t]),
    );
    const kind = rnd() < 0.8 ? "report" : "contact";
    const anonymity = rnd() < 0.55 ? "anonymous" : "named";
    const v1 = rnd() < 0.08;
    let caseCode = code(rnd);
    while (codes.has(caseCode)) caseCode = code(rnd);
    codes.add(caseCode);
    const wishes = rnd() < 0.15 ? undefined : pick(rnd, WISHES, [5, 8, 4, 0.8, 2, 3]);
    const doc: HandoffDocument = {
      version: v1 ? 1 : 2,
      caseId: uuid(rnd),
      caseCode,
      date,
      locale: rnd() < 0.8 ? "nl" : "en",
      channel: pick(rnd, ["slack", "teams", "web"] as const),
      kind,
      topic,
      counsellorId: "anna",
      ...(v1 ? {} : { counsellorKind: rnd() < 0.65 ? ("internal" as const) : ("external" as const) }),
      anonymity,
      ...(anonymity === "named"
        ? { contact: { name: `Naam ${CANARY}`, route: `06-12345678 ${CANARY}` } }
        : {}),
      ...(kind === "report"
        ? {
            report: {
              what: `Wat er gebeurde ${CANARY}\nop meerdere regels`,
              when: `Maandag ${CANARY}`,
              where: `Kantoor ${CANARY}`,
              who: `Collega ${CANARY}`,
              witnesses: `Getuige ${CANARY}`,
              impact: `Gevolgen ${CANARY}`,
              urgent: `Dringend ${CANARY}`,
            },
          }
        : {}),
      ...(wishes ? { wishes } : {}),
    };
    docs.push(doc);
  }
  return docs;
}

interface Plan {
  caseId: string;
  events: CaseEvent[];
}

/** Acknowledgements, feedback, notes and closings, with the Wbk outcome they should lead to. */
export function planEvents(docs: HandoffDocument[], seed = 1818): { plans: Plan[]; expected: Expected } {
  const rnd = mulberry32(seed);
  const today = FIXTURE_TODAY;
  const z4 = (): [number, number, number, number] => [0, 0, 0, 0];
  const e: Expected = {
    total: 0,
    byGroupQuarter: { unwanted_behaviour: z4(), integrity: z4(), out_of_scope: z4(), unspecified: z4() },
    kind: { report: 0, contact: 0 },
    counsellorKind: { internal: 0, external: 0, unknown: 0 },
    wishes: { heard: 0, advice: 0, informal: 0, mediation: 0, complaint: 0, not_sure: 0, not_stated: 0 },
    anonymity: { anonymous: 0, named: 0 },
    ack: { on_time: 0, late: 0, missing: 0, not_due: 0 },
    feedback: { on_time: 0, late: 0, missing: 0, not_due: 0 },
  };
  const plans: Plan[] = [];
  for (const d of docs) {
    const events: CaseEvent[] = [];
    const group = groupOf(d.topic);
    let ack: string | undefined;
    let feedback: string | undefined;
    const r = rnd();
    if (r < 0.6) ack = plusDays(d.date, Math.floor(rnd() * 8));
    else if (r < 0.8) ack = plusDays(d.date, 8 + Math.floor(rnd() * 10));
    if (ack && ack > today) ack = undefined;
    if (ack) events.push({ type: "ack", date: ack });
    const feedbackDue = plusMonths(ack ?? plusDays(d.date, 7), 3);
    const r2 = rnd();
    if (ack && r2 < 0.5) feedback = plusDays(feedbackDue, -Math.floor(rnd() * 30));
    else if (ack && r2 < 0.7) feedback = plusDays(feedbackDue, 1 + Math.floor(rnd() * 20));
    if (feedback && (feedback > today || (ack && feedback < ack))) feedback = undefined;
    if (feedback) events.push({ type: "feedback", date: feedback });
    if (rnd() < 0.2)
      events.push({ type: "note", date: today, text: `Gesprek gevoerd ${CANARY}\nvervolg afgesproken` });
    if (rnd() < 0.3) {
      events.push({ type: "status", status: "closed", reason: pick(rnd, CLOSING_REASONS), date: today });
    } else if (rnd() < 0.3) {
      events.push({ type: "status", status: "in_progress", date: today });
    }
    if (group !== "integrity" && rnd() < 0.1) events.push({ type: "follow_up", date: plusDays(today, 10) });
    plans.push({ caseId: d.caseId, events });

    if (!d.date.startsWith(`${REPORT_YEAR}-`)) continue;
    e.total++;
    const q = Math.floor((Number(d.date.slice(5, 7)) - 1) / 3) as 0 | 1 | 2 | 3;
    const row = e.byGroupQuarter[group];
    row[q] = (row[q] as number) + 1;
    e.kind[d.kind]++;
    e.counsellorKind[d.counsellorKind ?? "unknown"]++;
    e.wishes[d.wishes ?? "not_stated"]++;
    e.anonymity[d.anonymity]++;
    if (group === "integrity") {
      const ackDue = plusDays(d.date, 7);
      e.ack[ack ? (ack <= ackDue ? "on_time" : "late") : today > ackDue ? "missing" : "not_due"]++;
      e.feedback[
        feedback
          ? feedback <= feedbackDue
            ? "on_time"
            : "late"
          : today > feedbackDue
            ? "missing"
            : "not_due"
      ]++;
    }
  }
  return { plans, expected: e };
}

export async function buildFixture(options: { count?: number } = {}): Promise<DeskFixture> {
  const root = await mkdtemp(path.join(tmpdir(), "vt-desk-"));
  const inbox = path.join(root, "inbox");
  await mkdir(inbox);
  const gpg = await createGnupgHome();
  const fingerprint = await gpg.generate("Anna Desk <anna.desk@example.org>", "ed25519", "cv25519");
  const keyFile = path.join(root, "anna.key.asc");
  const publicKeyFile = path.join(root, "anna.pub.asc");
  await writeFile(keyFile, await gpg.exportSecret(fingerprint));
  await writeFile(publicKeyFile, await gpg.exportPublic(fingerprint));
  const publicKey = await openpgp.readKey({ armoredKey: await gpg.exportPublic(fingerprint) });

  const docs = generateDocs(options.count ?? 200);
  // The sealed files are named as the outbox names them; their order on disk is not the docs' order.
  await Promise.all(
    docs.map(async (d) => {
      const { armored } = await sealHandoff(d, { recipients: [publicKey] });
      await writeFile(path.join(inbox, `${d.caseId}.asc`), armored);
    }),
  );

  const ctx: RegisterContext = {
    dir: path.join(root, "register"),
    key: await DeskKey.unlock(await gpg.exportSecret(fingerprint)),
    types: MESSAGE_TYPES,
    now: () => FIXTURE_NOW,
  };
  await importMessages(ctx, [inbox]);
  const { plans, expected } = planEvents(docs);
  await updateRegister(ctx, async (tx) => {
    for (const p of plans)
      for (const event of p.events) await tx.append({ kind: "event", caseId: p.caseId, event });
  });

  return {
    root,
    registerDir: ctx.dir,
    inbox,
    keyFile,
    publicKeyFile,
    gpg,
    fingerprint,
    ctx,
    docs,
    expected,
    async cleanup() {
      await gpg.cleanup();
      await rm(root, { recursive: true, force: true });
    },
  };
}
