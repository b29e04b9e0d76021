/**
 * The README's configuration example is a config the schema accepts (with real fingerprints in
 * place of its "…" placeholders): the first thing an admin copies must not be refused.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Config } from "../../src/config/schema.ts";

describe("README configuration example", () => {
  it("is accepted by the config schema", async () => {
    const readme = await readFile(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Configuration"));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const filled = (yaml ?? "").replaceAll('"…"', `"${"AB12".repeat(10)}"`);
    const result = Config.safeParse(parse(filled));
    expect(result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual(
      [],
    );
  });
});
