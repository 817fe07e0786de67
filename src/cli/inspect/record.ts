/**
 * What `emulate --inspect` keeps of one invocation, hop by hop: the event, the request the app
 * received and its response (from the recording proxy), the Lambda result or stream, the
 * REPORT figures and the log lines of its request id.
 *
 * @module
 */

import { concatBytes } from "../../util/bytes.ts";

/** A body as captured: its first `limit` bytes kept, its whole size counted. */
export class CapturedBody {
  readonly #limit: number;
  #chunks: Uint8Array[] = [];
  #kept = 0;
  #size = 0;
  #dropped = false;

  /** Keeps up to `limit` bytes. */
  constructor(limit: number, first?: Uint8Array) {
    this.#limit = limit;
    if (first) this.append(first);
  }

  /** Adds bytes as they arrive; those past the limit are only counted. */
  append(bytes: Uint8Array): void {
    this.#size += bytes.byteLength;
    if (this.#dropped || this.#kept >= this.#limit) return;
    const keep = bytes.subarray(0, this.#limit - this.#kept);
    // A copy: the caller may reuse its buffer, and a node Buffer's slice() would not copy.
    this.#chunks.push(new Uint8Array(keep));
    this.#kept += keep.byteLength;
  }

  /** The bytes kept, in one piece. */
  get bytes(): Uint8Array {
    if (this.#chunks.length > 1) this.#chunks = [concatBytes(this.#chunks)];
    return this.#chunks[0] ?? new Uint8Array();
  }

  /** Every byte of the body, kept or not. */
  get size(): number {
    return this.#size;
  }

  /** Bytes held in memory. */
  get kept(): number {
    return this.#kept;
  }

  /** Whether bytes are missing: past the limit, or dropped to keep memory bounded. */
  get truncated(): boolean {
    return this.#dropped || this.#kept < this.#size;
  }

  /** Whether `drop()` was called. */
  get dropped(): boolean {
    return this.#dropped;
  }

  /** Frees the bytes (the size stays known). */
  drop(): void {
    this.#dropped = true;
    this.#chunks = [];
    this.#kept = 0;
  }
}

/** One HTTP message head, fields in the order they came. */
export interface MessageHead {
  readonly headers: [string, string][];
}

/** The request the app received, as the recording proxy saw it. */
export interface AppRequest extends MessageHead {
  readonly method: string;
  readonly target: string;
  readonly version: string;
  readonly body: CapturedBody;
}

/** The app's response, as the recording proxy saw it; chunk times are from the request's start. */
export interface AppResponse extends MessageHead {
  readonly status: number;
  readonly reason: string;
  readonly body: CapturedBody;
  readonly chunks: { bytes: number; atMs: number }[];
  trailers: [string, string][];
  complete: boolean;
}

/** How the function answered. */
export type LambdaResult =
  | { readonly kind: "buffered"; readonly body: CapturedBody }
  | {
    readonly kind: "stream";
    readonly contentType: string;
    readonly prelude: unknown;
    readonly chunks: { bytes: number; atMs: number }[];
    readonly bodyBytes: number;
    readonly trailers: [string, string][];
    readonly errorType?: string;
    readonly errorMessage?: string;
  }
  | {
    readonly kind: "error";
    readonly errorType: string;
    readonly errorMessage: string;
    readonly body: CapturedBody;
  };

/** A log line of the invocation. */
export interface LogLine {
  readonly atMs: number;
  readonly text: string;
}

/** Everything kept of one invocation. */
export interface InvocationRecord {
  /** 1, 2, 3 ... in arrival order. */
  readonly seq: number;
  readonly requestId: string;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  /** How it came: the front door, the RIE endpoint, or the inspector (replay, edit). */
  readonly via: string;
  readonly method: string;
  readonly path: string;
  readonly source: string;
  readonly event: CapturedBody;
  appRequest?: AppRequest;
  appResponse?: AppResponse;
  result?: LambdaResult;
  /** The HTTP status the result carries, or the errorType; `undefined` while it runs. */
  status?: string;
  failed: boolean;
  streamed: boolean;
  durationMs?: number;
  maxMemoryUsedMb?: number;
  report?: string;
  readonly logs: LogLine[];
  done: boolean;
}

/** The line the page's list shows for a record. */
export function summaryOf(record: InvocationRecord) {
  return {
    seq: record.seq,
    requestId: record.requestId,
    startedAt: record.startedAt,
    via: record.via,
    method: record.method,
    path: record.path,
    source: record.source,
    status: record.status ?? null,
    failed: record.failed,
    streamed: record.streamed,
    durationMs: record.durationMs ?? null,
    maxMemoryUsedMb: record.maxMemoryUsedMb ?? null,
    done: record.done,
  };
}
