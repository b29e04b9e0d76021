/**
 * The headers on every answer under /web — the page, its assets, the API and its refusals.
 *
 * The page loads nothing but its own script, style sheet and icon, and talks to nothing but its
 * own origin: the Content-Security-Policy makes the browser enforce that (no inline script or
 * style, no eval, no frames, no third-party anything, DOM writes only through text). Nothing is
 * cached anywhere: a shared computer keeps no copy of the page or of an answer.
 */
import type { ServerResponse } from "node:http";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "manifest-src 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join("; ");

export function securityHeaders(options: { https: boolean }): Record<string, string> {
  return {
    "content-security-policy": `${CONTENT_SECURITY_POLICY}${options.https ? "; upgrade-insecure-requests" : ""}`,
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "cross-origin-embedder-policy": "require-corp",
    "origin-agent-cluster": "?1",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
    "cache-control": "no-store",
    "x-robots-tag": "noindex, nofollow",
    ...(options.https ? { "strict-transport-security": "max-age=31536000" } : {}),
  };
}

/** A JSON answer with the security headers. */
export function sendJson(
  res: ServerResponse,
  headers: Record<string, string>,
  status: number,
  body: unknown,
  extra: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...extra,
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}
