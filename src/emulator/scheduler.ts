/**
 * The invocation state machine behind the Runtime API: a FIFO of queued invocations, a FIFO of
 * parked `/runtime/invocation/next` calls, concurrency slots and deadlines. No HTTP here.
 *
 * @module
 */

import { createFinishedIds } from "./finished_ids.ts";
import type {
  Invocation,
  ResultOutcome,
  RuntimeResult,
  Scheduler,
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
  Scheduler,
  SchedulerHooks,
  StreamClaim,
  StreamResult,
} from "./scheduler_types.ts";

interface Entry {
  invocation: Invocation;
  resolve: (result: InvokeResult) => void;
  reject: (reason: unknown) => void;
  settled: boolean;
  holdsSlot: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** Set while a streaming response holds the invocation. */
  stream: AbortController | undefined;
}

/** Roughly how many finished request ids are remembered to answer late posts precisely. */
const REMEMBERED_FINISHED = 10_000;

/** Creates a scheduler handing out at most `maxConcurrency` invocations at once. */
export function createScheduler(maxConcurrency: number, hooks: SchedulerHooks): Scheduler {
  const queue: Entry[] = [];
  const active = new Map<string, Entry>();
  const finished = createFinishedIds(REMEMBERED_FINISHED);
  const waiters = createWaiterQueue<Invocation | undefined>();
  let inFlight = 0;
  let closed = false;

  function settle(entry: Entry, result: InvokeResult): void {
    hooks.onOutcome(entry.invocation, result);
    if (entry.settled) return;
    entry.settled = true;
    if (entry.onAbort) entry.signal?.removeEventListener("abort", entry.onAbort);
    entry.resolve(result);
  }

  function release(entry: Entry): void {
    if (!entry.holdsSlot) return;
    entry.holdsSlot = false;
    inFlight--;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    const { requestId, phase } = entry.invocation;
    active.delete(requestId);
    finished.remember(requestId, phase === "timedOut" ? "timedOut" : "alreadyCompleted");
    pump();
  }

  function expire(entry: Entry): void {
    entry.timer = undefined;
    const invocation = entry.invocation;
    if (invocation.phase === "running" || invocation.phase === "streaming") {
      invocation.phase = "timedOut";
      invocation.timing.completedAt = performance.now();
      const { requestId, timing } = invocation;
      settle(entry, { kind: "timeout", requestId, timing });
      // Lambda stops the function at its deadline, mid-stream or not; the rest is discarded.
      entry.stream?.abort(new Error(`Invocation ${requestId} timed out`));
    }
    // Lambda's invoke phase also ends at the deadline when an extension is still busy.
    release(entry);
  }

  function respond(entry: Entry, result: RuntimeResult): void {
    const invocation = entry.invocation;
    invocation.phase = "responded";
    invocation.timing.completedAt = performance.now();
    const { requestId, timing } = invocation;
    if (result.kind === "stream") {
      const { firstByteAt, ...rest } = result;
      const withFirstByte = firstByteAt === undefined ? { ...timing } : { ...timing, firstByteAt };
      settle(entry, { ...rest, requestId, timing: withFirstByte });
    } else settle(entry, { ...result, requestId, timing });
    if (invocation.pendingExtensions === 0) release(entry);
  }

  function claim(requestId: string): StreamClaim | ResultOutcome {
    const outcome = check(requestId);
    const entry = active.get(requestId);
    if (outcome !== "accepted" || !entry) return outcome;
    const invocation = entry.invocation;
    invocation.phase = "streaming";
    const stream = new AbortController();
    entry.stream = stream;
    return {
      invocation,
      stopped: stream.signal,
      complete(result) {
        if (closed) return "unknown";
        if (invocation.phase !== "streaming") {
          return invocation.phase === "timedOut" ? "timedOut" : "alreadyCompleted";
        }
        entry.stream = undefined;
        respond(entry, result);
        return "accepted";
      },
    };
  }

  function handOut(entry: Entry): void {
    const invocation = entry.invocation;
    invocation.phase = "running";
    invocation.timing.handedOutAt = performance.now();
    invocation.deadlineMs = Date.now() + invocation.timeoutMs;
    entry.holdsSlot = true;
    inFlight++;
    entry.timer = setTimeout(() => expire(entry), invocation.timeoutMs);
    invocation.pendingExtensions = hooks.onHandOut(invocation);
  }

  function pump(): void {
    while (
      !closed && inFlight < maxConcurrency && queue.length > 0 && waiters.size > 0 &&
      hooks.canHandOut()
    ) {
      const answer = waiters.take();
      const entry = queue.shift();
      if (!answer || !entry) break;
      handOut(entry);
      answer(entry.invocation);
    }
  }

  function finishedOutcome(requestId: string): ResultOutcome {
    return finished.get(requestId) ?? "unknown";
  }

  function check(requestId: string): ResultOutcome {
    const entry = active.get(requestId);
    // A queued invocation has not been handed to the runtime, so its id is not valid yet.
    if (!entry || entry.invocation.phase === "queued") return finishedOutcome(requestId);
    return entry.invocation.phase === "running" ? "accepted" : "alreadyCompleted";
  }

  function onAbort(entry: Entry): void {
    const reason = entry.signal?.reason;
    if (entry.invocation.phase === "queued") {
      queue.splice(queue.indexOf(entry), 1);
      active.delete(entry.invocation.requestId);
    }
    entry.settled = true;
    entry.reject(reason);
  }

  return {
    get inFlight() {
      return inFlight;
    },
    get queued() {
      return queue.length;
    },
    enqueue(spec, signal) {
      if (closed) return Promise.reject(new EmulatorClosedError("The emulator is closed"));
      if (active.has(spec.requestId)) {
        return Promise.reject(
          new TypeError(`Request id ${spec.requestId} is already queued or running`),
        );
      }
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<InvokeResult>((resolve, reject) => {
        const invocation: Invocation = {
          ...spec,
          phase: "queued",
          deadlineMs: 0,
          timing: { queuedAt: performance.now(), handedOutAt: 0, completedAt: 0 },
          pendingExtensions: 0,
        };
        const entry: Entry = {
          invocation,
          resolve,
          reject,
          settled: false,
          holdsSlot: false,
          timer: undefined,
          signal,
          onAbort: undefined,
          stream: undefined,
        };
        if (signal) {
          entry.onAbort = () => onAbort(entry);
          signal.addEventListener("abort", entry.onAbort, { once: true });
        }
        finished.forget(spec.requestId);
        active.set(spec.requestId, entry);
        queue.push(entry);
        pump();
      });
    },
    next(signal) {
      if (closed) return Promise.resolve(undefined);
      const parked = waiters.wait(signal, () => undefined);
      pump();
      return parked;
    },
    check,
    complete(requestId, result) {
      const outcome = check(requestId);
      const entry = active.get(requestId);
      if (outcome !== "accepted" || !entry) return outcome;
      respond(entry, result);
      return "accepted";
    },
    claim,
    extensionFinished(invocation) {
      if (invocation.pendingExtensions > 0) invocation.pendingExtensions--;
      const entry = active.get(invocation.requestId);
      if (
        entry?.invocation === invocation && invocation.phase === "responded" &&
        invocation.pendingExtensions === 0
      ) {
        release(entry);
      }
    },
    pump,
    close() {
      if (closed) return;
      closed = true;
      for (const entry of active.values()) {
        clearTimeout(entry.timer);
        entry.stream?.abort(new EmulatorClosedError("The emulator closed mid-stream"));
        if (entry.onAbort) entry.signal?.removeEventListener("abort", entry.onAbort);
        if (!entry.settled) {
          entry.settled = true;
          entry.reject(
            new EmulatorClosedError(
              `The emulator closed before invocation ${entry.invocation.requestId} completed`,
            ),
          );
        }
      }
      active.clear();
      queue.length = 0;
      waiters.settleAll(undefined);
    },
  };
}
