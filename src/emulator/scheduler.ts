/**
 * The invocation state machine behind the Runtime API: a FIFO of queued invocations, a FIFO of
 * parked `/runtime/invocation/next` calls, concurrency slots and deadlines. No HTTP here.
 *
 * @module
 */

import { type Clock, systemClock } from "../util/clock.ts";
import { createFinishedIds } from "./finished_ids.ts";
import { createEntry, type Entry } from "./scheduler_entry.ts";
import type { InvocationSpec } from "./invocation_spec.ts";
import type {
  Invocation,
  ResultOutcome,
  RuntimeResult,
  SchedulerHooks,
  StreamClaim,
} from "./scheduler_types.ts";
import { EmulatorClosedError, type InvokeResult } from "./types.ts";
import { createWaiterQueue } from "./waiter_queue.ts";

export type {
  Invocation,
  InvocationPhase,
  ResultOutcome,
  RuntimeResult,
  SchedulerHooks,
  StreamClaim,
  StreamResult,
} from "./scheduler_types.ts";

/** Roughly how many finished request ids are remembered to answer late posts precisely. */
const REMEMBERED_FINISHED = 10_000;

/** Hands out at most `maxConcurrency` invocations at once, each until its result or deadline. */
export class Scheduler {
  readonly #maxConcurrency: number;
  readonly #hooks: SchedulerHooks;
  readonly #clock: Clock;
  readonly #queue: Entry[] = [];
  readonly #active = new Map<string, Entry>();
  readonly #finished = createFinishedIds(REMEMBERED_FINISHED);
  readonly #waiters = createWaiterQueue<Invocation | undefined>();
  #inFlight = 0;
  #closed = false;

  /** Deadlines run on `clock`. */
  constructor(maxConcurrency: number, hooks: SchedulerHooks, clock: Clock = systemClock) {
    this.#maxConcurrency = maxConcurrency;
    this.#hooks = hooks;
    this.#clock = clock;
  }

  /** Invocations handed out and not yet released. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Invocations waiting to be handed out. */
  get queued(): number {
    return this.#queue.length;
  }

  /** `/next` calls parked until an invocation comes. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /** Queues an invocation; resolves with its outcome, rejects if `signal` aborts or on close. */
  enqueue(spec: InvocationSpec, signal?: AbortSignal): Promise<InvokeResult> {
    if (this.#closed) return Promise.reject(new EmulatorClosedError("The emulator is closed"));
    if (this.#active.has(spec.requestId)) {
      return Promise.reject(
        new TypeError(`Request id ${spec.requestId} is already queued or running`),
      );
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<InvokeResult>((resolve, reject) => {
      const entry = this.#entry(spec, signal, resolve, reject);
      this.#finished.forget(spec.requestId);
      this.#active.set(spec.requestId, entry);
      this.#queue.push(entry);
      this.pump();
    });
  }

  /** Parks a `/next` call; resolves with an invocation, or `undefined` if aborted or closed. */
  next(signal?: AbortSignal): Promise<Invocation | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    const parked = this.#waiters.wait(signal, () => undefined);
    this.pump();
    return parked;
  }

  /** Reports whether `requestId` can take a result now, without changing anything. */
  check(requestId: string): ResultOutcome {
    const entry = this.#active.get(requestId);
    // A queued invocation has not been handed to the runtime, so its id is not valid yet.
    if (!entry || entry.invocation.phase === "queued") {
      return this.#finished.get(requestId) ?? "unknown";
    }
    return entry.invocation.phase === "running" ? "accepted" : "alreadyCompleted";
  }

  /** Completes `requestId` with the runtime's result, if it can take one. */
  complete(requestId: string, result: RuntimeResult): ResultOutcome {
    const outcome = this.check(requestId);
    const entry = this.#active.get(requestId);
    if (outcome !== "accepted" || !entry) return outcome;
    this.#respond(entry, result);
    return "accepted";
  }

  /**
   * Claims a running invocation for a streaming response: later posts for it are refused as
   * already answered, and its deadline still applies while the body arrives.
   */
  claim(requestId: string): StreamClaim | ResultOutcome {
    const outcome = this.check(requestId);
    const entry = this.#active.get(requestId);
    if (outcome !== "accepted" || !entry) return outcome;
    const invocation = entry.invocation;
    invocation.phase = "streaming";
    const stream = new AbortController();
    entry.stream = stream;
    return {
      invocation,
      stopped: stream.signal,
      complete: (result) => {
        if (this.#closed) return "unknown";
        if (invocation.phase !== "streaming") {
          return invocation.phase === "timedOut" ? "timedOut" : "alreadyCompleted";
        }
        entry.stream = undefined;
        this.#respond(entry, result);
        return "accepted";
      },
    };
  }

  /** An INVOKE subscriber came back to `/extension/event/next` after this invocation. */
  extensionFinished(invocation: Invocation): void {
    if (invocation.pendingExtensions > 0) invocation.pendingExtensions--;
    const entry = this.#active.get(invocation.requestId);
    if (
      entry?.invocation === invocation && invocation.phase === "responded" &&
      invocation.pendingExtensions === 0
    ) {
      this.#release(entry);
    }
  }

  /** Hands out whatever can be handed out now. */
  pump(): void {
    while (
      !this.#closed && this.#inFlight < this.#maxConcurrency && this.#queue.length > 0 &&
      this.#waiters.size > 0 && this.#hooks.canHandOut()
    ) {
      const answer = this.#waiters.take();
      const entry = this.#queue.shift();
      if (!answer || !entry) break;
      this.#handOut(entry);
      answer(entry.invocation);
    }
  }

  /** Rejects every pending invocation with `EmulatorClosedError` and answers parked calls. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const entry of this.#active.values()) {
      entry.cancelTimer?.();
      entry.stream?.abort(new EmulatorClosedError("The emulator closed mid-stream"));
      this.#detach(entry);
      if (entry.settled) continue;
      entry.settled = true;
      const { requestId } = entry.invocation;
      entry.reject(
        new EmulatorClosedError(`The emulator closed before invocation ${requestId} completed`),
      );
    }
    this.#active.clear();
    this.#queue.length = 0;
    this.#waiters.settleAll(undefined);
  }

  #entry(
    spec: InvocationSpec,
    signal: AbortSignal | undefined,
    resolve: (result: InvokeResult) => void,
    reject: (reason: unknown) => void,
  ): Entry {
    const entry = createEntry(spec, this.#clock.now(), { resolve, reject, signal });
    if (signal) {
      entry.onAbort = () => this.#abandon(entry);
      signal.addEventListener("abort", entry.onAbort, { once: true });
    }
    return entry;
  }

  #handOut(entry: Entry): void {
    const invocation = entry.invocation;
    invocation.phase = "running";
    invocation.timing.handedOutAt = this.#clock.now();
    invocation.deadlineMs = this.#clock.epochMs() + invocation.timeoutMs;
    entry.holdsSlot = true;
    this.#inFlight++;
    entry.cancelTimer = this.#clock.timer(invocation.timeoutMs, () => this.#expire(entry));
    invocation.pendingExtensions = this.#hooks.onHandOut(invocation);
  }

  #respond(entry: Entry, result: RuntimeResult): void {
    const invocation = entry.invocation;
    invocation.phase = "responded";
    invocation.timing.completedAt = this.#clock.now();
    const { requestId, timing } = invocation;
    if (result.kind === "stream") {
      const { firstByteAt, ...rest } = result;
      const withFirstByte = firstByteAt === undefined ? { ...timing } : { ...timing, firstByteAt };
      this.#settle(entry, { ...rest, requestId, timing: withFirstByte });
    } else this.#settle(entry, { ...result, requestId, timing });
    if (invocation.pendingExtensions === 0) this.#release(entry);
  }

  #expire(entry: Entry): void {
    entry.cancelTimer = undefined;
    const invocation = entry.invocation;
    if (invocation.phase === "running" || invocation.phase === "streaming") {
      invocation.phase = "timedOut";
      invocation.timing.completedAt = this.#clock.now();
      const { requestId, timing } = invocation;
      this.#settle(entry, { kind: "timeout", requestId, timing });
      // Lambda stops the function at its deadline, mid-stream or not; the rest is discarded.
      entry.stream?.abort(new Error(`Invocation ${requestId} timed out`));
    }
    // Lambda's invoke phase also ends at the deadline when an extension is still busy.
    this.#release(entry);
  }

  #settle(entry: Entry, result: InvokeResult): void {
    this.#hooks.onOutcome(entry.invocation, result);
    if (entry.settled) return;
    entry.settled = true;
    this.#detach(entry);
    entry.resolve(result);
  }

  #release(entry: Entry): void {
    if (!entry.holdsSlot) return;
    entry.holdsSlot = false;
    this.#inFlight--;
    entry.cancelTimer?.();
    entry.cancelTimer = undefined;
    const { requestId, phase } = entry.invocation;
    this.#active.delete(requestId);
    this.#finished.remember(requestId, phase === "timedOut" ? "timedOut" : "alreadyCompleted");
    this.pump();
  }

  /** The caller stopped waiting: a queued invocation is withdrawn, a running one runs on. */
  #abandon(entry: Entry): void {
    const reason = entry.signal?.reason;
    if (entry.invocation.phase === "queued") {
      this.#queue.splice(this.#queue.indexOf(entry), 1);
      this.#active.delete(entry.invocation.requestId);
    }
    entry.settled = true;
    entry.reject(reason);
  }

  #detach(entry: Entry): void {
    if (entry.onAbort) entry.signal?.removeEventListener("abort", entry.onAbort);
  }
}
