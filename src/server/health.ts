import type { StateStore } from "../store/index.ts";
import { checkStore } from "../store/index.ts";
import type { Route } from "./http.ts";

const json = (res: import("node:http").ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
};

/** /healthz: the process answers. /readyz: it can serve a turn (the state store answers). */
export function healthRoutes(vault: StateStore, keyProblems: () => string[]): Route[] {
  return [
    { method: "GET", path: "/healthz", handle: (_req, res) => json(res, 200, { ok: true }) },
    {
      method: "GET",
      path: "/readyz",
      handle: async (_req, res) => {
        const store = await checkStore(vault);
        // Key problems are reported but do not make the replica unready: other counsellors still work.
        json(res, store.ok ? 200 : 503, { ok: store.ok, store, keyProblems: keyProblems().length });
      },
    },
  ];
}
