/**
 * A desk operation could not be done. The message is one line for the counsellor: it names
 * files, case codes and reasons, never the content of a report or a note.
 */
export class DeskError extends Error {
  /** 1: the operation failed; 2: usage, input or file problems (as `vertrouwd open`). */
  readonly exitCode: 1 | 2;
  constructor(message: string, exitCode: 1 | 2 = 1) {
    super(message);
    this.name = "DeskError";
    this.exitCode = exitCode;
  }
}
