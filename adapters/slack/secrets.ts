/**
 * The Slack secrets, read from the environment only (never from the config file), checked at
 * start so a misconfigured install fails with an admin error instead of answering nobody.
 */
export class SlackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SlackConfigError";
  }
}

export interface SlackSecrets {
  botToken: string;
  /** Required for HTTP mode (Events API / interactivity request URL). */
  signingSecret?: string;
  /** App-level token (xapp-…) with connections:write: Socket Mode instead of a public URL. */
  appToken?: string;
  socketMode: boolean;
}

/** True when any Slack variable is set, i.e. the admin means to run the Slack adapter. */
export function slackConfigured(env: NodeJS.ProcessEnv): boolean {
  return [env.SLACK_BOT_TOKEN, env.SLACK_SIGNING_SECRET, env.SLACK_APP_TOKEN].some(
    (v) => (v ?? "").trim() !== "",
  );
}

export function readSlackSecrets(env: NodeJS.ProcessEnv): SlackSecrets {
  const botToken = (env.SLACK_BOT_TOKEN ?? "").trim();
  const signingSecret = (env.SLACK_SIGNING_SECRET ?? "").trim();
  const appToken = (env.SLACK_APP_TOKEN ?? "").trim();

  if (!botToken) {
    throw new SlackConfigError(
      "Slack adapter refused to start: SLACK_BOT_TOKEN is empty or missing. Copy the Bot User OAuth Token (xoxb-…) " +
        "from your Slack app's 'OAuth & Permissions' page (see docs/slack.md).",
    );
  }
  // xoxe.xoxb-… is a bot token with token rotation enabled.
  if (!/^(xoxe\.)?xoxb-/.test(botToken)) {
    throw new SlackConfigError(
      "Slack adapter refused to start: SLACK_BOT_TOKEN is not a bot token (it must start with 'xoxb-'). " +
        "User tokens (xoxp-) and app tokens (xapp-) do not work here.",
    );
  }
  if (appToken) {
    if (!appToken.startsWith("xapp-")) {
      throw new SlackConfigError(
        "Slack adapter refused to start: SLACK_APP_TOKEN must be an app-level token starting with 'xapp-' " +
          "(Basic Information → App-Level Tokens, scope connections:write).",
      );
    }
    return { botToken, appToken, socketMode: true, ...(signingSecret ? { signingSecret } : {}) };
  }
  if (!signingSecret) {
    throw new SlackConfigError(
      "Slack adapter refused to start: SLACK_SIGNING_SECRET is empty or missing. Without it requests cannot be " +
        "verified as coming from Slack. Copy the Signing Secret from 'Basic Information' (or set SLACK_APP_TOKEN " +
        "to use Socket Mode instead).",
    );
  }
  return { botToken, signingSecret, socketMode: false };
}
