/**
 * Bot Framework authentication of one request, with botbuilder's own JWT validation, and an honest
 * answer when it cannot be done: a token that is wrong is the caller's fault (401); Microsoft's
 * signing keys that cannot be fetched (HTTP error, no connection, no answer in time) are ours to
 * wait out (503 with Retry-After), warned about at most once a minute, never an error per request.
 */
import type { Activity } from "botbuilder";
import { ConfigurationBotFrameworkAuthentication } from "botbuilder";
import { type AuthenticateRequestResult, AuthenticationError } from "botframework-connector";
import type { Logger } from "../../src/log/logger.ts";
import { withoutSdkConsole } from "./sdk-console.ts";
import type { TeamsSettings } from "./settings.ts";

/** At most one warning a minute while Microsoft's signing keys cannot be fetched. */
const KEYS_WARN_EVERY_MS = 60_000;
/** The SDK fetches the keys without a timeout; a request must not hang on a silent endpoint. */
export const DEFAULT_AUTH_TIMEOUT_MS = 10_000;
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
]);

export type AuthOutcome =
  | { ok: true; result: AuthenticateRequestResult }
  | { ok: false; status: 401 }
  | { ok: false; status: 503; retryAfterSeconds: number };

export interface TeamsAuthenticator {
  /** botbuilder's authentication, for the CloudAdapter that runs authenticated turns. */
  sdk: ConfigurationBotFrameworkAuthentication;
  authenticate(activity: unknown, authorization: string): Promise<AuthOutcome>;
}

class KeysTimeout extends Error {
  constructor() {
    super("signing keys not fetched in time");
    this.name = "KeysTimeout";
  }
}

export function createAuthenticator(
  settings: TeamsSettings,
  logger: Logger,
  options: { timeoutMs?: number } = {},
): TeamsAuthenticator {
  const auth = new ConfigurationBotFrameworkAuthentication(authOptions(settings));
  const timeoutMs = options.timeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS;
  let lastWarning = 0;
  return {
    sdk: auth,
    async authenticate(activity, authorization) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const result = await Promise.race([
          // The SDK prints expired and unverifiable tokens to stderr itself: not here (sdk-console.ts).
          withoutSdkConsole(() => auth.authenticateRequest(activity as Activity, authorization)).then(
            (r) => r.value,
          ),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new KeysTimeout()), timeoutMs);
          }),
        ]);
        return { ok: true, result };
      } catch (err) {
        if (!keysUnavailable(err)) {
          logger.warn({ event: "teams.auth.rejected", reason: reasonOf(err) });
          return { ok: false, status: 401 };
        }
        if (Date.now() - lastWarning > KEYS_WARN_EVERY_MS) {
          lastWarning = Date.now();
          logger.warn({
            event: "teams.auth.metadata_unavailable",
            errName: err instanceof Error ? err.name : typeof err,
          });
        }
        return { ok: false, status: 503, retryAfterSeconds: 10 };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function authOptions(settings: TeamsSettings): Record<string, string> {
  if (!settings.appId) return {};
  return {
    MicrosoftAppId: settings.appId,
    MicrosoftAppType: settings.appType,
    ...(settings.appPassword ? { MicrosoftAppPassword: settings.appPassword } : {}),
    ...(settings.appTenantId ? { MicrosoftAppTenantId: settings.appTenantId } : {}),
  };
}

/**
 * Microsoft's keys could not be had: the SDK's "Failed to load openID config/Keys" (an
 * AuthenticationError with status 500), a network error of its fetch, or our timeout. Anything
 * else — a bad signature, audience, issuer, expiry, or a body the SDK cannot read — is a 401.
 */
function keysUnavailable(err: unknown): boolean {
  if (err instanceof KeysTimeout) return true;
  if (err instanceof AuthenticationError) return err.statusCode === 500;
  const e = err as { name?: unknown; code?: unknown } | undefined;
  return e?.name === "FetchError" || (typeof e?.code === "string" && NETWORK_CODES.has(e.code));
}

/** Auth failures name what was wrong with the token (issuer, audience, expiry), never a user's data. */
function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message.slice(0, 160) : "unknown";
}
