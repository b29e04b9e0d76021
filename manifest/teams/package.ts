/**
 * Builds the Teams app package: manifest/teams/build/vertrouwd-teams.zip with manifest.json
 * (bot id and domain filled in from the environment) and the two committed icons (a speech bubble
 * with a keyhole on manifest.json's accent colour; edit them with any image editor, keeping the
 * sizes and the transparency checkIcon enforces).
 *
 *   MicrosoftAppId=<GUID> VERTROUWD_PUBLIC_HOST=vertrouwd.example.org npm run teams:package
 *
 * The app's links (website, privacy, terms of use) default to the privacy page the server
 * serves; VERTROUWD_WEBSITE_URL, VERTROUWD_PRIVACY_URL and VERTROUWD_TERMS_URL override them.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { zipSync } from "fflate";

const HERE = path.dirname(fileURLToPath(import.meta.url));
/**
 * manifest/teams in the checkout: the template, the icons and build/. `npm run teams:package` runs
 * this file compiled, from dist/manifest/teams (tsconfig.build.json keeps the source layout under
 * dist/), and the template and icons are not copied there.
 */
export const TEAMS_DIR =
  path.basename(path.resolve(HERE, "../..")) === "dist"
    ? path.resolve(HERE, "../../../manifest/teams")
    : HERE;
/** A fixed timestamp (local midnight, 1 Jan 2024): the same inputs give the same zip, byte for byte. */
const ZIP_MTIME = new Date(2024, 0, 1);
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

/** Width, height and colour type from a PNG's IHDR chunk (the packager checks the icons, it does not draw them). */
export function pngHeader(png: Uint8Array): { width: number; height: number; colorType: number } {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (
    bytes.length < 26 ||
    bytes.subarray(0, 8).toString("hex") !== "89504e470d0a1a0a" ||
    bytes.subarray(12, 16).toString("ascii") !== "IHDR"
  ) {
    throw new PackageConfigError("not a PNG file");
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), colorType: bytes[25] ?? -1 };
}

/** Teams' icon rules: color.png 192×192; outline.png 32×32, white on a transparent background (RGBA). */
function checkIcon(name: string, png: Buffer, size: number, needsAlpha: boolean): void {
  let header: ReturnType<typeof pngHeader>;
  try {
    header = pngHeader(png);
  } catch {
    throw new PackageConfigError(`${name} is not a PNG file`);
  }
  if (header.width !== size || header.height !== size)
    throw new PackageConfigError(`${name} must be ${size}x${size} pixels`);
  if (needsAlpha && header.colorType !== 6)
    throw new PackageConfigError(`${name} must be RGBA (white on a transparent background)`);
}

/** Writes the package into outDir from the template and icons in templateDir; returns the zip's path. */
export async function buildPackage(
  input: PackageInput,
  outDir = path.join(TEAMS_DIR, "build"),
  templateDir = TEAMS_DIR,
): Promise<string> {
  const manifest = fillManifest(await readFile(path.join(templateDir, "manifest.json"), "utf8"), input);
  const color = await readFile(path.join(templateDir, "color.png"));
  const outline = await readFile(path.join(templateDir, "outline.png"));
  checkIcon("color.png", color, 192, false);
  checkIcon("outline.png", outline, 32, true);
  // PNGs are already deflated: store them; deflate the manifest.
  const zip = zipSync(
    {
      "manifest.json": [Buffer.from(manifest, "utf8"), { level: 9 }],
      "color.png": [color, { level: 0 }],
      "outline.png": [outline, { level: 0 }],
    },
    { mtime: ZIP_MTIME },
  );
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
