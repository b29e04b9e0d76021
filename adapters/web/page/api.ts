/**
 * The page's only way out: fetch() to its own origin, relative to the page's address. No
 * credentials, no cache, no referrer; every answer is checked against the protocol's schemas.
 */
import type { z } from "zod";
import {
  API,
  ErrorAnswer,
  HandoffAnswer,
  type HandoffRequest,
  MailboxAnswerAnswer,
  type MailboxAnswerRequest,
  MailboxOpenAnswer,
  type MailboxOpenRequest,
  MailboxReadAnswer,
  StatusAnswer,
  WebConfig,
  WebKeys,
} from "../protocol.ts";

export type ApiResult<T> =
  | { ok: true; value: T }
  /** The server answered with a refusal (a clear JSON error). */
  | { ok: false; kind: "refused"; status: number; error: ErrorAnswer }
  /** No answer, or not one of ours: offline, a proxy error page, a broken connection. */
  | { ok: false; kind: "network" };

export interface WebApi {
  config(): Promise<ApiResult<WebConfig>>;
  keys(): Promise<ApiResult<WebKeys>>;
  sendHandoff(request: HandoffRequest): Promise<ApiResult<HandoffAnswer>>;
  status(caseId: string): Promise<ApiResult<StatusAnswer>>;
  mailboxOpen(request: MailboxOpenRequest): Promise<ApiResult<MailboxOpenAnswer>>;
  mailboxRead(mailboxId: string): Promise<ApiResult<MailboxReadAnswer>>;
  mailboxAnswer(request: MailboxAnswerRequest): Promise<ApiResult<MailboxAnswerAnswer>>;
}

const OPTIONS: RequestInit = {
  credentials: "omit",
  cache: "no-store",
  referrerPolicy: "no-referrer",
  redirect: "error",
  mode: "same-origin",
};

async function call<T>(path: string, schema: z.ZodType<T>, body?: unknown): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(
      path,
      body === undefined
        ? { ...OPTIONS, method: "GET" }
        : {
            ...OPTIONS,
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          },
    );
  } catch {
    return { ok: false, kind: "network" };
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    return { ok: false, kind: "network" };
  }
  if (response.ok) {
    const parsed = schema.safeParse(json);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, kind: "network" };
  }
  const error = ErrorAnswer.safeParse(json);
  return error.success
    ? { ok: false, kind: "refused", status: response.status, error: error.data }
    : { ok: false, kind: "network" };
}

export function createApi(): WebApi {
  return {
    config: () => call(API.config, WebConfig),
    keys: () => call(API.keys, WebKeys),
    sendHandoff: (request) => call(API.handoffs, HandoffAnswer, request),
    status: (caseId) => call(API.status, StatusAnswer, { caseId }),
    mailboxOpen: (request) => call(API.mailboxOpen, MailboxOpenAnswer, request),
    mailboxRead: (mailboxId) => call(API.mailboxRead, MailboxReadAnswer, { mailboxId }),
    mailboxAnswer: (request) => call(API.mailboxAnswer, MailboxAnswerAnswer, request),
  };
}
