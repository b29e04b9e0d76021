/**
 * A loopback stand-in for Slack's Socket Mode endpoint, speaking the envelope protocol
 * @slack/socket-mode expects: a `hello` on connect, envelopes `{ envelope_id, type, payload,
 * accepts_response_payload }` in, and acks `{ envelope_id, payload }` back. Plus a SlackTransport
 * so the melder driver (slack-melder.ts) can talk over it exactly as over HTTP.
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
// ws 7 (a dependency already in node_modules): its server side plays Slack's Socket Mode endpoint.
import WebSocket from "ws";
import type { SlackTransport } from "./slack-melder.ts";

export interface Envelope {
  envelope_id: string;
  type: "events_api" | "interactive" | "slash_commands";
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface FakeSocketMode {
  url: string;
  /** Connections accepted so far (each got a hello). */
  connections: number;
  /** Sockets currently open. */
  open(): WebSocket[];
  /** Every message the bot sent over a socket, in order. */
  received: string[];
  /** Pings the bot sent (it pings every clientPingTimeout / 3) and pongs to our pings. */
  pings: number;
  pongs: number;
  /** Sends an envelope over the newest socket and resolves with its ack. */
  deliver(envelope: Envelope): Promise<Ack>;
  close(): Promise<void>;
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const server = new WebSocket.Server({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const sockets: WebSocket[] = [];
  const waiting = new Map<string, ((ack: Ack) => void)[]>();
  const state = {
    connections: 0,
    received: [] as string[],
    pings: 0,
    pongs: 0,
  };

  server.on("connection", (socket) => {
    state.connections++;
    sockets.push(socket);
    socket.on("close", () => sockets.splice(sockets.indexOf(socket), 1));
    socket.on("ping", () => void state.pings++);
    socket.on("pong", () => void state.pongs++);
    socket.on("message", (data) => {
      const text = String(data);
      state.received.push(text);
      const ack = JSON.parse(text) as Ack;
      const next = waiting.get(ack.envelope_id)?.shift();
      next?.(ack);
    });
    // What Slack sends first; the client's start() resolves on it.
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: 1,
        debug_info: { host: "applink-fake", build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: "A0APP" },
      }),
    );
    socket.ping("slack-ping");
  });

  return {
    url: `ws://127.0.0.1:${port}/link/?ticket=${randomUUID()}&app_id=A0APP`,
    get connections() {
      return state.connections;
    },
    open: () => sockets.filter((s) => s.readyState === WebSocket.OPEN),
    received: state.received,
    get pings() {
      return state.pings;
    },
    get pongs() {
      return state.pongs;
    },
    deliver(envelope) {
      const socket = sockets.filter((s) => s.readyState === WebSocket.OPEN).at(-1);
      if (!socket) return Promise.reject(new Error("fake Socket Mode: no open connection"));
      return new Promise<Ack>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("fake Socket Mode: envelope not acked")), 5_000);
        const list = waiting.get(envelope.envelope_id) ?? [];
        list.push((ack) => {
          clearTimeout(timer);
          resolve(ack);
        });
        waiting.set(envelope.envelope_id, list);
        socket.send(JSON.stringify(envelope));
      });
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Events and interactions as Socket Mode envelopes; a view submission's ack is its response. */
export function socketTransport(sockets: FakeSocketMode): SlackTransport & { acks: Ack[] } {
  const acks: Ack[] = [];
  const send = async (envelope: Envelope) => {
    const ack = await sockets.deliver(envelope);
    if (ack.envelope_id !== envelope.envelope_id) throw new Error("ack for another envelope");
    acks.push(ack);
    return { status: 200, body: ack.payload ? JSON.stringify(ack.payload) : "" };
  };
  return {
    acks,
    event: (payload, headers) =>
      send({
        envelope_id: randomUUID(),
        type: "events_api",
        accepts_response_payload: false,
        retry_attempt: headers?.["x-slack-retry-num"] ? Number(headers["x-slack-retry-num"]) : 0,
        retry_reason: headers?.["x-slack-retry-reason"] ?? "",
        payload,
      }),
    interaction: (payload) =>
      send({
        envelope_id: randomUUID(),
        type: "interactive",
        accepts_response_payload: payload.type === "view_submission",
        payload,
      }),
  };
}
