/**
 * Builds the Teams app package: manifest/teams/build/vertrouwd-teams.zip with manifest.json
 * (bot id and domain filled in from the environment) and the two icons.
 *
 *   MicrosoftAppId=<GUID> VERTROUWD_PUBLIC_HOST=vertrouwd.example.org npm run teams:package
 *
 * The app's links (website, privacy, terms of use) default to the privacy page the server
 * serves; VERTROUWD_WEBSITE_URL, VERTROUWD_PRIVACY_URL and VERTROUWD_TERMS_URL override them.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { pngInfo } from "./png.ts";
import { writeZip } from "./zip.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export class PackageConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PackageConfigError";
  }
}

export interface PackageInput {
  appId: string;
  host: string;
  /**
   * The app's links in Teams (developer.websiteUrl, privacyUrl, termsOfUseUrl). By default the
   * privacy page `vertrouwd serve` serves at https://HOST/privacy (its "terms" section for the
   * terms of use); set VERTROUWD_WEBSITE_URL, VERTROUWD_PRIVACY_URL, VERTROUWD_TERMS_URL to use
   * the organisation's own pages.
   */
  links?: { website?: string; privacy?: string; terms?: string };
}

const LINK_ENV = {
  website: "VERTROUWD_WEBSITE_URL",
  privacy: "VERTROUWD_PRIVACY_URL",
  terms: "VERTROUWD_TERMS_URL",
} as const;
/** An https address that can stand in a JSON string as it is (the manifest schema: https only). */
const HTTPS_URL = /^https:\/\/[^\s"\\<>{}]{1,2040}$/;

/** The three links, defaults filled in. */
export function manifestLinks(input: PackageInput): { website: string; privacy: string; terms: string } {
  const page = `https://${input.host}/privacy`;
  return {
    website: input.links?.website ?? page,
    privacy: input.links?.privacy ?? page,
    terms: input.links?.terms ?? `${page}#terms`,
  };
}

export function packageInputFromEnv(env: NodeJS.ProcessEnv): PackageInput {
  const appId = env.MicrosoftAppId?.trim() ?? "";
  const host = (env.VERTROUWD_PUBLIC_HOST?.trim() ?? "").toLowerCase();
  const problems: string[] = [];
  if (!appId) problems.push("MicrosoftAppId is not set (the Azure Bot's Microsoft App ID)");
  else if (!GUID.test(appId))
    problems.push("MicrosoftAppId must be a GUID like 00000000-0000-0000-0000-000000000000");
  if (!host)
    problems.push("VERTROUWD_PUBLIC_HOST is not set (the public host name, e.g. vertrouwd.example.org)");
  else if (!HOSTNAME.test(host)) {
    problems.push(
      "VERTROUWD_PUBLIC_HOST must be a bare host name: no scheme, port or path (e.g. vertrouwd.example.org)",
    );
  }
  const links: NonNullable<PackageInput["links"]> = {};
  for (const [key, name] of Object.entries(LINK_ENV) as [keyof typeof LINK_ENV, string][]) {
    const value = env[name]?.trim();
    if (!value) continue;
    if (HTTPS_URL.test(value) && URL.canParse(value)) links[key] = value;
    else problems.push(`${name} must be an https:// address (e.g. https://www.example.org/privacy)`);
  }
  if (problems.length > 0)
    throw new PackageConfigError(`Cannot build the Teams package:\n- ${problems.join("\n- ")}`);
  return { appId: appId.toLowerCase(), host, ...(Object.keys(links).length > 0 ? { links } : {}) };
}

/** The manifest with placeholders filled in; fails if any placeholder is left. */
export function fillManifest(template: string, input: PackageInput): string {
  const links = manifestLinks(input);
  const filled = template
    .replaceAll("{{MICROSOFT_APP_ID}}", input.appId)
    .replaceAll("{{PUBLIC_HOST}}", input.host)
    .replaceAll("{{WEBSITE_URL}}", links.website)
    .replaceAll("{{PRIVACY_URL}}", links.privacy)
    .replaceAll("{{TERMS_URL}}", links.terms);
  const left = /\{\{[A-Z_]+\}\}/.exec(filled);
  if (left) throw new PackageConfigError(`manifest.json has an unknown placeholder ${left[0]}`);
  JSON.parse(filled);
  return filled;
}

export async function buildPackage(input: PackageInput, outDir = path.join(HERE, "build")): Promise<string> {
  const manifest = fillManifest(await readFile(path.join(HERE, "manifest.json"), "utf8"), input);
  const color = await readFile(path.join(HERE, "color.png"));
  const outline = await readFile(path.join(HERE, "outline.png"));
  for (const [name, png, size] of [
    ["color.png", color, 192],
    ["outline.png", outline, 32],
  ] as const) {
    const info = pngInfo(png);
    if (info.width !== size || info.height !== size)
      throw new Error(`${name} must be ${size}x${size} pixels`);
  }
  const zip = writeZip([
    { name: "manifest.json", data: Buffer.from(manifest, "utf8") },
    { name: "color.png", data: color },
    { name: "outline.png", data: outline },
  ]);
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, "vertrouwd-teams.zip");
  await writeFile(file, zip);
  return file;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const file = await buildPackage(packageInputFromEnv(process.env));
    process.stdout.write(`Teams app package written to ${path.relative(process.cwd(), file)}\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
