/**
 * A proxy between the adapter and the emulator that injects Runtime API and Extensions API
 * faults: an error status, a bad answer, a reset before or after the request reached the
 * emulator, an answer that never comes, or an outage. Built on `node:http` (test code only: it
 * reads and sends trailers, which the streaming protocol needs).
 *
 * @module
 */

import http from "node:http";
import type { AddressInfo } from "node:net";
import { sleep } from "../../src/util/async.ts";

/** What to do to one matching request. */
export type Fault =
  /** Answer with this status and body instead of forwarding. */
  | { kind: "status"; status: number; body?: string }
  /** Answer 200 with this body (a broken JSON event, say) instead of forwarding. */
  | { kind: "body"; body: string }
  /** Reset the connection before forwarding anything. */
  | { kind: "reset" }
  /** Forward the whole request, then reset the connection instead of relaying the answer. */
  | { kind: "resetAfterForward" }
  /** Forward the whole request, then never answer (the connection stays open). */
  | { kind: "hang" };

interface Rule {
  match: RegExp;
  fault: Fault;
  times: number;
}

/** A running proxy. */
export interface FaultProxy extends AsyncDisposable {
  /** `host:port` for AWS_LAMBDA_RUNTIME_API. */
  readonly address: string;
  /** Applies `fault` to the next `times` requests whose `METHOD path` matches `match`. */
  inject(match: RegExp, fault: Fault, times?: number): void;
  /** Resets every connection and request for the next `ms` milliseconds. */
  outage(ms: number): Promise<void>;
  /** `METHOD path` of every request seen, faulted or forwarded, in order. */
  readonly seen: string[];
  /** `METHOD path` of every request forwarded to the emulator. */
  readonly forwarded: string[];
  close(): Promise<void>;
}

/** Starts a proxy to `upstream` (`host:port`) on an ephemeral port. */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const [upstreamHost, upstreamPort] = splitAddress(upstream);
  const rules: Rule[] = [];
  const seen: string[] = [];
  const forwarded: string[] = [];
  const hanging = new Set<http.ServerResponse>();
  let downUntil = 0;
  const agent = new http.Agent({ keepAlive: true });

  const server = http.createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    seen.push(line);
    if (Date.now() < downUntil) return void req.socket.destroy();
    const index = rules.findIndex((rule) => rule.match.test(line));
    const fault = index === -1 ? undefined : rules[index]!.fault;
    if (index !== -1 && --rules[index]!.times <= 0) rules.splice(index, 1);
    if (fault?.kind === "reset") return void req.socket.destroy();
    if (fault?.kind === "status" || fault?.kind === "body") {
      req.resume();
      req.on("end", () => {
        res.writeHead(fault.kind === "status" ? fault.status : 200);
        res.end(fault.body ?? "");
      });
      return;
    }
    forwarded.push(line);
    const upstreamReq = http.request({
      host: upstreamHost,
      port: upstreamPort,
      method: req.method,
      path: req.url,
      headers: req.rawHeaders,
      agent,
    }, (upstreamRes) => {
      if (fault?.kind === "resetAfterForward") {
        upstreamRes.resume();
        return void req.socket.destroy();
      }
      if (fault?.kind === "hang") {
        upstreamRes.resume();
        hanging.add(res);
        return;
      }
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.rawHeaders);
      upstreamRes.pipe(res);
    });
    upstreamReq.on("error", () => req.socket.destroy());
    // A client that goes away must take its forwarded request with it, as a real disconnect
    // would: the emulator then keeps the event for the next long poll.
    res.on("close", () => {
      if (!res.writableFinished && fault?.kind !== "resetAfterForward") upstreamReq.destroy();
    });
    req.on("data", (chunk) => upstreamReq.write(chunk));
    req.on("end", () => {
      const raw = req.rawTrailers;
      const pairs: [string, string][] = [];
      for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
      if (pairs.length > 0) upstreamReq.addTrailers(pairs);
      upstreamReq.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  async function close() {
    for (const res of hanging) res.socket?.destroy();
    server.closeAllConnections();
    agent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  return {
    address: `127.0.0.1:${port}`,
    inject(match, fault, times = 1) {
      rules.push({ match, fault, times });
    },
    async outage(ms) {
      downUntil = Date.now() + ms;
      server.closeAllConnections();
      await sleep(ms);
    },
    seen,
    forwarded,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(":");
  return [address.slice(0, colon), Number(address.slice(colon + 1))];
}
