/** A request the web API refuses: the status, one of the protocol's codes and an admin-readable message. */
import type { ErrorCode } from "../protocol.ts";

export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "Refusal";
  }
}
