/**
 * The extension side of the execution environment: registrations, per-extension event queues,
 * parked `/extension/event/next` calls and the SHUTDOWN handshake. No HTTP here.
 *
 * @module
 */

import type { Invocation } from "./scheduler.ts";
import type { ShutdownReason } from "./types.ts";
import { createWaiterQueue, type WaiterQueue } from "./waiter_queue.ts";

/** The lifecycle events an external extension may subscribe to. */
export type ExtensionEventType = "INVOKE" | "SHUTDOWN";

/** One event ready for `/extension/event/next`. */
export interface ExtensionEvent {
  /** The JSON body, serialized once for every subscriber. */
  readonly body: string;
  readonly invocation: Invocation | undefined;
  readonly shutdown: boolean;
}

/** A registered extension. */
export interface ExtensionRecord {
  readonly name: string;
  readonly id: string;
  readonly events: ReadonlyArray<ExtensionEventType>;
  /** True once it has called `/extension/event/next`: its init is done. */
  calledNext: boolean;
  readonly backlog: ExtensionEvent[];
  readonly waiters: WaiterQueue<ExtensionEvent | undefined>;
  /** The INVOKE it was last given, until it asks for the next event. */
  current: Invocation | undefined;
  shutdownDelivered: boolean;
}

/** Hooks the registry calls; `environment.ts` wires them to the init phase and scheduler. */
export interface RegistryHooks {
  /** An extension called `/extension/event/next` (init may now be complete). */
  onNextCalled(): void;
  /** An extension finished with an INVOKE event by asking for the next one. */
  onInvokeFinished(invocation: Invocation): void;
  log(line: string): void;
}

/** The registry's operations. */
export interface ExtensionRegistry {
  readonly all: ReadonlyArray<ExtensionRecord>;
  byName(name: string): ExtensionRecord | undefined;
  byId(id: string): ExtensionRecord | undefined;
  register(name: string, events: ReadonlyArray<ExtensionEventType>): ExtensionRecord;
  /** Whether every registered extension has called `/extension/event/next`. */
  allReady(): boolean;
  /** Resolves with the next event, or `undefined` if the call was aborted or the registry closed. */
  next(record: ExtensionRecord, signal?: AbortSignal): Promise<ExtensionEvent | undefined>;
  /** Queues INVOKE for every subscriber; returns how many there are. */
  publishInvoke(invocation: Invocation): number;
  publishShutdown(reason: ShutdownReason, deadlineMs: number): Promise<void>;
  close(): void;
}

interface ShutdownHandshake {
  done: Promise<void>;
  finish: () => void;
  remaining: Set<ExtensionRecord>;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Creates an empty registry. */
export function createExtensionRegistry(hooks: RegistryHooks): ExtensionRegistry {
  const records: ExtensionRecord[] = [];
  let shutdown: ShutdownHandshake | undefined;
  let closed = false;

  function markDelivered(record: ExtensionRecord, event: ExtensionEvent): ExtensionEvent {
    if (event.invocation) record.current = event.invocation;
    if (event.shutdown) record.shutdownDelivered = true;
    return event;
  }

  function give(record: ExtensionRecord, event: ExtensionEvent): void {
    const answer = record.waiters.take();
    if (answer) answer(markDelivered(record, event));
    else record.backlog.push(event);
  }

  // Calling /extension/event/next is how an extension says it is done with the previous event.
  function acknowledge(record: ExtensionRecord): void {
    const invocation = record.current;
    record.current = undefined;
    if (invocation) hooks.onInvokeFinished(invocation);
    if (record.shutdownDelivered && shutdown?.remaining.delete(record)) {
      if (shutdown.remaining.size === 0) shutdown.finish();
    }
  }

  return {
    all: records,
    byName(name) {
      return records.find((record) => record.name === name);
    },
    byId(id) {
      return records.find((record) => record.id === id);
    },
    register(name, events) {
      const record: ExtensionRecord = {
        name,
        id: crypto.randomUUID(),
        events: [...new Set(events)],
        calledNext: false,
        backlog: [],
        waiters: createWaiterQueue(),
        current: undefined,
        shutdownDelivered: false,
      };
      records.push(record);
      return record;
    },
    allReady() {
      return records.every((record) => record.calledNext);
    },
    next(record, signal) {
      acknowledge(record);
      if (!record.calledNext) {
        record.calledNext = true;
        hooks.onNextCalled();
      }
      if (closed) return Promise.resolve(undefined);
      const event = record.backlog.shift();
      if (event) return Promise.resolve(markDelivered(record, event));
      return record.waiters.wait(signal, () => undefined);
    },
    publishInvoke(invocation) {
      let subscribers = 0;
      let event: ExtensionEvent | undefined;
      for (const record of records) {
        if (!record.events.includes("INVOKE")) continue;
        event ??= {
          body: JSON.stringify({
            eventType: "INVOKE",
            deadlineMs: invocation.deadlineMs,
            requestId: invocation.requestId,
            invokedFunctionArn: invocation.invokedFunctionArn,
            tracing: { type: "X-Amzn-Trace-Id", value: invocation.traceId },
          }),
          invocation,
          shutdown: false,
        };
        give(record, event);
        subscribers++;
      }
      return subscribers;
    },
    publishShutdown(reason, deadlineMs) {
      if (shutdown) return shutdown.done;
      const targets = records.filter((record) => record.events.includes("SHUTDOWN"));
      let finish = () => {};
      const done = new Promise<void>((resolve) => (finish = resolve));
      const handshake: ShutdownHandshake = {
        done,
        finish,
        remaining: new Set(targets),
        timer: undefined,
      };
      shutdown = handshake;
      handshake.finish = () => {
        clearTimeout(handshake.timer);
        for (const record of handshake.remaining) {
          hooks.log(`Extension ${record.name} did not finish SHUTDOWN before the deadline`);
        }
        handshake.remaining.clear();
        finish();
      };
      if (targets.length === 0 || closed) {
        handshake.finish();
        return done;
      }
      handshake.timer = setTimeout(handshake.finish, Math.max(0, deadlineMs - Date.now()));
      const event: ExtensionEvent = {
        body: JSON.stringify({ eventType: "SHUTDOWN", shutdownReason: reason, deadlineMs }),
        invocation: undefined,
        shutdown: true,
      };
      for (const record of targets) give(record, event);
      return done;
    },
    close() {
      if (closed) return;
      closed = true;
      for (const record of records) record.waiters.settleAll(undefined);
      if (shutdown) {
        shutdown.remaining.clear();
        shutdown.finish();
      }
    },
  };
}
