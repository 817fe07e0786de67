/**
 * The front door of `emulate`: plain HTTP in, the chosen front end's event to the function, the
 * result back as HTTP, streamed responses passed through as they arrive. Also AWS's Runtime
 * Interface Emulator endpoint, so existing scripts keep working. Served with `node:http`, which
 * can cut a response mid-body the way Lambda cuts a failed stream, without logging a trace.
 *
 * @module
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { HTTP_INTEGRATION_CONTENT_TYPE, type ResponseStream } from "../emulator/mod.ts";
import { concatBytes } from "../util/bytes.ts";
import { answerFor } from "./answers.ts";
import type { Environments, Outcome } from "./environments.ts";
import { type EventSource, requestToEvent } from "./event_shapes.ts";
import type { FrontDoorResponse } from "./result_to_response.ts";

/** The RIE path (`aws-lambda-runtime-interface-emulator`), kept for compatibility. */
export const RIE_PATH = "/2015-03-31/functions/function/invocations";

/** Told of each invocation, for `emulate --inspect`; absent otherwise, and then costs nothing. */
export interface InvocationRecorder {
  /** Before invoking. `request` is the plain HTTP request, absent on the RIE path. */
  begin(
    requestId: string,
    event: Uint8Array,
    request: { readonly method: string; readonly path: string } | undefined,
  ): void;
  /** Once the invocation ended (a stream: once it was passed on whole). */
  end(requestId: string, outcome: Outcome): void;
}

/** What the front door needs. */
export interface FrontDoorOptions {
  /** The event shape requests become. */
  readonly source: EventSource;
  /** The region in generated events. */
  readonly region: string;
  /** The function name in generated events. */
  readonly functionName: string;
  /** Where invocations go. */
  readonly environments: Pick<Environments, "invoke">;
  /** Writes a log line per request. */
  readonly print: (line: string) => void;
  /** Records each invocation for `emulate --inspect`. */
  readonly recorder?: InvocationRecorder | undefined;
}

/** A listening front door. */
export interface FrontDoor {
  /** The address it listens on. */
  readonly hostname: string;
  /** The port it got. */
  readonly port: number;
  /** Stops listening and cuts every open connection. */
  close(): Promise<void>;
}

const encoder = new TextEncoder();

/** Starts the front door on `hostname:port` (0 picks a free port). */
export function serveFrontDoor(
  options: FrontDoorOptions,
  hostname: string,
  port: number,
): Promise<FrontDoor> {
  const server = createServer((req, res) => {
    handle(options, req, res).catch((error) => {
      options.print(`${req.method} ${req.url} -> not answered: ${String(error)}`);
      res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => {
      const address = server.address() as AddressInfo;
      resolve({
        hostname: address.address,
        port: address.port,
        close: () =>
          new Promise<void>((closed) => {
            server.close(() => closed());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function handle(options: FrontDoorOptions, req: IncomingMessage, res: ServerResponse) {
  const started = performance.now();
  const url = new URL(req.url ?? "/", "http://front-door");
  const line = `${req.method} ${url.pathname}${url.search}`;
  const log = (lines: readonly string[]) => {
    options.print(`${line} -> ${lines[0]}`);
    for (const more of lines.slice(1)) options.print(more);
  };
  const elapsed = () => `${Math.round(performance.now() - started)} ms`;
  const body = await readBody(req);
  if (body === undefined) return; // the client went away
  const rie = req.method === "POST" && url.pathname === RIE_PATH;
  const event = rie ? body : encoder.encode(JSON.stringify(toEvent(options, req, url, body)));
  const streaming = Promise.withResolvers<ResponseStream>();
  // On the RIE path a stream comes back whole, prelude and NULs included, as AWS's RIE has it.
  const liveStream = rie ? "whole" : "body";
  const requestId = crypto.randomUUID();
  const { recorder } = options;
  recorder?.begin(
    requestId,
    event,
    rie ? undefined : { method: req.method ?? "GET", path: url.pathname + url.search },
  );
  const outcome = options.environments.invoke(event, {
    onStream: streaming.resolve,
    liveStream,
    label: line,
    requestId,
  });
  if (recorder) outcome.then((ended) => recorder.end(requestId, ended));
  const first = await Promise.race([outcome, streaming.promise]);
  if ("kind" in first) {
    if (first.kind === "stream") throw new Error("a stream ended before it started");
    const answer = answerFor(first, options.source, rie, elapsed());
    log(answer.log);
    return send(res, answer.response);
  }
  // A streamed response: pass it through as it arrives; log once it has ended.
  outcome.then((result) => log([streamSummary(result, elapsed())]));
  await sendStream(res, first, rie);
}

function toEvent(options: FrontDoorOptions, req: IncomingMessage, url: URL, body: Uint8Array) {
  return requestToEvent(options.source, {
    method: req.method ?? "GET",
    target: `${url.pathname}${url.search}`,
    headers: [...new Headers(pairs(req.rawHeaders))],
    body,
    sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
  }, {
    region: options.region,
    accountId: "123456789012",
    functionName: options.functionName,
    requestId: crypto.randomUUID(),
    now: new Date(),
  });
}

function pairs(raw: string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) result.push([raw[i]!, raw[i + 1]!]);
  return result;
}

function streamSummary(outcome: Outcome, elapsed: string): string {
  if (outcome.kind === "stream") {
    const error = outcome.errorType
      ? ` (stream failed: ${outcome.errorType}: ${outcome.errorMessage})`
      : "";
    return `streamed ${outcome.bodyBytes} bytes in ${elapsed}${error}`;
  }
  if (outcome.kind === "timeout") return `streamed, then timed out mid-stream after ${elapsed}`;
  if (outcome.kind === "stopped") return `stream cut after ${elapsed}: emulate is stopping`;
  return `stream cut after ${elapsed}: ${
    outcome.kind === "failed" ? outcome.reason : outcome.kind
  }`;
}

/** The whole request body, or `undefined` when the client went away first. */
async function readBody(req: IncomingMessage): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Uint8Array);
  } catch {
    return undefined;
  }
  return concatBytes(chunks);
}

function send(res: ServerResponse, response: FrontDoorResponse): void {
  if (res.destroyed) return;
  res.statusCode = response.status;
  setHeaders(res, response.headers);
  res.end(nullBody(response.status) ? undefined : response.body);
}

/** Sets headers, repeated names as one list; a header node:http refuses is dropped alone. */
function setHeaders(res: ServerResponse, headers: Iterable<[string, string]>): void {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    grouped.set(key, [...grouped.get(key) ?? [], value]);
  }
  for (const [name, values] of grouped) {
    try {
      res.setHeader(name, values.length === 1 ? values[0]! : values);
    } catch {
      // Not valid on the wire; Lambda's front ends drop such headers too.
    }
  }
}

async function sendStream(res: ServerResponse, stream: ResponseStream, rie: boolean) {
  const integration = stream.contentType === HTTP_INTEGRATION_CONTENT_TYPE;
  if (!integration || rie) {
    res.statusCode = 200;
    // RIE answers the whole integration response as application/octet-stream.
    const type = integration ? "application/octet-stream" : stream.contentType;
    setHeaders(res, [["content-type", type]]);
    return await pipe(stream.body, res);
  }
  const prelude = (await stream.prelude ?? {}) as {
    statusCode?: number;
    headers?: Record<string, string>;
    cookies?: string[];
  };
  const status = prelude.statusCode ?? 200;
  res.statusCode = status;
  const cookies = (prelude.cookies ?? []).map((cookie): [string, string] => ["set-cookie", cookie]);
  setHeaders(res, [...Object.entries(prelude.headers ?? {}), ...cookies]);
  if (!nullBody(status)) return await pipe(stream.body, res);
  await stream.body.cancel();
  res.end();
}

/**
 * Writes `body` to `res` with backpressure. If the body fails (the function's stream failed,
 * timed out or emulate stopped) the connection is cut, as Lambda cuts a client's stream; the
 * invocation's summary line says why. If the client goes away, the body is cancelled.
 */
async function pipe(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  const gone = new Promise<void>((resolve) => res.once("close", resolve));
  gone.then(() => reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await Promise.race([new Promise((ok) => res.once("drain", ok)), gone]);
      if (res.destroyed) return;
    }
    res.end();
  } catch {
    res.destroy();
  }
}

function nullBody(status: number): boolean {
  return status === 204 || status === 205 || status === 304;
}
