/**
 * botframework-connector's JwtTokenExtractor writes to `console.error` for every expired token
 * (with its stack) and every token it cannot verify (with Microsoft's whole public key): an
 * unstructured stderr line per request that anyone on the internet can trigger, outside the
 * pino allow-list (invariant 2). Inside `withoutSdkConsole` those writes are dropped; everywhere
 * else `console.error` is untouched. AsyncLocalStorage keeps it to the one request's async work,
 * so a concurrent turn's own output is never swallowed.
 */
import { AsyncLocalStorage } from "node:async_hooks";

const quiet = new AsyncLocalStorage<{ dropped: number }>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const scope = quiet.getStore();
    if (scope) {
      scope.dropped++;
      return;
    }
    original(...args);
  };
}

/** Runs `fn` with the SDK's console output dropped; says how many lines were dropped. */
export async function withoutSdkConsole<T>(fn: () => Promise<T>): Promise<{ value: T; dropped: number }> {
  install();
  const scope = { dropped: 0 };
  const value = await quiet.run(scope, fn);
  return { value, dropped: scope.dropped };
}
