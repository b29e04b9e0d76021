/**
 * Teams adapter settings, read from the environment only (secrets never live in the config file).
 * Validation is strict and the errors name the variable, so a misconfigured deployment fails at
 * start instead of accepting unauthenticated traffic.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * How the bot authenticates to Microsoft. Azure no longer creates new multi-tenant bots (since
 * 31 July 2025), so SingleTenant is the default; MultiTenant stays for existing registrations;
 * UserAssignedMSI uses an Azure managed identity instead of a client secret (botbuilder's own
 * ManagedIdentityServiceClientCredentialsFactory: MicrosoftAppId is the identity's client id).
 */
export const TEAMS_APP_TYPES = ["SingleTenant", "MultiTenant", "UserAssignedMSI"] as const;
export type TeamsAppType = (typeof TEAMS_APP_TYPES)[number];

export interface TeamsSettings {
  /** Undefined only in local development without authentication. */
  appId?: string;
  appPassword?: string;
  /** Required for SingleTenant: the Entra ID tenant that owns the bot registration. */
  appTenantId?: string;
  appType: TeamsAppType;
  /** Accept unauthenticated requests (local development with the Bot Framework Emulator only). */
  devNoAuth: boolean;
}

export class TeamsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TeamsConfigError";
  }
}

export function readTeamsSettings(env: NodeJS.ProcessEnv): TeamsSettings {
  const appId = env.MicrosoftAppId?.trim() || undefined;
  const appPassword = env.MicrosoftAppPassword?.trim() || undefined;
  const appTenantId = env.MicrosoftAppTenantId?.trim() || undefined;
  const rawType = env.MicrosoftAppType?.trim() || "SingleTenant";
  const devNoAuth = env.VERTROUWD_TEAMS_DEV_NO_AUTH === "1";

  const appType = TEAMS_APP_TYPES.find((t) => t.toLowerCase() === rawType.toLowerCase());
  if (!appType) {
    throw new TeamsConfigError(
      `MicrosoftAppType must be "SingleTenant", "MultiTenant" or "UserAssignedMSI" (got "${rawType.slice(0, 40)}")`,
    );
  }

  if (devNoAuth && env.NODE_ENV === "production") {
    throw new TeamsConfigError("VERTROUWD_TEAMS_DEV_NO_AUTH=1 is refused when NODE_ENV=production");
  }

  if (!appId) {
    if (!devNoAuth) {
      throw new TeamsConfigError(
        "MicrosoftAppId is not set: the Teams endpoint would accept unauthenticated requests. " +
          "Set MicrosoftAppId and MicrosoftAppPassword from the Azure Bot registration, " +
          "or VERTROUWD_TEAMS_DEV_NO_AUTH=1 for local development only.",
      );
    }
    return { appType, devNoAuth };
  }

  if (devNoAuth) {
    throw new TeamsConfigError(
      "VERTROUWD_TEAMS_DEV_NO_AUTH=1 cannot be combined with MicrosoftAppId; unset one",
    );
  }
  if (!GUID.test(appId))
    throw new TeamsConfigError("MicrosoftAppId must be a GUID (the bot's Microsoft App ID)");
  if (appType === "UserAssignedMSI") {
    if (appPassword) {
      throw new TeamsConfigError(
        "MicrosoftAppPassword must be empty with MicrosoftAppType=UserAssignedMSI: the managed identity is the credential",
      );
    }
  } else if (!appPassword) {
    throw new TeamsConfigError("MicrosoftAppPassword is required when MicrosoftAppId is set");
  }
  if (appType !== "MultiTenant" && !appTenantId) {
    throw new TeamsConfigError(`MicrosoftAppTenantId is required when MicrosoftAppType=${appType}`);
  }
  if (appTenantId && !GUID.test(appTenantId)) {
    throw new TeamsConfigError("MicrosoftAppTenantId must be a GUID (the Entra ID tenant id)");
  }
  return { appId, appPassword, appTenantId, appType, devNoAuth };
}

export function isGuid(value: string): boolean {
  return GUID.test(value);
}
