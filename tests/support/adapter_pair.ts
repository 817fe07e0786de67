/**
 * The real LWA and this adapter side by side, each with its own Runtime API emulator and its own
 * recording app answering the same script, so one event can be run through both and what the
 * app saw and what Lambda got compared.
 *
 * @module
 */

import { adapterCommand, Child } from "../harness.ts";
import { type Emulator, type InvokeOptions, startEmulator } from "../../src/emulator/mod.ts";
import { type AppResponse, RecordingApp, type SeenRequest } from "./recording_app.ts";

/** How one invocation ended, as Lambda saw it. */
export type Outcome =
  | { kind: "response"; body: Uint8Array }
  | {
    kind: "stream";
    contentType: string;
    prelude: unknown;
    body: Uint8Array;
    errorType: string | undefined;
    errorMessage: string | undefined;
  }
  | { kind: "error"; errorType: string; errorMessage: string }
  | { kind: "timeout" }
  /** The adapter process exited. */
  | { kind: "crash"; output: string };

/** What one adapter did with one event. */
export interface Observation {
  readonly requests: SeenRequest[];
  readonly outcome: Outcome;
}

/** The environment both adapters get, besides the Runtime API and the port. */
const FUNCTION_ENV = {
  AWS_LAMBDA_FUNCTION_NAME: "conformance",
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
  AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
  AWS_LAMBDA_LOG_STREAM_NAME: "2026/01/01/[$LATEST]stream",
  AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/conformance",
  RUST_BACKTRACE: "0",
};

/** One adapter, its emulator and its app. */
export class Side implements AsyncDisposable {
  readonly kind: "lwa" | "ours";
  readonly app = new RecordingApp();
  readonly #command: string[];
  readonly #env: Record<string, string>;
  #emulator: Emulator | undefined;
  #process: Child | undefined;
  #exited: Promise<void> | undefined;

  constructor(kind: "lwa" | "ours", command: string[], env: Record<string, string>) {
    this.kind = kind;
    this.#command = command;
    this.#env = env;
  }

  /** Starts (or, after a crash, restarts) the emulator and the adapter; resolves after init. */
  async start(): Promise<void> {
    await this.#stop();
    const emulator = await startEmulator({
      functionName: "conformance",
      functionTimeoutMs: 10_000,
      // Both adapters register in the background; LWA exits when its registration is refused.
      extensions: 1,
    });
    const child = new Child(this.kind, this.#command, {
      env: {
        ...FUNCTION_ENV,
        AWS_LAMBDA_RUNTIME_API: emulator.runtimeApi,
        AWS_LWA_PORT: `${this.app.port}`,
        ...this.#env,
      },
    });
    this.#emulator = emulator;
    this.#process = child;
    this.#exited = child.status().then(() => {});
    const exited = this.#exited.then(() => {
      throw new Error(`${this.kind} exited during init:\n${child.output()}`);
    });
    await Promise.race([emulator.waitForInit(), exited]);
  }

  /** Everything the adapter printed. */
  output(): string {
    return this.#process?.output() ?? "";
  }

  /** Runs one event; the app answers `response`. A crashed adapter is restarted first. */
  async invoke(event: Uint8Array, options: InvokeOptions, response: AppResponse) {
    if (this.#emulator === undefined) await this.start();
    this.app.response = response;
    this.app.take();
    const child = this.#process!;
    // LWA's main prints `Error: ...` when its loop ends, and may then linger until Lambda
    // closes its connections; either way it serves nothing more.
    const ended = this.kind === "lwa"
      ? Promise.race([this.#exited!, child.waitForLine(/^Error: /, Infinity).catch(() => {})])
      : this.#exited!;
    const crashed = ended.then(() => ({ kind: "crash" as const }));
    const invoking = this.#emulator!.invoke(event, options);
    // After a crash the emulator closes and rejects the invocation it still holds.
    invoking.catch(() => {});
    const result = await Promise.race([invoking, crashed]);
    const requests = this.app.take();
    if (result.kind === "crash") {
      await this.#stop();
      return { requests, outcome: { kind: "crash", output: child.output() } } as Observation;
    }
    return { requests, outcome: outcomeOf(result) } as Observation;
  }

  async #stop(): Promise<void> {
    const [process, emulator] = [this.#process, this.#emulator];
    this.#process = this.#emulator = this.#exited = undefined;
    if (process) await process[Symbol.asyncDispose]();
    if (emulator) await emulator.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#stop();
    await this.app[Symbol.asyncDispose]();
  }
}

function outcomeOf(result: Awaited<ReturnType<Emulator["invoke"]>>): Outcome {
  switch (result.kind) {
    case "response":
      return { kind: "response", body: result.body };
    case "error":
      return { kind: "error", errorType: result.errorType, errorMessage: result.errorMessage };
    case "stream":
      return {
        kind: "stream",
        contentType: result.contentType,
        prelude: result.prelude,
        body: result.body,
        errorType: result.errorType,
        errorMessage: result.errorMessage,
      };
    case "timeout":
      return { kind: "timeout" };
  }
}

/** LWA and this adapter with the same settings. */
export class AdapterPair implements AsyncDisposable {
  readonly lwa: Side;
  readonly ours: Side;

  constructor(lwaBinary: string, env: Record<string, string>) {
    this.lwa = new Side("lwa", [lwaBinary], env);
    this.ours = new Side("ours", adapterCommand(), env);
  }

  /** Starts both sides. */
  async start(): Promise<void> {
    await Promise.all([this.lwa.start(), this.ours.start()]);
  }

  /** Runs one event through both, with the same invocation headers and the same app answer. */
  async run(
    event: Uint8Array,
    options: InvokeOptions,
    response: AppResponse,
  ): Promise<{ lwa: Observation; ours: Observation }> {
    const [lwa, ours] = await Promise.all([
      this.lwa.invoke(event, options, response),
      this.ours.invoke(event, options, response),
    ]);
    return { lwa, ours };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.all([this.lwa[Symbol.asyncDispose](), this.ours[Symbol.asyncDispose]()]);
  }
}
