/** Who a request comes from, as far as the rate limits need: the right hop, and one client's network. */
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress, clientNetwork } from "../../src/server/client.ts";

const req = (remote: string, forwarded?: string) =>
  ({
    socket: { remoteAddress: remote },
    headers: forwarded ? { "x-forwarded-for": forwarded } : {},
  }) as unknown as IncomingMessage;

describe("client address", () => {
  it("is the socket's address unless proxies are trusted: a client cannot choose its own", () => {
    expect(clientAddress(req("192.0.2.1", "203.0.113.9"), 0)).toBe("192.0.2.1");
  });

  it("is the address the outermost trusted proxy saw", () => {
    expect(clientAddress(req("10.0.0.2", "203.0.113.9"), 1)).toBe("203.0.113.9");
    // A forged entry in front is skipped: the proxy appended the real one.
    expect(clientAddress(req("10.0.0.2", "198.51.100.1, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientAddress(req("10.0.0.3", "203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
    expect(clientAddress(req("10.0.0.2"), 1)).toBe("10.0.0.2");
  });
});

describe("client network", () => {
  it("keeps an IPv4 address, and reduces IPv6 to its /64", () => {
    expect(clientNetwork("203.0.113.9")).toBe("203.0.113.9");
    expect(clientNetwork("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(clientNetwork("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:0db8:0001:0002::/64");
    expect(clientNetwork("2001:db8:1:2::1")).toBe("2001:0db8:0001:0002::/64");
    expect(clientNetwork("2001:db8::1")).toBe("2001:0db8:0000:0000::/64");
    expect(clientNetwork("::1")).toBe("0000:0000:0000:0000::/64");
    expect(clientNetwork("not an address")).toBe("unknown");
  });
});
