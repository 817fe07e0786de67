/**
 * Waits until the app answers: an HTTP GET whose status is in the healthy list, or a TCP
 * connection that opens. Probes run every 10 ms, as in LWA.
 *
 * @module
 */

import { describeError } from "../lambda/errors.ts";
import type { HttpClient, IncomingResponse } from "../http/types.ts";
import { raceAbort, sleep, timeoutSignal } from "../util/async.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import type { Logger } from "../util/log.ts";
import { statusMatches, type StatusRanges } from "../config/status_codes.ts";

/** What to probe and how often. */
export interface ReadinessOptions {
  /** An HTTP GET, or a TCP connection that opens. */
  readonly protocol: "http" | "tcp";
  /** The app's host. */
  readonly hostname: string;
  /** The port probed. */
  readonly port: number;
  /** The HTTP probe's path. */
  readonly path: string;
  /** Statuses that mean ready. */
  readonly healthyStatus: StatusRanges;
  /** Sends the HTTP probe. */
  readonly client: HttpClient;
  /** Where progress is logged. */
  readonly log: Logger;
  /** The pause between probes. @default 10 */
  readonly intervalMs?: number;
  /** How often "not ready" is logged, since the default function timeout is 3 s (LWA#520). */
  readonly progressEveryMs?: number;
  /** Opens and closes one TCP connection. @default Deno.connect */
  readonly connect?: (hostname: string, port: number) => Promise<void>;
  /** The clock the loop's pauses, progress and budget run on. @default systemClock */
  readonly clock?: Clock;
}

/** The outcome of one probe. */
export interface ProbeResult {
  /** Whether the app answered as ready. */
  readonly ready: boolean;
  /** Why the app is not ready (`connection refused`, `status 503`, `timed out after 500 ms`). */
  readonly detail: string;
  /** Whether the probe ran out of time (later probes then get longer). */
  readonly timedOut: boolean;
}

const FIRST_PROBE_TIMEOUT_MS = 500;
const MAX_PROBE_TIMEOUT_MS = 8000;

/** The URL probed, for logs. */
export function readinessUrl(options: ReadinessOptions): string {
  const host = options.hostname.includes(":") ? `[${options.hostname}]` : options.hostname;
  return options.protocol === "tcp"
    ? `tcp://${host}:${options.port}`
    : `http://${host}:${options.port}${options.path}`;
}

/**
 * Probes once. Each probe has its own timeout: LWA has none, so an app that accepts the
 * connection and never answers blocks its readiness loop for good.
 */
export async function probeOnce(
  options: ReadinessOptions,
  timeoutMs: number,
): Promise<ProbeResult> {
  using timeout = timeoutSignal(timeoutMs);
  const signal = timeout.signal;
  try {
    if (options.protocol === "tcp") {
      await raceAbort((options.connect ?? connectOnce)(options.hostname, options.port), signal);
      return { ready: true, detail: "connected", timedOut: false };
    }
    const response = await options.client(
      { method: "GET", target: options.path, headers: [], body: null },
      signal,
    );
    await drain(response);
    const ready = statusMatches(options.healthyStatus, response.status);
    return { ready, detail: `status ${response.status}`, timedOut: false };
  } catch (error) {
    if (signal.aborted) {
      return { ready: false, detail: `no answer within ${timeoutMs} ms`, timedOut: true };
    }
    return { ready: false, detail: describeError(error), timedOut: false };
  }
}

/**
 * Probes until the app is ready. Rejects with `signal.reason` when `signal` aborts first.
 *
 * @returns the time waited and the number of probes sent
 */
export async function waitUntilReady(
  options: ReadinessOptions,
  signal?: AbortSignal,
): Promise<{ elapsedMs: number; probes: number }> {
  const { intervalMs = 10, progressEveryMs = 2000, log, clock = systemClock } = options;
  const started = clock.now();
  let nextProgress = progressEveryMs;
  let probeTimeout = FIRST_PROBE_TIMEOUT_MS;
  for (let probes = 1;; probes++) {
    signal?.throwIfAborted();
    const result = await probeOnce(options, probeTimeout);
    const elapsedMs = Math.round(clock.now() - started);
    if (result.ready) return { elapsedMs, probes };
    // An app still starting up may be slow on its first requests; give later probes longer.
    if (result.timedOut) probeTimeout = Math.min(probeTimeout * 2, MAX_PROBE_TIMEOUT_MS);
    if (elapsedMs >= nextProgress) {
      log.info(`app is not ready after ${elapsedMs}ms`, {
        url: readinessUrl(options),
        reason: result.detail,
      });
      nextProgress = (Math.floor(elapsedMs / progressEveryMs) + 1) * progressEveryMs;
    }
    await sleep(intervalMs, signal, clock);
  }
}

async function connectOnce(hostname: string, port: number): Promise<void> {
  const conn = await Deno.connect({ hostname, port });
  conn.close();
}

/**
 * Reads the health page so the connection can be reused; a huge one is not worth reading, and
 * giving up on it closes that connection. Not through `body`: a stream would load Deno's web
 * streams (about 18 ms) on the cold start.
 */
async function drain(response: IncomingResponse): Promise<void> {
  await response.bytes(65536).catch(() => {});
}
