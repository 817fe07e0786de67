/**
 * One emulated execution environment: the scheduler, the extension registry and the init phase
 * wired together, plus the records tests read. Transport-independent.
 *
 * @module
 */

import type { EmulatorConfig } from "./config.ts";
import { ExtensionRegistry } from "./extensions.ts";
import { createInitPhase, type InitPhase } from "./init_phase.ts";
import { buildInvocationSpec } from "./invocation_spec.ts";
import { endLine, reportLine, startLine, timeoutLine } from "./lambda_log.ts";
import { type Invocation, Scheduler } from "./scheduler.ts";
import {
  EmulatorClosedError,
  type EmulatorStats,
  type ExtensionErrorRecord,
  type InitErrorRecord,
  type InvokeOptions,
  type InvokeResult,
  type ShutdownOptions,
} from "./types.ts";

/** Default time extensions get for SHUTDOWN: Lambda allows 2,000 ms with external extensions. */
const SHUTDOWN_GRACE_MS = 2000;

/** The state every API handler works on; it starts in its init phase. */
export class Environment {
  /** The settings, defaults filled in. */
  readonly config: EmulatorConfig;
  /** Queues invocations and hands them out. */
  readonly scheduler: Scheduler;
  /** The registered extensions and their events. */
  readonly extensions: ExtensionRegistry;
  /** The init phase. */
  readonly init: InitPhase;
  /** Every init error posted. */
  readonly initErrors: InitErrorRecord[] = [];
  /** Every extension init or exit error posted. */
  readonly extensionErrors: ExtensionErrorRecord[] = [];
  /** Counters for tests and benchmarks. */
  readonly stats: EmulatorStats;
  #closed = false;
  #reportedInit = false;
  /** Register requests still being read: init does not end under them. */
  #registrations = 0;

  /** An environment whose clock starts now. */
  constructor(config: EmulatorConfig) {
    this.config = config;
    const { clock } = config;
    const startedAt = clock.now();
    this.init = createInitPhase(startedAt, config.initTimeoutMs, () => this.#pending(), clock);
    this.extensions = new ExtensionRegistry({
      onNextCalled: () => this.#evaluateInit(),
      onInvokeFinished: (invocation) => this.scheduler.extensionFinished(invocation),
      log: (line) => this.log(line),
    }, clock);
    this.scheduler = new Scheduler(config.maxConcurrency, {
      canHandOut: () => this.init.done,
      onHandOut: (invocation) => {
        if (config.log) this.log(startLine(invocation.requestId, config.functionVersion));
        return this.extensions.publishInvoke(invocation);
      },
      onOutcome: (invocation, result) => this.#logOutcome(invocation, result),
    }, clock);
    this.stats = counters(startedAt, this.scheduler);
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Counts a runtime `/next` call; the first one ends the runtime's part of init. */
  recordRuntimeNext(): void {
    this.stats.nextCalls++;
    if (this.stats.firstNextAt !== undefined) return;
    this.stats.firstNextAt = this.config.clock.now();
    this.#evaluateInit();
  }

  /** A register request arrived; call the returned function once it is answered. */
  registering(): () => void {
    this.#registrations++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#registrations--;
      this.#evaluateInit();
    };
  }

  /** Queues an invocation of `event`. */
  invoke(event: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    if (this.#closed) return Promise.reject(new EmulatorClosedError("The emulator is closed"));
    try {
      const spec = buildInvocationSpec(event, options, this.config);
      return this.scheduler.enqueue(spec, options.signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Sends SHUTDOWN to its subscribers and waits for them or the deadline. */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    const deadlineMs = options.deadlineMs ?? this.config.clock.epochMs() + SHUTDOWN_GRACE_MS;
    return this.extensions.publishShutdown(options.reason ?? "spindown", deadlineMs);
  }

  /** Passes a line to the configured log. */
  log(line: string): void {
    this.config.log?.(line);
  }

  /** Settles everything pending; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.scheduler.close();
    this.extensions.close();
    this.init.close();
  }

  // Lambda ends init when the runtime and every extension it started have called next.
  #evaluateInit(): void {
    if (this.init.done || this.stats.firstNextAt === undefined) return;
    if (this.#registrations > 0 || !this.extensions.allReady()) return;
    if (this.extensions.all.length < this.config.extensions) return;
    this.init.complete();
    this.scheduler.pump();
  }

  #pending(): string {
    const missing = this.extensions.all.filter((record) => !record.calledNext);
    const parts = [];
    if (this.stats.firstNextAt === undefined) {
      parts.push("the runtime has not called /runtime/invocation/next");
    }
    if (missing.length > 0) {
      const names = missing.map((record) => record.name).join(", ");
      parts.push(`extensions that have not called /extension/event/next: ${names}`);
    }
    const unregistered = this.config.extensions - this.extensions.all.length;
    if (unregistered > 0) {
      parts.push(`${unregistered} of ${this.config.extensions} extensions have not registered`);
    }
    return parts.join("; ") || "nothing is missing";
  }

  #logOutcome(invocation: Invocation, result: InvokeResult): void {
    if (!this.config.log) return;
    const { requestId, timing } = invocation;
    if (result.kind === "timeout") this.log(timeoutLine(requestId, invocation.timeoutMs));
    this.log(endLine(requestId));
    // Lambda adds Init Duration to the REPORT of the environment's first invocation only.
    const initMs = this.#reportedInit ? undefined : this.init.durationMs;
    this.#reportedInit = true;
    const durationMs = timing.completedAt - timing.handedOutAt;
    const memoryMb = this.config.memoryMb;
    const status = result.kind === "timeout" ? "timeout" as const : undefined;
    this.log(reportLine({
      requestId,
      durationMs,
      memoryMb,
      ...(initMs === undefined ? {} : { initDurationMs: initMs }),
      ...(status ? { status } : {}),
    }));
  }
}

/** The live counters, the scheduler's read through. */
function counters(startedAt: number, scheduler: Scheduler): EmulatorStats {
  return {
    nextCalls: 0,
    firstNextAt: undefined,
    rejectedResponses: 0,
    startedAt,
    get inFlight() {
      return scheduler.inFlight;
    },
    get queued() {
      return scheduler.queued;
    },
    get waitingNext() {
      return scheduler.waiting;
    },
  };
}
