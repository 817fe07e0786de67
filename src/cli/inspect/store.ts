/**
 * The invocations `emulate --inspect` remembers: the last 200, in memory, each filled in hop by
 * hop as the front door, the recording proxy and the log report them. Bodies are kept up to a
 * limit each, and the oldest records give up their bodies first when all of them together pass
 * a budget, so a long session stays bounded.
 *
 * @module
 */

import type { Outcome } from "../environments.ts";
import {
  type AppRequest,
  type AppResponse,
  CapturedBody,
  type InvocationRecord,
  type InvocationSummary,
  summaryOf,
} from "./record.ts";
import { readOutcome } from "./results.ts";

/** How many invocations are kept. */
export const KEPT_INVOCATIONS = 200;
/** The most of an event kept: Lambda's 6 MB payload and some, so a replay sends it whole. */
export const EVENT_LIMIT = 7 * 1024 * 1024;
/** All bodies together; past it the oldest records drop theirs. */
const BODY_BUDGET = 256 * 1024 * 1024;
/** Log lines kept per invocation. */
const LOG_LIMIT = 500;

/** How an invocation started. */
export interface Begun {
  /** The front door, the RIE endpoint, or the inspector (replay, edit). */
  readonly via: string;
  /** The HTTP method the event carries, or `EVENT`. */
  readonly method: string;
  /** The HTTP path the event carries, or what the event is. */
  readonly path: string;
  /** The event's front end, as `--event-source` names it. */
  readonly source: string;
}

/** Told of a record each time it changes, to keep the page's list live. */
export type SummaryListener = (summary: InvocationSummary) => void;

const REPORT = /^REPORT RequestId: (\S+)\t/;

/** The remembered invocations, newest last; see the module doc. */
export class InvocationStore {
  readonly #records: InvocationRecord[] = [];
  readonly #byId = new Map<string, InvocationRecord>();
  readonly #running = new Set<InvocationRecord>();
  readonly #listeners = new Set<SummaryListener>();
  #seq = 0;

  /** Records a new invocation of `event`. */
  begin(requestId: string, event: Uint8Array, begun: Begun): InvocationRecord {
    const record: InvocationRecord = {
      seq: ++this.#seq,
      requestId,
      startedAt: Date.now(),
      ...begun,
      event: new CapturedBody(EVENT_LIMIT, event),
      failed: false,
      streamed: false,
      logs: [],
      done: false,
    };
    this.#records.push(record);
    this.#byId.set(requestId, record);
    this.#running.add(record);
    while (this.#records.length > KEPT_INVOCATIONS) {
      const old = this.#records.shift()!;
      this.#byId.delete(old.requestId);
      this.#running.delete(old);
    }
    this.#keepBudget();
    this.#changed(record);
    return record;
  }

  /** The request the app received for `requestId`. */
  appRequest(requestId: string, request: AppRequest): void {
    const record = this.#byId.get(requestId);
    if (!record) return;
    record.appRequest = request;
    this.#changed(record);
  }

  /** The app's response head; its body keeps arriving in `response`. */
  appResponse(requestId: string, response: AppResponse): void {
    const record = this.#byId.get(requestId);
    if (!record) return;
    record.appResponse = response;
    this.#changed(record);
  }

  /** Records how the invocation ended. */
  end(requestId: string, outcome: Outcome, elapsedMs: number): void {
    const record = this.#byId.get(requestId);
    if (!record) return;
    const read = readOutcome(outcome);
    if (read.result) record.result = read.result;
    record.status = read.status;
    record.failed = read.failed;
    record.streamed = read.streamed;
    record.durationMs ??= elapsedMs;
    record.done = true;
    this.#running.delete(record);
    this.#keepBudget();
    this.#changed(record);
  }

  /**
   * A line `emulate` printed. A REPORT line gives its invocation's duration and memory; an
   * `[app]` or `[adapter]` line goes to the running invocations whose request id it names, or
   * to every running one when it names none (one at a time unless --concurrency).
   */
  line(text: string): void {
    const report = REPORT.exec(text);
    if (report) return this.#report(report[1]!, text);
    const running = [...this.#running];
    const named = running.filter((record) => text.includes(record.requestId));
    const labelled = text.startsWith("[app] ") || text.startsWith("[adapter] ");
    for (const record of named.length > 0 ? named : labelled ? running : []) {
      if (record.logs.length < LOG_LIMIT) {
        record.logs.push({ atMs: Date.now() - record.startedAt, text });
      }
    }
  }

  /** The record of `seq`, if still kept. */
  get(seq: number): InvocationRecord | undefined {
    return this.#records.find((record) => record.seq === seq);
  }

  /** Every kept record, newest first. */
  list(): InvocationRecord[] {
    return [...this.#records].reverse();
  }

  /** Calls `listener` with a record's summary each time it changes; returns the unsubscribe. */
  subscribe(listener: SummaryListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  #report(requestId: string, line: string): void {
    const record = this.#byId.get(requestId);
    if (!record) return;
    record.report = line;
    const field = (name: string) => new RegExp(`\\t${name}: ([\\d.]+)`).exec(line)?.[1];
    const duration = field("Duration");
    const memory = field("Max Memory Used");
    if (duration !== undefined) record.durationMs = Number(duration);
    if (memory !== undefined) record.maxMemoryUsedMb = Number(memory);
    this.#changed(record);
  }

  /** Drops the bodies of the oldest records until all kept bodies fit the budget. */
  #keepBudget(): void {
    const bodies = (record: InvocationRecord) =>
      [
        record.event,
        record.appRequest?.body,
        record.appResponse?.body,
        record.result && "body" in record.result ? record.result.body : undefined,
      ].filter((body): body is CapturedBody => body !== undefined);
    let total = 0;
    for (const record of this.#records) {
      for (const body of bodies(record)) total += body.kept;
    }
    for (const record of this.#records) {
      if (total <= BODY_BUDGET) return;
      if (this.#running.has(record)) continue;
      for (const body of bodies(record)) {
        total -= body.kept;
        body.drop();
      }
    }
  }

  #changed(record: InvocationRecord): void {
    const summary = summaryOf(record);
    for (const listener of this.#listeners) listener(summary);
  }
}
