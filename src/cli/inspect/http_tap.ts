/**
 * Reads the HTTP/1.1 traffic of one connection between the adapter and the app as it passes
 * through the recording proxy, without changing a byte of it: each request the app received
 * (method, target, every header in order, body) and the response it sent (status, headers,
 * body with the arrival time of each piece, trailers). The parsing is `http-parser-js`, a
 * pure-JavaScript HTTP/1.x parser fed the bytes as they pass.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { HTTPParser } from "npm:http-parser-js@0.5.10";
import type { Clock } from "../../util/clock.ts";
import { type AppRequest, type AppResponse, CapturedBody } from "./record.ts";

// Header bytes as Latin-1, one character per byte, so UTF-8 in a header survives (the default
// 'ascii' clears the high bit); the inspector decodes them as UTF-8 for display.
HTTPParser.encoding = "latin1";

/** How much of each body the tap keeps. */
export const BODY_LIMIT = 1024 * 1024;

/** What the tap reports, as it happens. */
export interface TapEvents {
  /** A request's head and body have passed. */
  onRequest(request: AppRequest): void;
  /** The response to `request` has started (its body keeps arriving into `response`). */
  onResponse(request: AppRequest, response: AppResponse): void;
}

/** A parsed head; `method` is a string because the handlers are set as `on*` properties. */
interface HeadInfo {
  method: number | string;
  url: string;
  versionMajor: number;
  versionMinor: number;
  statusCode: number;
  statusMessage: string;
  headers: string[];
}

type Parser = InstanceType<typeof HTTPParser>;

/** The two parsers of one connection; feed each side's bytes as they pass. */
export class HttpTap {
  readonly #requests = new HTTPParser(HTTPParser.REQUEST);
  readonly #responses = new HTTPParser(HTTPParser.RESPONSE);
  readonly #clock: Clock;
  /** Requests whose response has not started, in order (HTTP/1.1 answers in order). */
  readonly #waiting: { request: AppRequest; at: number }[] = [];
  #request: { head: HeadInfo; body: CapturedBody; at: number } | undefined;
  #response: { response: AppResponse; at: number } | undefined;
  #broken = false;

  /** Reports to `events`; chunk times come from `clock`. */
  constructor(events: TapEvents, clock: Clock) {
    this.#clock = clock;
    // Assigning the `on*` properties makes the parser give methods as strings.
    this.#requests.onHeadersComplete = (info: HeadInfo) => {
      this.#request = { head: info, body: new CapturedBody(BODY_LIMIT), at: clock.now() };
    };
    this.#requests.onBody = (chunk: Uint8Array) => this.#request?.body.append(chunk);
    this.#requests.onMessageComplete = () => {
      const current = this.#request;
      if (!current) return;
      const request: AppRequest = {
        method: String(current.head.method),
        target: current.head.url,
        version: `HTTP/${current.head.versionMajor}.${current.head.versionMinor}`,
        headers: pairs(current.head.headers),
        body: current.body,
      };
      this.#waiting.push({ request, at: current.at });
      events.onRequest(request);
    };
    this.#responses.onHeadersComplete = (info: HeadInfo) => this.#responseHead(info, events);
    this.#responses.onBody = (chunk: Uint8Array) => {
      const current = this.#response;
      if (!current) return;
      current.response.body.append(chunk);
      current.response.chunks.push({ bytes: chunk.byteLength, atMs: clock.now() - current.at });
    };
    this.#responses.onHeaders = (trailers: string[]) => {
      if (this.#response) this.#response.response.trailers = pairs(trailers);
    };
    this.#responses.onMessageComplete = () => {
      if (this.#response) this.#response.response.complete = true;
    };
  }

  /** Bytes the adapter sent to the app. */
  fromAdapter(bytes: Uint8Array): void {
    this.#feed(this.#requests, bytes);
  }

  /** Bytes the app sent to the adapter. */
  fromApp(bytes: Uint8Array): void {
    this.#feed(this.#responses, bytes);
  }

  /** The app closed the connection: a body read until the close ends there. */
  appClosed(): void {
    if (!this.#broken) this.#responses.finish();
  }

  /** Returns 1 (skip the body) for the answer to a HEAD request, as HTTP says. */
  #responseHead(info: HeadInfo, events: TapEvents): number {
    const status = info.statusCode;
    // A 1xx answer comes before the real one, for the same request.
    const waiting = status >= 200 ? this.#waiting.shift() : this.#waiting[0];
    if (!waiting) return 0;
    const response: AppResponse = {
      status,
      reason: info.statusMessage,
      headers: pairs(info.headers),
      body: new CapturedBody(BODY_LIMIT),
      chunks: [],
      trailers: [],
      complete: false,
    };
    if (status >= 200) {
      this.#response = { response, at: waiting.at };
      events.onResponse(waiting.request, response);
    }
    return waiting.request.method === "HEAD" ? 1 : 0;
  }

  #feed(parser: Parser, bytes: Uint8Array): void {
    if (this.#broken) return;
    const result = parser.execute(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    // Not HTTP the parser can follow: stop recording this connection; the bytes still pass.
    if (result instanceof Error) this.#broken = true;
  }
}

/** `[name, value, name, value]` as pairs, each Latin-1 string read back as UTF-8. */
function pairs(flat: string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) result.push([utf8(flat[i]!), utf8(flat[i + 1]!)]);
  return result;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Header bytes as UTF-8 text when they are UTF-8; otherwise as Latin-1, byte for byte. */
function utf8(latin1: string): string {
  // deno-lint-ignore no-control-regex
  if (!/[^\x00-\x7f]/.test(latin1)) return latin1;
  try {
    return strictUtf8.decode(Uint8Array.from(latin1, (char) => char.charCodeAt(0)));
  } catch {
    return latin1;
  }
}
