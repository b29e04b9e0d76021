/**
 * Renders every view through the real adapters' presentation code — the Slack chat poster (with
 * a recording Web API client), modals, App Home; the Teams chat cards, answered cards, dialogs —
 * and checks each payload. Returns the violations, the payload count and the largest payloads.
 */
import type { webApi } from "@slack/bolt";
import type { KnownBlock } from "../../adapters/slack/blocks.ts";
import { homeView } from "../../adapters/slack/blocks.ts";
import { createSlackChat } from "../../adapters/slack/chat.ts";
import { sameViewWithNotice } from "../../adapters/slack/listeners/actions.ts";
import { dangerView, fieldErrors, formView, renderOptions } from "../../adapters/slack/modal.ts";
import {
  type SubmitMeaning,
  answeredCard,
  chatCard,
  dangerDialog,
  formDialog,
  retryDialog,
} from "../../adapters/teams/cards.ts";
import type { Config } from "../../src/config/schema.ts";
import { renderPrompt } from "../../src/content/index.ts";
import { directoryFrom } from "../../src/conversation/directory.ts";
import type { FormOutput } from "../../src/conversation/types.ts";
import { silentLogger } from "../../src/log/logger.ts";
import {
  TEAMS,
  actionTitles,
  actionsOf,
  checkDialog,
  checkMessageActivity,
  textsOf,
} from "./adaptive-cards.ts";
import {
  BUTTON_LABEL_MAX,
  type Violation,
  buttonIds,
  buttonLabels,
  checkErrors,
  checkHome,
  checkMessage,
  checkModal,
} from "./block-kit.ts";
import { chatViews, formViews, fullContact, fullReport } from "./walk.ts";

/** The longest form token the Slack adapter accepts (decodeMetadata), and a large step number. */
const TOKEN = `f1.${"A".repeat(197)}`;
const SEQ = 987_654_321;

export interface Largest {
  label: string;
  size: number;
}

export interface Report {
  payloads: number;
  slackPayloads: number;
  teamsPayloads: number;
  violations: string[];
  /** Teams payloads over the 28 KB warning. */
  warnings: string[];
  largestTeamsCard: Largest;
  largestTeamsDialog: Largest;
  /** The largest dialog whose size the config decides (the counsellor step). */
  largestTeamsCounsellorDialog: Largest;
  largestSlackModal: Largest;
  largestSlackMessage: Largest;
  largestSlackHome: Largest;
  /** Ids of the views without a danger button (only the runtime's own notices may be here). */
  withoutDanger: string[];
}

interface Options {
  /** Pattern of what the melder types into the form (report, contact). */
  melderPattern?: string;
  /** Also check that no catalog text carries a backtick (inline code is not in the AC subset). */
  catalogOnly?: boolean;
}

export async function renderAll(name: string, config: Config, options: Options = {}): Promise<Report> {
  const dir = directoryFrom(config);
  const r: Report = {
    payloads: 0,
    slackPayloads: 0,
    teamsPayloads: 0,
    violations: [],
    warnings: [],
    largestTeamsCard: { label: "", size: 0 },
    largestTeamsDialog: { label: "", size: 0 },
    largestTeamsCounsellorDialog: { label: "", size: 0 },
    largestSlackModal: { label: "", size: 0 },
    largestSlackMessage: { label: "", size: 0 },
    largestSlackHome: { label: "", size: 0 },
    withoutDanger: [],
  };
  const record = (label: string, vs: Violation[]) => {
    for (const v of vs) r.violations.push(`${name} ${label}: ${v.where}: ${v.rule}`);
  };
  const bigger = (which: Largest, label: string, size: number) => {
    if (size > which.size) {
      which.label = label;
      which.size = size;
    }
  };
  const slack = (label: string, vs: Violation[]) => {
    r.payloads++;
    r.slackPayloads++;
    record(label, vs);
  };
  const teams = (label: string, checked: { violations: Violation[]; bytes: number }, which: Largest) => {
    r.payloads++;
    r.teamsPayloads++;
    record(label, checked.violations);
    bigger(which, `${name} ${label}`, checked.bytes);
    if (checked.bytes > TEAMS.warnBytes)
      r.warnings.push(`${name} ${label}: ${(checked.bytes / 1024).toFixed(1)} KB`);
  };
  // Issue 12: every button a melder sees, as the adapters render it, has a label of at most 30
  // characters (Slack cuts longer ones on a narrow screen; Teams does not wrap action titles).
  const short = (label: string, labels: string[]) => {
    for (const l of labels)
      if (l.length > BUTTON_LABEL_MAX)
        r.violations.push(`${name} ${label}: button label over ${BUTTON_LABEL_MAX} characters: ${l}`);
  };
  const needs = (label: string, ids: string[], want: string[]) => {
    for (const id of want) if (!ids.includes(id)) r.violations.push(`${name} ${label}: no "${id}" button`);
    if (!ids.includes("danger")) r.withoutDanger.push(`${name} ${label}`);
  };

  // ── Slack chat: the real poster, with a Web API client that records what it is asked to send.
  const sent: { method: string; body: Record<string, unknown> }[] = [];
  // The adapter passes Block Kit as JSON strings (what the form-encoded Web API carries).
  const decoded = (body: Record<string, unknown>) =>
    typeof body.blocks === "string" ? { ...body, blocks: JSON.parse(body.blocks) } : body;
  const client = {
    chat: {
      postMessage: async (body: Record<string, unknown>) => {
        sent.push({ method: "chat.postMessage", body: decoded(body) });
        return { ok: true, ts: "1.000001" };
      },
      update: async (body: Record<string, unknown>) => {
        sent.push({ method: "chat.update", body: decoded(body) });
        return { ok: true };
      },
    },
  } as unknown as webApi.WebClient;
  const poster = createSlackChat({ chat: client, marks: client }, silentLogger());

  for (const v of chatViews(dir)) {
    const label = `chat ${v.locale} ${v.state} [${names(v.prompts)}]`;
    const runtimeOnly = v.state === "unavailable";
    sent.length = 0;
    await poster.post("D0123456789", {
      status: "ok",
      locale: v.locale,
      prompts: v.prompts,
      state: v.state,
      seq: SEQ,
    });
    const posted = sent.map((s) => s.body);
    if (posted.length !== 1)
      r.violations.push(`${name} ${label}: ${posted.length} Slack messages for one turn`);
    for (const body of posted) {
      slack(`slack ${label}`, checkMessage(body));
      bigger(r.largestSlackMessage, `${name} ${label}`, (body.blocks as unknown[]).length);
      short(`slack ${label}`, buttonLabels(body.blocks));
    }
    const slackIds = posted.flatMap((b) => buttonIds(b.blocks)).map((id) => id.replace(/^vt_choice:/, ""));
    if (!runtimeOnly)
      needs(`slack ${label}`, slackIds, v.state === "stopped" ? ["danger"] : ["danger", "stop"]);
    // The message collapses once answered.
    sent.length = 0;
    await poster.markAnswered("D0123456789", "1.000001", posted[0]?.blocks as KnownBlock[]);
    for (const s of sent) slack(`slack answered ${label}`, checkMessage(s.body));

    const card = chatCard(v.locale, v.prompts, SEQ);
    teams(`teams ${label}`, checkMessageActivity(card), r.largestTeamsCard);
    short(`teams ${label}`, actionTitles(card));
    const teamsIds = actionsOf(card).map((a) => String((a.data as { vt?: { c?: string } }).vt?.c ?? "form"));
    if (!runtimeOnly)
      needs(`teams ${label}`, teamsIds, v.state === "stopped" ? ["danger"] : ["danger", "stop"]);
    if (options.catalogOnly) backticks(r, name, label, textsOf(card));
    if (v.answered)
      teams(
        `teams answered ${label}`,
        checkMessageActivity(answeredCard(v.locale, v.answered)),
        r.largestTeamsCard,
      );
  }

  for (const locale of ["nl", "en"] as const) {
    const home = homeView(config, locale);
    slack(`slack home ${locale}`, checkHome(home as unknown as Record<string, unknown>));
    bigger(r.largestSlackHome, `${name} home ${locale}`, home.blocks.length);
    short(`slack home ${locale}`, buttonLabels(home.blocks));
    // Urgent help closes the tab, always.
    if (!JSON.stringify(home.blocks.slice(-2)).includes("112"))
      r.violations.push(`${name} home ${locale}: no urgent help`);
    for (const c of config.counsellors) {
      if (!JSON.stringify(home.blocks).includes(c.id.length > 0 ? escapeForCheck(c.name) : "")) {
        r.violations.push(`${name} home ${locale}: counsellor missing`);
      }
    }
    const danger = dangerView(locale);
    slack(`slack danger view ${locale}`, checkModal(danger as unknown as Record<string, unknown>));
    short(`slack danger view ${locale}`, buttonLabels(danger.blocks));
    const dangerCard = dangerDialog({ t: TOKEN, s: SEQ, l: locale });
    teams(`teams danger dialog ${locale}`, checkDialog(dangerCard as never), r.largestTeamsDialog);
    short(`teams danger dialog ${locale}`, actionTitles(dangerCard.card.content));
  }

  for (const v of formViews(dir, options.melderPattern)) {
    const label = `form ${v.locale} ${v.state} [${names(v.prompts)}]${v.errors ? " errors" : ""}`;
    // The runtime's own notices, and "sending": a transient state the runtime passes through
    // within one turn (seal, then done or failed), never shown.
    const runtimeOnly = v.state === "gone" || v.state === "unavailable" || v.state === "sending";
    const out: FormOutput = {
      status: v.errors ? "invalid" : "ok",
      locale: v.locale,
      prompts: v.prompts,
      state: v.state,
      token: TOKEN,
      seq: SEQ,
      ...(v.finished ? { finished: true } : {}),
      ...(v.errors ? { errors: v.errors } : {}),
    };
    const modal = formView(out) as unknown as Record<string, unknown>;
    slack(`slack ${label}`, checkModal(modal));
    bigger(r.largestSlackModal, `${name} ${label}`, (modal.blocks as unknown[]).length);
    short(`slack ${label}`, buttonLabels(modal.blocks));
    const modalIds = buttonIds(modal.blocks).map((id) => id.replace(/^vt_form:/, ""));
    if (!runtimeOnly) needs(`slack ${label}`, modalIds, v.finished ? ["danger"] : ["danger", "stop"]);
    if (v.errors) {
      const step = v.prompts.map((p) => renderPrompt(v.locale, p, renderOptions)).find((p) => p.input);
      const errors = fieldErrors(v.locale, v.errors, step);
      r.payloads++;
      r.slackPayloads++;
      record(`slack errors ${label}`, checkErrors(errors, modal));
    }
    const unavailable: FormOutput = {
      ...out,
      status: "unavailable",
      prompts: [{ text: "notice.formUnavailable", notice: true }],
    };
    slack(
      `slack unavailable ${label}`,
      checkModal(sameViewWithNotice(modal as never, unavailable) as unknown as Record<string, unknown>),
    );

    const step = [...v.prompts].reverse().find((p) => !p.notice);
    const values =
      step?.input?.form === "contact"
        ? fullContact(options.melderPattern)
        : fullReport(options.melderPattern);
    const dialog = formDialog(out, v.errors ? { values, errors: v.errors } : {});
    const checked = checkDialog(dialog as never);
    teams(`teams ${label}`, checked, r.largestTeamsDialog);
    if (v.state === "counsellor") bigger(r.largestTeamsCounsellorDialog, `${name} ${label}`, checked.bytes);
    short(`teams ${label}`, actionTitles(dialog.card.content));
    const dialogIds = actionsOf(dialog.card.content.body).map((a) =>
      String((a.data as { vt?: { a?: string } }).vt?.a),
    );
    if (!runtimeOnly) needs(`teams ${label}`, dialogIds, v.finished ? ["danger"] : ["danger", "stop"]);
    if (options.catalogOnly) backticks(r, name, label, textsOf(dialog.card.content));
    const meaning: SubmitMeaning | undefined = step?.options
      ? "option"
      : step?.input
        ? step.input.form
        : step?.submit
          ? `choice:${step.submit.id}`
          : undefined;
    // Nothing could be saved, or a timed-out draft came back with errors: the same press again.
    const retry = retryDialog(
      { t: TOKEN, s: SEQ, l: v.locale },
      { a: "submit", ...(meaning ? { m: meaning } : {}) },
      values,
      "notice",
      v.errors ?? [],
    );
    teams(`teams retry ${label}`, checkDialog(retry as never), r.largestTeamsDialog);
    short(`teams retry ${label}`, actionTitles(retry.card.content));
    const retryIds = actionsOf(retry.card.content.body).map((a) =>
      String((a.data as { vt?: { a?: string } }).vt?.a),
    );
    needs(`teams retry ${label}`, retryIds, ["danger", "stop"]);
  }
  return r;
}

/** The prompts of a view by message id, repeats counted: "info.counsellors, counsellor.card×8". */
function names(prompts: { text: string }[]): string {
  const out: [string, number][] = [];
  for (const p of prompts) {
    const last = out[out.length - 1];
    if (last && last[0] === p.text) last[1]++;
    else out.push([p.text, 1]);
  }
  return out.map(([t, n]) => (n > 1 ? `${t}×${n}` : t)).join(", ");
}

function backticks(r: Report, name: string, label: string, texts: string[]): void {
  for (const t of texts)
    if (t.includes("`")) r.violations.push(`${name} ${label}: a backtick in Teams text: ${t.slice(0, 60)}`);
}

/** How a counsellor's name appears in Slack mrkdwn (escaped), JSON-encoded as in the payload. */
function escapeForCheck(name: string): string {
  const escaped = name.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return JSON.stringify(escaped).slice(1, -1).slice(0, 20);
}
