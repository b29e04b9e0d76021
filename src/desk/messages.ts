/**
 * The kinds of sealed message the desk can import, dispatched on the JSON block marker inside
 * the decrypted plaintext (see src/handoff/plaintext.ts: readable text, then the JSON document
 * between a BEGIN and an END line at column 0, then padding).
 *
 * The handoff opens a case; the follow-up notice and the melder's answer (the anonymous
 * follow-up) join one. Each is a `DeskMessageType` in its own module, listed in
 * message-types.ts. Nothing else in the desk changes — import, the index, `desk show` and the
 * case fold all go through this interface.
 */
import type { z } from "zod";
import type { CivilDate } from "./calendar.ts";
import type { CaseFacts } from "./records.ts";

export interface MessageIdentity {
  /** The case the message belongs to. */
  caseId: string;
  /** Idempotency key: importing a message with a known id is a no-op. */
  messageId: string;
  /** The message's own day (day-granular, like every date Vertrouwd sends). */
  date: CivilDate;
  /** The case code, for a message that does not open the case (what `desk import` prints). */
  caseCode?: string;
}

export interface DeskMessageType<Body = unknown> {
  /** Stored in the register; never rename one that has shipped. */
  readonly name: string;
  /** The column-0 line that opens the message's JSON block, e.g. "-----BEGIN VERTROUWD HANDOFF JSON-----". */
  readonly beginMarker: string;
  /** Validates the decrypted plaintext. Throws NotADeskMessageError, whose message quotes no data. */
  parse(plaintext: string): Body;
  /** Validates a stored body again when it is read back from the register. */
  readonly body: z.ZodType<Body, z.ZodTypeDef, unknown>;
  identify(body: Body): MessageIdentity;
  /** Only for a message that opens a case (the handoff): the facts the list and the report count. */
  caseFacts?(body: Body): CaseFacts;
  /** The readable text, for `desk show`. */
  render(body: Body): string;
}

/** The decrypted data is not a message this version of the desk understands. */
export class NotADeskMessageError extends Error {
  readonly reason: "no-marker" | "unknown-kind" | "invalid";
  constructor(reason: NotADeskMessageError["reason"], message: string) {
    super(message);
    this.name = "NotADeskMessageError";
    this.reason = reason;
  }
}

const MARKER_RE = /^-----BEGIN VERTROUWD [A-Z][A-Z -]{0,40} JSON-----$/;

export class MessageRegistry {
  private readonly byName = new Map<string, DeskMessageType>();
  private readonly byMarker = new Map<string, DeskMessageType>();

  constructor(types: readonly DeskMessageType<unknown>[]) {
    for (const t of types) {
      if (!MARKER_RE.test(t.beginMarker))
        throw new Error(`message type ${t.name}: marker has the wrong form`);
      if (this.byName.has(t.name) || this.byMarker.has(t.beginMarker)) {
        throw new Error(`message type ${t.name} is registered twice`);
      }
      this.byName.set(t.name, t);
      this.byMarker.set(t.beginMarker, t);
    }
  }

  get(name: string): DeskMessageType | undefined {
    return this.byName.get(name);
  }

  /**
   * Finds the kind of a decrypted plaintext by its last column-0 marker line (the same rule as
   * parsePlaintext: melder text is indented, so it cannot supply a marker) and parses it.
   */
  dispatch(plaintext: string): { type: DeskMessageType; body: unknown } {
    const lines = plaintext.replace(/\r\n?/g, "\n").split("\n");
    let marker: string | undefined;
    for (let i = lines.length - 1; i >= 0 && marker === undefined; i--) {
      if (MARKER_RE.test(lines[i] as string)) marker = lines[i];
    }
    if (marker === undefined) {
      throw new NotADeskMessageError("no-marker", "the decrypted data is not a Vertrouwd message");
    }
    const type = this.byMarker.get(marker);
    if (!type) {
      throw new NotADeskMessageError(
        "unknown-kind",
        "a Vertrouwd message of a kind this version of the desk does not know; update vertrouwd",
      );
    }
    return { type, body: type.parse(plaintext) };
  }
}
