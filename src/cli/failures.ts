/**
 * What Lambda reports when an execution environment fails rather than the function: a process
 * that exited (`Runtime.ExitError`), an init error the runtime posted, an init phase or an
 * invocation past its limit ("Task timed out after N seconds").
 *
 * @module
 */

import { parseErrorFields } from "../emulator/error_fields.ts";
import type { ProcessExit } from "./sandbox.ts";

/** An invocation the environment failed before the function could answer it. */
export interface EnvironmentFailure {
  /** Always `failed`. */
  readonly kind: "failed";
  /** The invocation's id. */
  readonly requestId: string;
  /** Lambda's error type (`Runtime.ExitError` ...). */
  readonly errorType: string;
  /** Lambda's message for it. */
  readonly errorMessage: string;
  /** What happened, for `emulate`'s log. */
  readonly reason: string;
  /** The last lines the app and the adapter printed. */
  readonly tail: readonly string[];
  /** Set when `--enforce-memory` ended the environment: REPORT says `Runtime.OutOfMemory`. */
  readonly outOfMemory?: true;
}

/** An invocation that ran out of time, in its init phase or while the function ran. */
export interface Timeout {
  /** Always `timeout`. */
  readonly kind: "timeout";
  /** The invocation's id. */
  readonly requestId: string;
  /** The limit that ran out. */
  readonly timeoutMs: number;
  /** Which phase ran out of time. */
  readonly during: "init" | "invoke";
  /** The last lines the app and the adapter printed. */
  readonly tail: readonly string[];
}

/** Go's names for the signals (`syscall.Signal.String()` on Linux), which Lambda's words use. */
const GO_SIGNAL_NAMES: Partial<Record<Deno.Signal, string>> = {
  SIGHUP: "hangup",
  SIGINT: "interrupt",
  SIGQUIT: "quit",
  SIGILL: "illegal instruction",
  SIGTRAP: "trace/breakpoint trap",
  SIGABRT: "aborted",
  SIGBUS: "bus error",
  SIGFPE: "floating point exception",
  SIGKILL: "killed",
  SIGUSR1: "user defined signal 1",
  SIGSEGV: "segmentation fault",
  SIGUSR2: "user defined signal 2",
  SIGPIPE: "broken pipe",
  SIGALRM: "alarm clock",
  SIGTERM: "terminated",
};

/**
 * How a process ended, the way Lambda words it (Go's `ProcessState`): "exit status 3", or
 * "signal: killed" for a process the out-of-memory killer ended.
 */
export function exitStatusText(status: Deno.CommandStatus): string {
  if (status.signal !== null) return `signal: ${GO_SIGNAL_NAMES[status.signal] ?? status.signal}`;
  return `exit status ${status.code}`;
}

/** "the app exited with code 3", for `emulate`'s log. */
export function describeExit(exit: ProcessExit): string {
  const { status } = exit;
  return status.signal !== null
    ? `the ${exit.process} was killed by ${status.signal}`
    : `the ${exit.process} exited with code ${status.code}`;
}

/**
 * The runtime process (the app) exiting is `Runtime.ExitError`; an extension (the adapter)
 * exiting is `Extension.Crash`. Lambda then resets the environment.
 */
export function exitFailure(
  exit: ProcessExit,
  requestId: string,
  tail: readonly string[],
): EnvironmentFailure {
  const status = exitStatusText(exit.status);
  const app = exit.process === "app";
  return {
    kind: "failed",
    requestId,
    errorType: app ? "Runtime.ExitError" : "Extension.Crash",
    errorMessage: app
      ? `RequestId: ${requestId} Error: Runtime exited with error: ${status}`
      : `RequestId: ${requestId} Error: Extension lambda-adapter exited with error: ${status}`,
    reason: describeExit(exit),
    tail,
  };
}

/**
 * The environment passed its memory size and `--enforce-memory` killed it, as Lambda's
 * out-of-memory kill does: the invocation fails as the runtime's exit, `signal: killed`.
 */
export function memoryFailure(
  requestId: string,
  usedMb: number,
  memoryMb: number,
  tail: readonly string[],
): EnvironmentFailure {
  return {
    kind: "failed",
    requestId,
    errorType: "Runtime.ExitError",
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
    reason: `the environment used ${usedMb} MB of its ${memoryMb} MB, so --enforce-memory ` +
      "killed it as Lambda does (signal: killed)",
    tail,
    outOfMemory: true,
  };
}

/** An init error the runtime posted: Lambda answers the invocation with it. */
export function initErrorFailure(
  errorType: string,
  body: string,
  requestId: string,
  tail: readonly string[],
): EnvironmentFailure {
  const fields = parseErrorFields(new TextEncoder().encode(body));
  return {
    kind: "failed",
    requestId,
    errorType,
    errorMessage: fields.errorMessage ?? `RequestId: ${requestId} Error: init failed`,
    reason: `the runtime posted an init error (${errorType})`,
    tail,
  };
}

/** A spawn that failed: Lambda's error for a bootstrap it cannot run. */
export function entrypointFailure(error: Error, requestId: string): EnvironmentFailure {
  return {
    kind: "failed",
    requestId,
    errorType: "Runtime.InvalidEntrypoint",
    errorMessage: `RequestId: ${requestId} Error: ${error.message}`,
    reason: `the app could not be started: ${error.message}`,
    tail: [],
  };
}

/** Lambda's words for a timeout: "Task timed out after 3.00 seconds". */
export function timeoutText(timeoutMs: number): string {
  return `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
}
