/**
 * Loads vertrouwd.config.yaml / .json and validates it with zod. Errors name the file and the
 * field, so an admin can fix them without reading code.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { ZodError } from "zod";
import { Config } from "./schema.ts";

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(file: string, problems: string[]) {
    super(`${file}: invalid configuration\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

export interface LoadedConfig {
  config: Config;
  /** Relative paths in the config (keys, outbox) resolve against the config file's directory. */
  baseDir: string;
  file: string;
}

export const DEFAULT_CONFIG_FILES = [
  "vertrouwd.config.yaml",
  "vertrouwd.config.yml",
  "vertrouwd.config.json",
];

/** Parses and validates config text; `file` is only used in messages. */
export function parseConfig(text: string, file: string): Config {
  let raw: unknown;
  try {
    raw = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    // Parser messages quote a position, not the file's content.
    throw new ConfigError(file, [
      `not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(err as Error).message.split("\n")[0]}`,
    ]);
  }
  const result = Config.safeParse(raw);
  if (!result.success) throw new ConfigError(file, describeIssues(result.error));
  return result.data;
}

export async function loadConfig(file: string): Promise<LoadedConfig> {
  const resolved = path.resolve(file);
  let text: string;
  try {
    text = await readFile(resolved, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [
      code === "ENOENT" ? "file not found" : `cannot be read (${code ?? "error"})`,
    ]);
  }
  return { config: parseConfig(text, file), baseDir: path.dirname(resolved), file: resolved };
}

export function describeIssues(error: ZodError): string[] {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join(".") : "(top level)"}: ${i.message}`);
}
