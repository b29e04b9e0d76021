/**
 * The bot token's OAuth scopes, checked by `vertrouwd doctor --check-network` against what the
 * manifests ask for (manifest/slack/*.yaml; docs/slack.md explains each). A missing scope breaks
 * a step at the melder's moment (a DM that cannot be found, a delivery that cannot upload), so
 * doctor says it before any melder meets it; an extra scope is least privilege lost, a warning.
 *
 * Slack answers every Web API call with the token's scopes in the `x-oauth-scopes` header;
 * `auth.test` is the cheapest call that has it (Tier "special": no practical limit).
 */

/** What the manifests grant the bot; files:write only for the "slack" delivery. */
export const BOT_SCOPES = ["chat:write", "im:history", "im:write"] as const;
export const FILE_DELIVERY_SCOPE = "files:write";

export interface ScopeCheck {
  problems: string[];
  warnings: string[];
  /** The workspace the token belongs to, when Slack said (for the ✓ line). */
  team?: string;
}

export async function checkSlackScopes(options: {
  botToken: string;
  /** SLACK_API_URL, or Slack's own. */
  apiUrl?: string;
  /** A counsellor's delivery is `type: slack`. */
  fileDelivery: boolean;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): Promise<ScopeCheck> {
  const base = options.apiUrl ? options.apiUrl.replace(/\/?$/, "/") : "https://slack.com/api/";
  const call = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await call(`${base}auth.test`, {
      method: "POST",
      headers: { authorization: `Bearer ${options.botToken}` },
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
  } catch (err) {
    const why =
      err instanceof Error && err.name === "TimeoutError" ? "no answer within 5 s" : "not reachable";
    return { problems: [`slack: the Web API at ${base} is ${why}`], warnings: [] };
  }
  const body = (await res.json().catch(() => ({}))) as { ok?: boolean; error?: string; team?: string };
  if (!res.ok || body.ok !== true) {
    return {
      problems: [
        `slack: auth.test refused the bot token (${body.error ?? `HTTP ${res.status}`}); copy the Bot User OAuth Token again (docs/slack.md)`,
      ],
      warnings: [],
    };
  }
  const granted = new Set(
    (res.headers.get("x-oauth-scopes") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const needed: string[] = [...BOT_SCOPES, ...(options.fileDelivery ? [FILE_DELIVERY_SCOPE] : [])];
  const missing = needed.filter((s) => !granted.has(s));
  const extra = [...granted].filter((s) => !needed.includes(s)).sort();
  return {
    problems: missing.length
      ? [
          `slack: the bot token lacks ${missing.join(", ")}; add ${missing.length > 1 ? "them" : "it"} in the app's manifest and reinstall the app (docs/slack.md)`,
        ]
      : [],
    warnings: extra.length
      ? [
          `slack: the bot token has scopes Vertrouwd does not use: ${extra.join(", ")} (least privilege: remove them from the app's manifest and reinstall)`,
        ]
      : [],
    ...(body.team ? { team: body.team } : {}),
  };
}
