import { describe, expect, it } from "vitest";
import { createLogger, safeError } from "../../src/log/logger.ts";

const CANARY = "CANARY-log-redaction";

describe("logger", () => {
  it("redacts fields that could carry user text even when they slip into a log call", () => {
    const lines: string[] = [];
    const log = createLogger({ level: "info", destination: { write: (l: string) => void lines.push(l) } });
    log.info({
      event: "x",
      text: CANARY,
      report: { what: CANARY },
      values: { what: CANARY },
      user: CANARY,
      payload: CANARY,
      nested: { text: CANARY, userId: CANARY },
    });
    expect(lines.join("")).not.toContain(CANARY);
    expect(lines.join("")).toContain("[redacted]");
  });

  it("reduces errors to their name and message: no stack, no cause", () => {
    const err = new Error("boom", { cause: new Error(CANARY) });
    const lines: string[] = [];
    const log = createLogger({ destination: { write: (l: string) => void lines.push(l) } });
    log.error({ event: "y", err });
    expect(lines.join("")).not.toContain(CANARY);
    expect(lines.join("")).not.toContain("at ");
    expect(safeError("str")).toEqual({ type: "string", message: "non-error thrown" });
  });
});
