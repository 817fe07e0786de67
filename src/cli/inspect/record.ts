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
  /** Name and value pairs as sent, repeats kept, names in their sent case. */
  readonly headers: [string, string][];
}

/** The request the app received, as the recording proxy saw it. */
export interface AppRequest extends MessageHead {
  /** The request line's method. */
  readonly method: string;
  /** The request line's target: path and query as the adapter sent them. */
  readonly target: string;
  /** The request line's version, `HTTP/1.1`. */
  readonly version: string;
  /** The request body the adapter sent the app. */
  readonly body: CapturedBody;
}

/** The app's response, as the recording proxy saw it; chunk times are from the request's start. */
export interface AppResponse extends MessageHead {
  /** The status line's code. */
  readonly status: number;
  /** The status line's reason phrase, as the app wrote it (may be empty). */
  readonly reason: string;
  /** The response body, without chunked framing. */
  readonly body: CapturedBody;
  /** Each piece of the body as it arrived: its size and when, to show how the app streamed. */
  readonly chunks: { bytes: number; atMs: number }[];
  /** Fields after a chunked body; set once they arrive. */
  trailers: [string, string][];
  /** Set once the whole response went through; false while it streams or if it was cut. */
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
  /** Milliseconds from the invocation's start to the line. */
  readonly atMs: number;
  /** The line as `emulate` printed it. */
  readonly text: string;
}

/** Everything kept of one invocation. */
export interface InvocationRecord {
  /** 1, 2, 3 ... in arrival order. */
  readonly seq: number;
  /** The Lambda request id; log lines and the proxy's requests are tied to the record by it. */
  readonly requestId: string;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  /** How it came: the front door, the RIE endpoint, or the inspector (replay, edit). */
  readonly via: string;
  /** The HTTP method the event carries, or `EVENT` for a non-HTTP event. */
  readonly method: string;
  /** The HTTP path the event carries, or what the event is (`aws:sqs`). */
  readonly path: string;
  /** The front end the event comes from, as `--event-source` names it. */
  readonly source: string;
  /** The event as the function received it. */
  readonly event: CapturedBody;
  /** Set once the recording proxy saw the adapter's request to the app. */
  appRequest?: AppRequest;
  /** Set once the app's response head went through the recording proxy. */
  appResponse?: AppResponse;
  /** Set once the invocation ended with a result, a stream or an error. */
  result?: LambdaResult;
  /** The HTTP status the result carries, or the errorType; `undefined` while it runs. */
  status?: string;
  /**
   * Whether it ended without an answer: a function error (mid-stream too), a timeout, a failed
   * environment, or emulate stopping.
   */
  failed: boolean;
  /** Whether the function answered with a response stream. */
  streamed: boolean;
  /** The REPORT line's Duration, or the time measured here until that line arrives. */
  durationMs?: number;
  /** The REPORT line's Max Memory Used; absent where memory cannot be read. */
  maxMemoryUsedMb?: number;
  /** The REPORT line, whole. */
  report?: string;
  /** The lines `emulate` printed for this invocation, up to a limit. */
  readonly logs: LogLine[];
  /** Set once the invocation ended (its REPORT line may still come). */
  done: boolean;
}

/**
 * A record's line in the page's list, sent again each time the record changes: the record's
 * plain fields, with `null` where the record has nothing yet.
 */
export interface InvocationSummary extends
  Readonly<
    Pick<
      InvocationRecord,
      | "seq"
      | "requestId"
      | "startedAt"
      | "via"
      | "method"
      | "path"
      | "source"
      | "failed"
      | "streamed"
      | "done"
    >
  > {
  /** The HTTP status or the errorType; `null` while it runs. */
  readonly status: string | null;
  /** Milliseconds; `null` while it runs. */
  readonly durationMs: number | null;
  /** The REPORT line's peak; `null` until it comes or where memory cannot be read. */
  readonly maxMemoryUsedMb: number | null;
}

/** The line the page's list shows for a record. */
export function summaryOf(record: InvocationRecord): InvocationSummary {
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
