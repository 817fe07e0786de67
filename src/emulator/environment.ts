/**
 * One emulated execution environment: the scheduler, the extension registry and the init phase
 * wired together, plus the records tests read. Transport-independent.
 *
 * @module
 */

import type { EmulatorConfig } from "./config.ts";
import { createExtensionRegistry, type ExtensionRegistry } from "./extensions.ts";
import { createInitPhase, type InitPhase } from "./init_phase.ts";
import { buildInvocationSpec } from "./invocation_spec.ts";
import { endLine, reportLine, startLine, timeoutLine } from "./lambda_log.ts";
import { createScheduler, type Invocation, type Scheduler } from "./scheduler.ts";
import {
  EmulatorClosedError,
  type EmulatorStats,
  type ExtensionErrorRecord,
  type InitErrorRecord,
  type InvokeOptions,
  type InvokeResult,
  type ShutdownOptions,
} from "./types.ts";

/** The state every API handler works on. */
export interface Environment {
  readonly config: EmulatorConfig;
  readonly scheduler: Scheduler;
  readonly extensions: ExtensionRegistry;
  readonly init: InitPhase;
  readonly initErrors: InitErrorRecord[];
  readonly extensionErrors: ExtensionErrorRecord[];
  readonly stats: EmulatorStats;
  readonly closed: boolean;
  /** Counts a runtime `/next` call; the first one ends the runtime's part of init. */
  recordRuntimeNext(): void;
  invoke(event: unknown, options?: InvokeOptions): Promise<InvokeResult>;
  shutdown(options?: ShutdownOptions): Promise<void>;
  log(line: string): void;
  close(): void;
}

/** Default time extensions get for SHUTDOWN: Lambda allows 2,000 ms with external extensions. */
const SHUTDOWN_GRACE_MS = 2000;

/** Creates an environment in its init phase; `startedAt` is a `performance.now()` reading. */
export function createEnvironment(config: EmulatorConfig, startedAt: number): Environment {
  const stats: EmulatorStats = {
    nextCalls: 0,
    firstNextAt: undefined,
    rejectedResponses: 0,
    startedAt,
  };
  let closed = false;
  let reportedInit = false;

  function log(line: string): void {
    config.log?.(line);
  }

  // Lambda ends init when the runtime and every registered extension have called next.
  function evaluateInit(): void {
    if (init.done || stats.firstNextAt === undefined || !extensions.allReady()) return;
    init.complete();
    scheduler.pump();
  }

  function describePending(): string {
    const missing = extensions.all.filter((record) => !record.calledNext);
    const parts = [];
    if (stats.firstNextAt === undefined) {
      parts.push("the runtime has not called /runtime/invocation/next");
    }
    if (missing.length > 0) {
      const names = missing.map((record) => record.name).join(", ");
      parts.push(`extensions that have not called /extension/event/next: ${names}`);
    }
    return parts.join("; ") || "nothing is missing";
  }

  function logOutcome(invocation: Invocation, result: InvokeResult): void {
    if (!config.log) return;
    const { requestId, timing } = invocation;
    if (result.kind === "timeout") log(timeoutLine(requestId, invocation.timeoutMs));
    log(endLine(requestId));
    // Lambda adds Init Duration to the REPORT of the environment's first invocation only.
    const initMs = reportedInit ? undefined : init.durationMs;
    reportedInit = true;
    log(reportLine(requestId, timing.completedAt - timing.handedOutAt, config.memoryMb, initMs));
  }

  const init = createInitPhase(startedAt, config.initTimeoutMs, describePending);
  const extensions = createExtensionRegistry({
    onNextCalled: evaluateInit,
    onInvokeFinished: (invocation) => scheduler.extensionFinished(invocation),
    log,
  });
  const scheduler = createScheduler(config.maxConcurrency, {
    canHandOut: () => init.done,
    onHandOut(invocation) {
      if (config.log) log(startLine(invocation.requestId, config.functionVersion));
      return extensions.publishInvoke(invocation);
    },
    onOutcome: logOutcome,
  });

  return {
    config,
    scheduler,
    extensions,
    init,
    initErrors: [],
    extensionErrors: [],
    stats,
    get closed() {
      return closed;
    },
    recordRuntimeNext() {
      stats.nextCalls++;
      if (stats.firstNextAt !== undefined) return;
      stats.firstNextAt = performance.now();
      evaluateInit();
    },
    invoke(event, options = {}) {
      if (closed) return Promise.reject(new EmulatorClosedError("The emulator is closed"));
      try {
        const spec = buildInvocationSpec(event, options, config);
        return scheduler.enqueue(spec, options.signal);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    shutdown(options = {}) {
      const deadlineMs = options.deadlineMs ?? Date.now() + SHUTDOWN_GRACE_MS;
      return extensions.publishShutdown(options.reason ?? "spindown", deadlineMs);
    },
    log,
    close() {
      if (closed) return;
      closed = true;
      scheduler.close();
      extensions.close();
      init.close();
    },
  };
}
