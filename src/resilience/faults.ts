/**
 * Crash points for the fail-safe tests (test/security/send-survives-a-crash.test.ts): with
 * VERTROUWD_FAULT_POINT=<name> the process kills itself with SIGKILL at that point, exactly as a
 * power cut or an OOM kill would. Ignored under NODE_ENV=production, so it can never be armed there.
 */
export type FaultPoint = "before-seal" | "after-queue" | "after-transport" | "before-receipt";

export function faultPoint(name: FaultPoint): void {
  if (process.env.NODE_ENV === "production") return;
  if (process.env.VERTROUWD_FAULT_POINT === name) process.kill(process.pid, "SIGKILL");
}
