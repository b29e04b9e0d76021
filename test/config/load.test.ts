import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseConfig } from "../../src/config/load.ts";

const FPR = "0123 4567 89AB CDEF 0123  4567 89AB CDEF 0123 4567";
const valid = `
organisation: { name: Test BV }
counsellors:
  - id: anna
    name: Anna
    kind: internal
    languages: [nl]
    introduction: { nl: Hallo }
    key: { publicKeyPath: keys/anna.asc, fingerprint: "${FPR}" }
    delivery: { type: outbox }
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vt-config-"));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("config", () => {
  it("accepts a minimal config with sane defaults and a normalised fingerprint", () => {
    const c = parseConfig(valid, "vertrouwd.config.yaml");
    expect(c.defaultLocale).toBe("nl");
    expect(c.idleTimeoutMinutes).toBe(30);
    expect(c.counsellors[0]?.key.fingerprint).toBe("0123456789ABCDEF0123456789ABCDEF01234567");
    expect(c.counsellors[0]?.delivery).toEqual({ type: "outbox", dir: "outbox" });
  });

  it("names the file and every bad field", () => {
    const bad = valid
      .replace("kind: internal", "kind: intern")
      .replace(`fingerprint: "${FPR}"`, 'fingerprint: "ABCD"');
    try {
      parseConfig(bad, "my.yaml");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toContain("my.yaml");
      expect(msg).toContain("counsellors.0.kind");
      expect(msg).toContain("counsellors.0.key.fingerprint: must be a full 40-hex-digit fingerprint");
    }
    // Cross-field checks run once the fields themselves are valid.
    expect(() => parseConfig(`${valid}defaultCounsellor: bob\n`, "my.yaml")).toThrow(
      /defaultCounsellor: names no configured counsellor/,
    );
  });

  it("keeps the secure web page off by default, and checks its address when it is on", () => {
    const c = parseConfig(valid, "c.yaml");
    expect(c.web).toMatchObject({ enabled: false, publicEntry: false, trustedProxies: 0 });
    expect(c.web.rateLimit).toEqual({
      windowMinutes: 60,
      handoffsPerClient: 5,
      handoffsOverall: 200,
      lookupsPerClient: 300,
    });
    const web = (block: string) => parseConfig(`${valid}web: ${block}\n`, "c.yaml");
    expect(
      web('{ enabled: true, publicUrl: "https://meld.example.nl/web/", publicEntry: true }').web.publicEntry,
    ).toBe(true);
    expect(web('{ enabled: true, publicUrl: "http://localhost:3978/web/" }').web.enabled).toBe(true);
    expect(() => web("{ enabled: true }")).toThrow(/web\.publicUrl: is required when web\.enabled is true/);
    expect(() => web('{ enabled: true, publicUrl: "http://meld.example.nl/web/" }')).toThrow(
      /web\.publicUrl: must be an https address/,
    );
    expect(() => web('{ enabled: true, publicUrl: "https://meld.example.nl/web" }')).toThrow(
      /web\.publicUrl: must end in "\/"/,
    );
    expect(() => web('{ enabled: true, publicUrl: "https://meld.example.nl/web/?from=slack" }')).toThrow(
      /web\.publicUrl/,
    );
    expect(() => web("{ rateLimit: { handoffsPerClient: 0 } }")).toThrow(/web\.rateLimit\.handoffsPerClient/);
    expect(() => web("{ enabeld: true }")).toThrow(/enabeld|Unrecognized/);
  });

  it("rejects unknown fields instead of silently ignoring a typo", () => {
    expect(() =>
      parseConfig(valid.replace("kind: internal", "kind: internal\n    langauges: [en]"), "c.yaml"),
    ).toThrow(/langauges|Unrecognized/);
  });

  it("says clearly when the file is missing or not YAML", async () => {
    await expect(loadConfig(path.join(dir, "nope.yaml"))).rejects.toThrow(
      /nope.yaml: invalid configuration\n {2}- file not found/,
    );
    const broken = path.join(dir, "broken.yaml");
    await writeFile(broken, "organisation: [\n");
    await expect(loadConfig(broken)).rejects.toThrow(/not valid YAML/);
    const json = path.join(dir, "c.json");
    await writeFile(json, "{ not json");
    await expect(loadConfig(json)).rejects.toThrow(/not valid JSON/);
  });
});
