/**
 * The execution environments behind `emulate`, kept the way Lambda keeps them: one is
 * initialised at start-up; an invocation waits for its init; an environment whose process
 * exited, whose init failed or whose invocation timed out is discarded, and the next invocation
 * starts a fresh one, whose init then counts against the function timeout (Lambda retries a
 * failed init within the invocation). Every invocation gets an answer, and `stop()` ends
 * everything at once, whatever state it is in.
 *
 * @module
 */

import type { InvokeOptions, InvokeResult } from "../emulator/mod.ts";
import type { EmulateArgs } from "./args.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import {
  describeExit,
  entrypointFailure,
  type EnvironmentFailure,
  exitFailure,
  initErrorFailure,
  memoryFailure,
  type Timeout,
} from "./failures.ts";
import { Metering } from "./metering.ts";
import { toMb } from "./process_memory.ts";
import { type InitOutcome, type Sandbox, type SandboxSettings, startSandbox } from "./sandbox.ts";
import { aborted } from "../util/async.ts";

/** How an invocation through `emulate` ended. */
export type Outcome =
  | Exclude<InvokeResult, { kind: "timeout" }>
  | Timeout
  | EnvironmentFailure
  | { readonly kind: "stopped" };

/** Lambda's init phase limit. */
export const INIT_LIMIT_MS = 10_000;

/** Why an environment was discarded, for invocations it was taken from under. */
type Cause = (requestId: string) => Outcome;

/** How a streamed response reaches the caller. */
export type StreamOptions = Pick<InvokeOptions, "onStream" | "liveStream">;

/** Per-invocation options of `Environments.invoke()`. */
export interface RunOptions extends StreamOptions {
  /** Default a fresh UUID. */
  readonly requestId?: string;
  /** Names the invocation in progress lines, e.g. `GET /slow`. */
  readonly label?: string;
}

/** What environments are made from, and how invocations are watched. */
export interface EnvironmentSettings extends SandboxSettings {
  /** End an environment that passes `memoryMb`, as Lambda's out-of-memory kill does. */
  readonly enforceMemory: boolean;
  /** Default the system clock; tests pass one they move. */
  readonly clock?: Clock;
}

/** The settings `emulate`'s options decide (the rest is the caller's: env, print, commands). */
export function settingsFromArgs(parsed: EmulateArgs): ArgsSettings {
  return {
    appCommand: parsed.command,
    functionName: parsed.functionName,
    memoryMb: parsed.memoryMb,
    enforceMemory: parsed.enforceMemory,
    timeoutMs: parsed.timeoutMs,
    region: parsed.region,
    maxConcurrency: parsed.concurrency,
    handler: parsed.handler,
  };
}

/** The part of {@link EnvironmentSettings} that `emulate`'s options decide. */
export type ArgsSettings = Pick<
  EnvironmentSettings,
  | "appCommand"
  | "functionName"
  | "memoryMb"
  | "enforceMemory"
  | "timeoutMs"
  | "region"
  | "maxConcurrency"
  | "handler"
>;

/** The environments `emulate` invokes; see the module doc. */
export class Environments {
  readonly #settings: EnvironmentSettings;
  readonly #metering: Metering;
  readonly #stop = new AbortController();
  readonly #stopped: Promise<undefined>;
  /** The environment invocations go to; a fresh one is started when it is unset. */
  #current: Promise<Sandbox | Error> | undefined;
  /** What `#current` resolved to, once it has. */
  #live: Sandbox | undefined;
  #first: Sandbox | undefined;
  readonly #discarded = new WeakMap<Sandbox, Cause>();
  /** Settles once every discarded environment has stopped: an old app must free its port. */
  #discarding: Promise<unknown> = Promise.resolve();

  /** Nothing starts before `start()` or the first `invoke()`. */
  constructor(settings: EnvironmentSettings) {
    this.#settings = settings;
    this.#metering = new Metering({ ...settings, clock: settings.clock ?? systemClock });
    this.#stopped = aborted(this.#stop.signal).then(() => undefined);
  }

  /** Initialises the first environment, as Lambda does before the first invocation arrives. */
  start(): void {
    this.#current ??= this.#open(INIT_LIMIT_MS);
  }

  /** Invokes the function with `event`; `stream.onStream` receives a streamed response live. */
  async invoke(event: Uint8Array, options: RunOptions = {}): Promise<Outcome> {
    const requestId = options.requestId ?? crypto.randomUUID();
    for (let attempt = 1;; attempt++) {
      if (this.#stop.signal.aborted) return { kind: "stopped" };
      const sandbox = await this.#until(this.#current ??= this.#open(this.#settings.timeoutMs));
      if (sandbox === undefined) return { kind: "stopped" };
      if (sandbox instanceof Error) return entrypointFailure(sandbox, requestId);
      // Discarded while this call waited for it: take the fresh one.
      if (this.#discarded.has(sandbox) && attempt < 3) continue;
      const init = await this.#until(sandbox.init);
      if (init === undefined) return { kind: "stopped" };
      if (init.kind === "ready") {
        return await this.#measured(sandbox, init.durationMs, event, { ...options, requestId });
      }
      const cause = this.#causeOf(sandbox, init);
      this.#discard(sandbox, cause);
      // Init past the start-up limit is tried once more within the invocation, as in Lambda.
      const retry = init.kind === "failed" && init.errorType === undefined &&
        sandbox === this.#first && attempt === 1;
      if (!retry) return cause(requestId);
    }
  }

  /** Stops every environment and answers every pending invocation `stopped`. */
  async stop(): Promise<void> {
    this.#stop.abort();
    const current = await this.#current;
    if (current && !(current instanceof Error)) this.#discard(current, () => ({ kind: "stopped" }));
    await Promise.all([this.#discarding, this.#metering.close()]);
  }

  async #open(initLimitMs: number): Promise<Sandbox | Error> {
    await this.#discarding;
    if (this.#stop.signal.aborted) return new Error("emulate is stopping");
    let sandbox: Sandbox;
    try {
      sandbox = await startSandbox(this.#settings, initLimitMs);
    } catch (error) {
      this.#current = undefined;
      return error instanceof Error ? error : new Error(String(error));
    }
    this.#first ??= sandbox;
    this.#live = sandbox;
    const { app, adapter } = sandbox.pids;
    this.#settings.print(
      `INIT_START a new execution environment (app pid ${app}, adapter pid ${adapter})`,
    );
    this.#watch(sandbox);
    return sandbox;
  }

  /** Reports init and a crash as they happen, and discards the environment after either. */
  #watch(sandbox: Sandbox): void {
    const print = this.#settings.print;
    sandbox.init.then((init) => {
      if (init.kind === "ready") {
        print(`INIT_REPORT Init Duration: ${init.durationMs.toFixed(2)} ms (the app is ready)`);
        return;
      }
      print(`INIT_REPORT Status: ${this.#initFailureText(sandbox, init)}`);
      this.#discard(sandbox, this.#causeOf(sandbox, init));
    });
    sandbox.ended.then((exit) => {
      print(
        `${describeExit(exit)}; Lambda reports ${
          exit.process === "app" ? "Runtime.ExitError" : "Extension.Crash"
        } and starts a new execution environment on the next invocation`,
      );
      this.#discard(sandbox, (requestId) => exitFailure(exit, requestId, sandbox.tail()));
    });
  }

  #initFailureText(sandbox: Sandbox, init: Exclude<InitOutcome, { kind: "ready" }>): string {
    if (init.kind === "exited") return `error: ${describeExit(init.exit)} during init`;
    if (init.errorType !== undefined || sandbox === this.#first) {
      return `error: ${init.error.message}. On Lambda this fails the init phase (10 s limit); ` +
        "AWS_LWA_ASYNC_INIT=true lets a slow app finish on the first invocation";
    }
    return `timeout: init did not complete within the function timeout ` +
      `(${this.#settings.timeoutMs / 1000} s); the next invocation tries a new environment`;
  }

  #causeOf(sandbox: Sandbox, init: Exclude<InitOutcome, { kind: "ready" }>): Cause {
    return (requestId) => {
      if (init.kind === "exited") return exitFailure(init.exit, requestId, sandbox.tail());
      const posted = sandbox.emulator.initErrors[0];
      if (init.errorType !== undefined && posted) {
        return initErrorFailure(posted.errorType, posted.body, requestId, sandbox.tail());
      }
      return this.#timeout(sandbox, requestId, "init");
    };
  }

  #timeout(sandbox: Sandbox, requestId: string, during: "init" | "invoke"): Timeout {
    const timeoutMs = this.#settings.timeoutMs;
    return { kind: "timeout", requestId, timeoutMs, during, tail: sandbox.tail() };
  }

  /** Runs the invocation with its memory watched, then prints its REPORT. */
  async #measured(
    sandbox: Sandbox,
    initMs: number,
    event: Uint8Array,
    options: RunOptions & { requestId: string },
  ): Promise<Outcome> {
    const killed = Promise.withResolvers<"killed">();
    let killedAtMb: number | undefined;
    const meter = this.#metering.start(sandbox, initMs, options, (bytes) => {
      killedAtMb = toMb(bytes);
      this.#killForMemory(sandbox, killedAtMb);
      killed.resolve("killed");
    });
    const ran = await this.#run(sandbox, event, options, killed.promise);
    const peak = await meter.stop();
    if (ran.kind === "stopped") return ran;
    // The last sample, taken after the result, may be the one that passed the memory size.
    const outcome = killedAtMb === undefined
      ? ran
      : this.#discarded.get(sandbox)?.(options.requestId) ?? ran;
    if (outcome.kind !== "stopped") meter.report(outcome, peak);
    return outcome;
  }

  /** Lambda's out-of-memory kill: the app dies at once and the environment is reset. */
  #killForMemory(sandbox: Sandbox, usedMb: number): void {
    const { memoryMb, print } = this.#settings;
    print(
      `MEMORY EXCEEDED: the environment uses ${usedMb} MB of its ${memoryMb} MB; ` +
        "--enforce-memory kills it as Lambda does (Runtime.ExitError, signal: killed) and the " +
        "next invocation starts a new execution environment",
    );
    sandbox.kill();
    this.#discard(sandbox, (id) => memoryFailure(id, usedMb, memoryMb, sandbox.tail()));
  }

  async #run(
    sandbox: Sandbox,
    event: Uint8Array,
    options: StreamOptions & { requestId: string },
    killed: Promise<"killed">,
  ): Promise<Outcome> {
    const { requestId } = options;
    const invocation = sandbox.emulator.invoke(event, options)
      .catch(() => "discarded" as const); // the environment was discarded under it
    const ended = sandbox.ended.then((exit) => ({ exit }));
    const first = await this.#until(Promise.race([killed, invocation, ended]));
    if (first === undefined) return { kind: "stopped" };
    if (first === "discarded" || first === "killed") {
      return this.#discarded.get(sandbox)?.(requestId) ?? { kind: "stopped" };
    }
    if ("exit" in first) {
      const cause = (id: string) => exitFailure(first.exit, id, sandbox.tail());
      this.#discard(sandbox, cause);
      return cause(requestId);
    }
    if (first.kind !== "timeout") return first;
    // Lambda resets an environment whose invocation timed out.
    const cause = (id: string) => this.#timeout(sandbox, id, "invoke");
    this.#discard(sandbox, cause);
    return cause(requestId);
  }

  #discard(sandbox: Sandbox, cause: Cause): void {
    if (this.#discarded.has(sandbox)) return;
    this.#discarded.set(sandbox, cause);
    if (this.#live === sandbox) {
      this.#live = undefined;
      this.#current = undefined;
    }
    this.#discarding = Promise.all([this.#discarding, sandbox.stop()]);
  }

  /** `promise`'s value, or `undefined` once `stop()` was called. */
  #until<T>(promise: Promise<T>): Promise<T | undefined> {
    return Promise.race([promise, this.#stopped]);
  }
}
