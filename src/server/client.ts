/**
 * Who is asking, as far as rate limiting needs to know: the client's internet address, reduced to
 * what one client controls (an IPv4 address, or the /64 network of an IPv6 address: one home or
 * phone gets a whole /64), and never kept in readable form (see rate-limit.ts).
 */
import type { IncomingMessage } from "node:http";
import { isIPv4, isIPv6 } from "node:net";

/**
 * The client's address. With `trustedProxies` > 0, the address the outermost trusted proxy saw,
 * read from X-Forwarded-For (each proxy appends the address it received the request from).
 */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const socket = req.socket.remoteAddress ?? "";
  if (trustedProxies <= 0) return socket;
  const header = req.headers["x-forwarded-for"];
  const forwarded = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const chain = [...forwarded, socket];
  return chain[Math.max(0, chain.length - 1 - trustedProxies)] ?? socket;
}

/** The part of an address one client controls: IPv4 as is, IPv6 as its /64 prefix. */
export function clientNetwork(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (isIPv4(address)) return address;
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!isIPv6(bare)) return "unknown";
  return `${expandIPv6(bare).slice(0, 4).join(":")}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  // An embedded IPv4 tail (e.g. ::1.2.3.4) counts as two groups.
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return groups.map((g) => (g.includes(".") ? g : g.padStart(4, "0").toLowerCase()));
}
