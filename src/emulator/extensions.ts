/**
 * The extension side of the execution environment: registrations, per-extension event queues,
 * parked `/extension/event/next` calls and the SHUTDOWN handshake. No HTTP here.
 *
 * @module
 */

import { type Clock, systemClock } from "../util/clock.ts";
import type { Invocation } from "./scheduler.ts";
import type { ShutdownReason } from "./types.ts";
import { createWaiterQueue, type WaiterQueue } from "./waiter_queue.ts";

/** The lifecycle events an external extension may subscribe to. */
export type ExtensionEventType = "INVOKE" | "SHUTDOWN";

/** One event ready for `/extension/event/next`. */
export interface ExtensionEvent {
  /** The JSON body, serialized once for every subscriber. */
  readonly body: string;
  /** The invocation an INVOKE event is for. */
  readonly invocation: Invocation | undefined;
  /** Whether this is the SHUTDOWN event. */
  readonly shutdown: boolean;
}

/** A registered extension. */
export interface ExtensionRecord {
  /** The name it registered with (`Lambda-Extension-Name`). */
  readonly name: string;
  /** Its `Lambda-Extension-Identifier`. */
  readonly id: string;
  /** The events it subscribed to. */
  readonly events: ReadonlyArray<ExtensionEventType>;
  /** True once it has called `/extension/event/next`: its init is done. */
  calledNext: boolean;
  /** Events not yet fetched. */
  readonly backlog: ExtensionEvent[];
  /** Its pending `/extension/event/next` calls. */
  readonly waiters: WaiterQueue<ExtensionEvent | undefined>;
  /** The INVOKE it was last given, until it asks for the next event. */
  current: Invocation | undefined;
  /** Whether it has been given SHUTDOWN. */
  shutdownDelivered: boolean;
}

/** Hooks the registry calls; `environment.ts` wires them to the init phase and scheduler. */
export interface RegistryHooks {
  /** An extension called `/extension/event/next` (init may now be complete). */
  onNextCalled(): void;
  /** An extension finished with an INVOKE event by asking for the next one. */
  onInvokeFinished(invocation: Invocation): void;
  /** Writes a line to the emulator's log. */
  log(line: string): void;
}

interface ShutdownHandshake {
  done: Promise<void>;
  finish: () => void;
  remaining: Set<ExtensionRecord>;
  cancelTimer: (() => void) | undefined;
}

/** The registered extensions, their event queues and the SHUTDOWN handshake. */
export class ExtensionRegistry {
  readonly #records: ExtensionRecord[] = [];
  readonly #hooks: RegistryHooks;
  readonly #clock: Clock;
  #shutdown: ShutdownHandshake | undefined;
  #closed = false;

  /** An empty registry; the SHUTDOWN deadline runs on `clock`. */
  constructor(hooks: RegistryHooks, clock: Clock = systemClock) {
    this.#hooks = hooks;
    this.#clock = clock;
  }

  /** Every registration, in order. */
  get all(): ReadonlyArray<ExtensionRecord> {
    return this.#records;
  }

  /** The registration named `name`. */
  byName(name: string): ExtensionRecord | undefined {
    return this.#records.find((record) => record.name === name);
  }

  /** The registration with identifier `id`. */
  byId(id: string): ExtensionRecord | undefined {
    return this.#records.find((record) => record.id === id);
  }

  /** Registers `name` for `events`. */
  register(name: string, events: ReadonlyArray<ExtensionEventType>): ExtensionRecord {
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
    this.#records.push(record);
    return record;
  }

  /** Whether every registered extension has called `/extension/event/next`. */
  allReady(): boolean {
    return this.#records.every((record) => record.calledNext);
  }

  /** Resolves with the next event, or `undefined` if the call was aborted or the registry closed. */
  next(record: ExtensionRecord, signal?: AbortSignal): Promise<ExtensionEvent | undefined> {
    this.#acknowledge(record);
    if (!record.calledNext) {
      record.calledNext = true;
      this.#hooks.onNextCalled();
    }
    if (this.#closed) return Promise.resolve(undefined);
    const event = record.backlog.shift();
    if (event) return Promise.resolve(this.#delivered(record, event));
    return record.waiters.wait(signal, () => undefined);
  }

  /** Queues INVOKE for every subscriber; returns how many there are. */
  publishInvoke(invocation: Invocation): number {
    const subscribers = this.#records.filter((record) => record.events.includes("INVOKE"));
    if (subscribers.length === 0) return 0;
    const event: ExtensionEvent = {
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
    for (const record of subscribers) this.#give(record, event);
    return subscribers.length;
  }

  /** Sends SHUTDOWN; resolves once each subscriber asked for its next event, or at `deadlineMs`. */
  publishShutdown(reason: ShutdownReason, deadlineMs: number): Promise<void> {
    if (this.#shutdown) return this.#shutdown.done;
    const targets = this.#records.filter((record) => record.events.includes("SHUTDOWN"));
    const handshake = this.#handshake(targets);
    if (targets.length === 0 || this.#closed) {
      handshake.finish();
      return handshake.done;
    }
    const waitMs = Math.max(0, deadlineMs - this.#clock.epochMs());
    handshake.cancelTimer = this.#clock.timer(waitMs, handshake.finish);
    const event: ExtensionEvent = {
      body: JSON.stringify({ eventType: "SHUTDOWN", shutdownReason: reason, deadlineMs }),
      invocation: undefined,
      shutdown: true,
    };
    for (const record of targets) this.#give(record, event);
    return handshake.done;
  }

  /** Answers every parked call with `undefined` and ends a pending SHUTDOWN. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const record of this.#records) record.waiters.settleAll(undefined);
    if (this.#shutdown) {
      this.#shutdown.remaining.clear();
      this.#shutdown.finish();
    }
  }

  #handshake(targets: ExtensionRecord[]): ShutdownHandshake {
    const { promise, resolve } = Promise.withResolvers<void>();
    const handshake: ShutdownHandshake = {
      done: promise,
      remaining: new Set(targets),
      cancelTimer: undefined,
      finish: () => {
        handshake.cancelTimer?.();
        for (const record of handshake.remaining) {
          this.#hooks.log(`Extension ${record.name} did not finish SHUTDOWN before the deadline`);
        }
        handshake.remaining.clear();
        resolve();
      },
    };
    this.#shutdown = handshake;
    return handshake;
  }

  #delivered(record: ExtensionRecord, event: ExtensionEvent): ExtensionEvent {
    if (event.invocation) record.current = event.invocation;
    if (event.shutdown) record.shutdownDelivered = true;
    return event;
  }

  #give(record: ExtensionRecord, event: ExtensionEvent): void {
    const answer = record.waiters.take();
    if (answer) answer(this.#delivered(record, event));
    else record.backlog.push(event);
  }

  // Calling /extension/event/next is how an extension says it is done with the previous event.
  #acknowledge(record: ExtensionRecord): void {
    const invocation = record.current;
    record.current = undefined;
    if (invocation) this.#hooks.onInvokeFinished(invocation);
    const shutdown = this.#shutdown;
    if (record.shutdownDelivered && shutdown?.remaining.delete(record)) {
      if (shutdown.remaining.size === 0) shutdown.finish();
    }
  }
}
