/**
 * The app manifests against the platforms' own schemas (vendored, see schemas/README.md):
 * manifest/teams/manifest.json — as the package script fills it in — against the Teams manifest
 * schema of the version it declares, and both Slack manifests against Slack's manifest schema.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type AnySchema } from "ajv";
import formats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { fillManifest, manifestLinks, packageInputFromEnv } from "../../manifest/teams/package.ts";
import { readSchema } from "./adaptive-cards.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const APP_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

function ajv(): Ajv {
  const a = new Ajv({ strict: false, allErrors: true });
  (formats as unknown as { default: (a: Ajv) => void }).default(a);
  return a;
}

const errorsOf = (validate: ReturnType<Ajv["compile"]>) =>
  (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);

describe("Teams app manifest", () => {
  // Declared draft-04, which Ajv 8 does not ship; it uses no keyword whose meaning differs in
  // draft-07 (see schemas/README.md), so it is compiled without its $schema line.
  const { $schema: _draft, ...schema } = readSchema("teams-manifest-1.17.json") as { $schema?: string };
  const validate = ajv().compile(schema as AnySchema);

  it("declares the manifest version whose schema is vendored", async () => {
    const template = JSON.parse(await readFile(path.join(ROOT, "manifest/teams/manifest.json"), "utf8"));
    expect(template.manifestVersion).toBe("1.17");
    expect(template.$schema).toBe(
      "https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json",
    );
  });

  it("is valid as the package script fills it in, with the default and with configured links", async () => {
    const template = await readFile(path.join(ROOT, "manifest/teams/manifest.json"), "utf8");
    for (const env of [
      { MicrosoftAppId: APP_ID, VERTROUWD_PUBLIC_HOST: "vertrouwd.example.org" },
      {
        MicrosoftAppId: APP_ID,
        VERTROUWD_PUBLIC_HOST: "vertrouwd.example.org",
        VERTROUWD_WEBSITE_URL: "https://www.example.org/vertrouwenspersoon",
        VERTROUWD_PRIVACY_URL: "https://www.example.org/privacy",
        VERTROUWD_TERMS_URL: "https://www.example.org/voorwaarden",
      },
    ]) {
      const input = packageInputFromEnv(env);
      const manifest = JSON.parse(fillManifest(template, input));
      expect(validate(manifest), errorsOf(validate).join("\n")).toBe(true);
      const links = manifestLinks(input);
      expect(manifest.developer).toMatchObject({
        websiteUrl: links.website,
        privacyUrl: links.privacy,
        termsOfUseUrl: links.terms,
      });
      // A personal bot needs neither the user's identity nor to message their team.
      expect(manifest.permissions).toBeUndefined();
    }
  });

  it("points to pages the server serves unless told otherwise, and refuses links that are not https", () => {
    const input = packageInputFromEnv({ MicrosoftAppId: APP_ID, VERTROUWD_PUBLIC_HOST: "vt.example.org" });
    expect(manifestLinks(input)).toEqual({
      website: "https://vt.example.org/privacy",
      privacy: "https://vt.example.org/privacy",
      terms: "https://vt.example.org/privacy#terms",
    });
    expect(() =>
      packageInputFromEnv({
        MicrosoftAppId: APP_ID,
        VERTROUWD_PUBLIC_HOST: "vt.example.org",
        VERTROUWD_PRIVACY_URL: "http://example.org/privacy",
        VERTROUWD_TERMS_URL: 'https://example.org/"x',
      }),
    ).toThrow(/VERTROUWD_PRIVACY_URL must be an https:\/\/ address[\s\S]*VERTROUWD_TERMS_URL/);
  });

  it("fails the schema when a field breaks it (the check is real)", async () => {
    const template = await readFile(path.join(ROOT, "manifest/teams/manifest.json"), "utf8");
    const manifest = JSON.parse(fillManifest(template, { appId: APP_ID, host: "vt.example.org" }));
    manifest.name.short = "x".repeat(31);
    manifest.bots[0].scopes = ["everywhere"];
    expect(validate(manifest)).toBe(false);
    expect(errorsOf(validate).join("\n")).toMatch(/\/name\/short[\s\S]*\/bots\/0\/scopes/);
  });
});

describe("Slack app manifests", () => {
  const slack = ajv();
  // The switch schema refers to the versioned schemas by their raw URLs at v0.5.0; the local
  // copies are registered under exactly those URLs, so nothing is fetched.
  const base = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/";
  slack.addSchema({
    ...(readSchema("slack-manifest.schema.1.0.0.json") as object),
    $id: `${base}manifest.schema.1.0.0.json`,
  });
  slack.addSchema({
    ...(readSchema("slack-manifest.schema.2.0.0.json") as object),
    $id: `${base}manifest.schema.2.0.0.json`,
  });
  const validate = slack.compile(readSchema("slack-manifest.schema.json") as AnySchema);

  for (const file of ["manifest.yaml", "manifest.socket.yaml"]) {
    it(`${file} is valid and asks for the scopes docs/slack.md explains, no more`, async () => {
      const manifest = parseYaml(await readFile(path.join(ROOT, "manifest/slack", file), "utf8"));
      expect(validate(manifest), errorsOf(validate).join("\n")).toBe(true);
      expect(manifest.oauth_config.scopes.bot).toEqual(["chat:write", "im:history", "im:write"]);
      expect(manifest.settings.socket_mode_enabled).toBe(file === "manifest.socket.yaml");
      const docs = await readFile(path.join(ROOT, "docs/slack.md"), "utf8");
      for (const scope of [...manifest.oauth_config.scopes.bot, "files:write"])
        expect(docs).toContain(`\`${scope}\``);
    });
  }

  it("fails the schema when a field breaks it (the check is real)", async () => {
    const manifest = parseYaml(await readFile(path.join(ROOT, "manifest/slack/manifest.yaml"), "utf8"));
    manifest.display_information.name = "x".repeat(40);
    manifest.settings.unknown_setting = true;
    expect(validate(manifest)).toBe(false);
  });
});
