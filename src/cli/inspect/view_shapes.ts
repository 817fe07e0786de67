/**
 * The JSON the inspector's page reads from `/api/invocations/<seq>` (built by views.ts): the
 * contract between the server and page_script.ts.
 *
 * @module
 */

import type { InvocationSummary, LogLine } from "./record.ts";

/** A chunk's size and its arrival time from the request's (or the stream's) start. */
export interface ChunkTiming {
  /** The chunk's size in bytes. */
  readonly bytes: number;
  /** Milliseconds from the start. */
  readonly atMs: number;
}

/** A body as the page shows it; see `bodyView`. */
export interface BodyView {
  /** Every byte of the body, kept or not. */
  readonly size: number;
  /** Bytes the server holds, which a download gives. */
  readonly kept: number;
  /** Whether bytes are missing: past the keep limit, or dropped. */
  readonly truncated: boolean;
  /** Whether the bytes were dropped to keep memory bounded (then there is no download). */
  readonly dropped: boolean;
  /** Whether nothing is shown: a Lambda body too large to parse, so its secrets cannot be masked. */
  readonly hidden: boolean;
  /** How many bytes `base64` holds (at most `SHOWN_BYTES`). */
  readonly shown: number;
  /** The shown bytes, for the hex and base64 modes. */
  readonly base64: string;
  /** The shown bytes as text when they are UTF-8, else `null`. */
  readonly text: string | null;
  /** The whole body indented, when it is a JSON object or array, else `null`. */
  readonly json: string | null;
}

/** The request the app received. */
export interface AppRequestView {
  /** The request line's method. */
  readonly method: string;
  /** The request line's target. */
  readonly target: string;
  /** The request line's HTTP version. */
  readonly version: string;
  /** The fields in order, secrets masked unless asked not to. */
  readonly headers: [string, string][];
  /** The request body. */
  readonly body: BodyView;
}

/** The app's response. */
export interface AppResponseView {
  /** The status line's code. */
  readonly status: number;
  /** The status line's reason phrase. */
  readonly reason: string;
  /** The fields in order, secrets masked unless asked not to. */
  readonly headers: [string, string][];
  /** The response body. */
  readonly body: BodyView;
  /** The first chunks' timings; `chunkCount` says how many there were. */
  readonly chunks: ChunkTiming[];
  /** How many chunks the body came in. */
  readonly chunkCount: number;
  /** Fields after a chunked body, masked like `headers`. */
  readonly trailers: [string, string][];
  /** False while the response still arrives, or when it was cut. */
  readonly complete: boolean;
}

/** The function's answer, by kind. */
export type ResultView =
  | { readonly kind: "buffered"; readonly body: BodyView }
  | {
    readonly kind: "error";
    readonly errorType: string;
    readonly errorMessage: string;
    readonly body: BodyView;
  }
  | {
    readonly kind: "stream";
    readonly contentType: string;
    readonly prelude: unknown;
    readonly chunks: ChunkTiming[];
    readonly chunkCount: number;
    readonly bodyBytes: number;
    readonly trailers: [string, string][];
    readonly errorType: string | null;
    readonly errorMessage: string | null;
  };

/** One invocation, every hop, as the page's panes show it. */
export interface DetailView extends InvocationSummary {
  /** The REPORT line, once it came. */
  readonly report: string | null;
  /** The lines `emulate` printed for the invocation. */
  readonly logs: LogLine[];
  /** Whether the event was kept whole, so a replay sends what the function received. */
  readonly replayable: boolean;
  /** The event. */
  readonly event: BodyView;
  /** `null` until a request reached the app (or when none did). */
  readonly appRequest: AppRequestView | null;
  /** `null` until the app's response head came (or when none did). */
  readonly appResponse: AppResponseView | null;
  /** `null` while the invocation runs, or when emulate stopped before an answer. */
  readonly result: ResultView | null;
}
