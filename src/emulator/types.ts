/**
 * Public types of the Lambda Runtime API and Extensions API emulator.
 *
 * @module
 */

import type { Clock } from "../util/clock.ts";

/** How the emulator is configured; every field has a Lambda-like default. */
export interface EmulatorOptions {
  /** Interface to listen on. Default `"127.0.0.1"`. */
  hostname?: string;
  /** Port to listen on. Default `0` (an ephemeral port). */
  port?: number;
  /** Reported in the extension register answer and the default ARN. Default `"function"`. */
  functionName?: string;
  /** Reported to extensions and in log lines. Default `"$LATEST"`. */
  functionVersion?: string;
  /** Only reported (REPORT log line). Default `128`. */
  memoryMb?: number;
  /** Used for the default invoked function ARN. Default `"us-east-1"`. */
  region?: string;
  /** Reported to extensions at register. Default `""`. */
  handler?: string;
  /** Per-invocation deadline. Default `3000`, Lambda's default function timeout. */
  functionTimeoutMs?: number;
  /** How long `waitForInit()` waits. Default `10000`, Lambda's init phase limit. */
  initTimeoutMs?: number;
  /** How many invocations may be handed out at once. Default `1`. */
  maxConcurrency?: number;
  /**
   * How many external extensions the function has (the executables Lambda starts from
   * /opt/extensions): init does not end before that many have registered, as Lambda's extension
   * init comes before its runtime init. Without it an extension that is also the runtime
   * client (LWA, this adapter) can call `/runtime/invocation/next` before its own background
   * registration arrives, and that registration is then refused. Default `0`.
   */
  extensions?: number;
  /** Receives Lambda-style log lines (START, END, REPORT, timeouts). Default: none. */
  log?: (line: string) => void;
  /**
   * Time and timers for deadlines, the init limit, the SHUTDOWN deadline and every timing the
   * emulator records. Default: the system clock; tests whose subject is time pass one they move.
   */
  clock?: Clock;
}

/** Per-invocation settings for `Emulator.invoke()`. */
export interface InvokeOptions {
  /** Default `crypto.randomUUID()`. May repeat a finished id, as Lambda's async retries do. */
  requestId?: string;
  /** Overrides `functionTimeoutMs` for this invocation. */
  timeoutMs?: number;
  /** Default `Root=1-<8 hex time>-<24 hex>;Parent=<16 hex>;Sampled=0`. */
  traceId?: string;
  /** Raw value for `Lambda-Runtime-Client-Context`. */
  clientContext?: string;
  /** Raw value for `Lambda-Runtime-Cognito-Identity`. */
  cognitoIdentity?: string;
  /** Raw value for `Lambda-Runtime-Aws-Tenant-Id`. */
  tenantId?: string;
  /** Default `arn:aws:lambda:<region>:000000000000:function:<functionName>`. */
  invokedFunctionArn?: string;
  /** Raw overrides of any `/next` response header; `null` removes the header. */
  headers?: Record<string, string | null>;
  /**
   * Whether a streaming response's body is kept in the result. Default `true`; `false` records
   * only sizes and arrival times, so a 100 MB stream costs no memory.
   */
  keepStreamBody?: boolean;
  /**
   * Called as soon as the runtime starts a streaming response, to consume its body live (e.g.
   * to pass it on to an HTTP client). The result's `body` is then empty; sizes and times are
   * still recorded. The emulator waits for `body` to be read (backpressure), and errors it if
   * the deadline passes, the emulator closes, or the runtime reports an error in the trailers.
   */
  onStream?: (stream: ResponseStream) => void;
  /**
   * What `onStream`'s body carries: `"body"` (default), the body after the prelude and its 8
   * NULs; `"whole"`, every byte the runtime sent, prelude and NULs included, as AWS's Runtime
   * Interface Emulator returns a streamed response. The prelude is parsed either way.
   */
  liveStream?: "body" | "whole";
  /**
   * Stops waiting for the result: the promise rejects with `signal.reason`. A queued invocation
   * is withdrawn; one already handed out keeps its slot until the runtime answers or its
   * deadline passes, because the function keeps running in Lambda too.
   */
  signal?: AbortSignal;
}

/** `performance.now()` (the clock's `now()`) readings for one invocation. */
export interface InvokeTiming {
  /** When `invoke()` queued it. */
  queuedAt: number;
  /** When a `/runtime/invocation/next` call received it. */
  handedOutAt: number;
  /** When the runtime's result arrived or the deadline passed. */
  completedAt: number;
}

/** A streaming response as it starts, for `InvokeOptions.onStream`. */
export interface ResponseStream {
  /** The `Content-Type` the runtime posted with ("" when absent). */
  contentType: string;
  /**
   * The prelude parsed as JSON (`{"statusCode","headers","cookies"}`), once the 8 NUL bytes
   * have arrived; `undefined` for raw streams, when it is not JSON, or when no delimiter came.
   */
  prelude: Promise<unknown>;
  /** The body after the prelude and its NULs, chunk by chunk as it arrives. */
  body: ReadableStream<Uint8Array>;
}

/** One piece of a streamed body as it arrived. */
export interface StreamChunk {
  /** Its size. */
  bytes: number;
  /** When it arrived (`performance.now()`). */
  at: number;
}

/** `InvokeTiming` plus when the first body byte of a streaming response arrived. */
export interface StreamTiming extends InvokeTiming {
  /** When the first body byte after the prelude's NULs arrived; absent for an empty body. */
  firstByteAt?: number;
}

/** The content type that makes a streaming body start with a JSON prelude and 8 NUL bytes. */
export const HTTP_INTEGRATION_CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";

/** How an invocation ended. */
export type InvokeResult =
  | {
    kind: "response";
    requestId: string;
    body: Uint8Array;
    headers: Headers;
    timing: InvokeTiming;
  }
  | {
    kind: "error";
    requestId: string;
    errorType: string;
    errorMessage: string;
    body: Uint8Array;
    headers: Headers;
    timing: InvokeTiming;
  }
  | {
    /** A `Lambda-Runtime-Function-Response-Mode: streaming` response that ran to its end. */
    kind: "stream";
    requestId: string;
    /** The runtime's request headers. */
    headers: Headers;
    contentType: string;
    /** The parsed prelude (see `ResponseStream.prelude`), or `undefined`. */
    prelude: unknown;
    /**
     * The body after the prelude and its NULs; empty when not kept (`keepStreamBody: false` or
     * `onStream`). Without the delimiter, everything the runtime sent.
     */
    body: Uint8Array;
    /** Body bytes received (the prelude and its NULs not counted). */
    bodyBytes: number;
    /** One entry per body piece as received. */
    chunks: StreamChunk[];
    /** The chunked trailers the runtime sent. */
    trailers: Headers;
    /**
     * From the `Lambda-Runtime-Function-Error-Type` trailer (or the error body); absent if none.
     * `Emulator.StreamInterrupted` when the body broke off (connection lost, bad framing).
     */
    errorType?: string;
    /** From the base64 JSON `Lambda-Runtime-Function-Error-Body` trailer; absent if none. */
    errorMessage?: string;
    timing: StreamTiming;
  }
  | { kind: "timeout"; requestId: string; timing: InvokeTiming };

/** The `shutdownReason` values of a SHUTDOWN event, as the Extensions API documents them. */
export type ShutdownReason = "spindown" | "timeout" | "failure";

/** Settings for `Emulator.shutdown()`. */
export interface ShutdownOptions {
  /** Default `"spindown"`. */
  reason?: ShutdownReason;
  /** Epoch milliseconds, as in the SHUTDOWN event. Default `Date.now() + 2000`. */
  deadlineMs?: number;
}

/** A `POST /runtime/init/error` the runtime made. */
export interface InitErrorRecord {
  /** From `Lambda-Runtime-Function-Error-Type`, else the body's `errorType`, else `Unknown`. */
  errorType: string;
  /** The raw body, decoded as UTF-8. */
  body: string;
}

/** A `POST /extension/init/error` or `/extension/exit/error` an extension made. */
export interface ExtensionErrorRecord {
  /** The `Lambda-Extension-Name` it registered with. */
  extensionName: string;
  /** Which endpoint it posted to. */
  kind: "init" | "exit";
  /** From `Lambda-Extension-Function-Error-Type`. */
  errorType: string;
  /** The raw body, decoded as UTF-8. */
  body: string;
}

/** A registered extension. */
export interface ExtensionInfo {
  /** The `Lambda-Extension-Name` it registered with. */
  name: string;
  /** Its `Lambda-Extension-Identifier`. */
  id: string;
  /** The events it subscribed to. */
  events: string[];
}

/** Counters for tests and benchmarks; times are `performance.now()` (the clock's) readings. */
export interface EmulatorStats {
  /** Every `/runtime/invocation/next` request received. */
  nextCalls: number;
  /** When the first one arrived: the runtime's part of init ended. */
  firstNextAt: number | undefined;
  /** Result posts refused with 413. */
  rejectedResponses: number;
  /** When `startEmulator()` ran. */
  startedAt: number;
  /** Invocations handed out and not yet released (result and INVOKE acknowledgements). */
  readonly inFlight: number;
  /** Invocations waiting to be handed out. */
  readonly queued: number;
  /** `/runtime/invocation/next` calls parked until an invocation comes. */
  readonly waitingNext: number;
}

/** A running emulator of the Lambda Runtime API and Extensions API. */
export interface Emulator extends AsyncDisposable {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `127.0.0.1:PORT`, the value for `AWS_LAMBDA_RUNTIME_API`. */
  readonly runtimeApi: string;
  /**
   * Queues an invocation and resolves with its outcome. A string or `Uint8Array` event is sent
   * verbatim; anything else is JSON-encoded. Rejects with `EmulatorClosedError` when the
   * emulator closes first.
   */
  invoke(event: unknown, options?: InvokeOptions): Promise<InvokeResult>;
  /**
   * Resolves when the runtime has called `/runtime/invocation/next` and every registered
   * extension has called `/extension/event/next`; rejects after `initTimeoutMs`, on an init
   * error post, or when the emulator closes.
   */
  waitForInit(): Promise<{ durationMs: number }>;
  /**
   * Sends SHUTDOWN to the extensions subscribed to it and resolves when each has called
   * `/extension/event/next` again or the deadline passes.
   */
  shutdown(options?: ShutdownOptions): Promise<void>;
  /** `/runtime/init/error` posts, in arrival order. */
  readonly initErrors: ReadonlyArray<InitErrorRecord>;
  /** `/extension/init/error` and `/extension/exit/error` posts, in arrival order. */
  readonly extensionErrors: ReadonlyArray<ExtensionErrorRecord>;
  /** Registered extensions, in registration order. */
  readonly extensions: ReadonlyArray<ExtensionInfo>;
  /** Live counters. */
  readonly stats: Readonly<EmulatorStats>;
  /**
   * Answers pending long polls with 500 (the documented "exit promptly" status), rejects
   * pending invocations and `waitForInit()` calls with `EmulatorClosedError`, resolves a
   * pending `shutdown()`, clears every timer and stops the server. Idempotent.
   */
  close(): Promise<void>;
}

/** Rejection reason of everything still pending when the emulator closes. */
export class EmulatorClosedError extends Error {
  /** Creates the error; `message` says what was still pending. */
  constructor(message: string) {
    super(message);
    this.name = "EmulatorClosedError";
  }
}
