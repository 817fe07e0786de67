/**
 * `emulate --inspect`: a local page showing every invocation hop by hop (the event, the request
 * the app received, its response, the Lambda result, the log lines), live, with replay. Loaded
 * only when asked for. Everything is recorded in `emulate` itself: the front door reports each
 * invocation, a recording proxy between the adapter and the app reads their traffic, and the
 * log lines `emulate` prints are read for their request ids and REPORT figures. The adapter
 * runs unchanged; its only difference is the port it is told the app listens on.
 *
 * @module
 */

import { ConfigError, loadConfig } from "../../config/config.ts";
import type { Outcome, RunOptions } from "../environments.ts";
import { describeEvent } from "../event_source.ts";
import type { InvocationRecorder } from "../front_door.ts";
import { type RecordingProxy, startProxy } from "./proxy.ts";
import { readOutcome } from "./results.ts";
import { inspectorApp } from "./server.ts";
import { InvocationStore } from "./store.ts";

/** How the inspector starts. */
export interface InspectorOptions {
  /** 0 picks a free one. */
  readonly port: number;
  /** `--inspect-show-secrets`: secret header values are shown, not masked. */
  readonly showSecrets: boolean;
  /** The function's environment: the app's address is read from it as the adapter reads it. */
  readonly env: Readonly<Record<string, string>>;
  /** The front door's event source. */
  readonly source: string;
  /** Shown in the page's header. */
  readonly about: Record<string, string | number>;
  /** Where replays log their summary line. */
  readonly print: (line: string) => void;
}

/** A running inspector. */
export interface Inspector {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Variables that point the adapter at the recording proxy (empty when there is none). */
  readonly adapterEnv: Readonly<Record<string, string>>;
  /** Given to the front door, which reports each invocation to it. */
  readonly recorder: InvocationRecorder;
  /** Reads a line `emulate` printed (log lines, REPORT). */
  line(text: string): void;
  /** Gives replay and "Edit and send" the way to invoke. */
  attach(invoke: (event: Uint8Array, options: RunOptions) => Promise<Outcome>): void;
  /** Ends the page's event streams, stops the server and the proxy. */
  close(): Promise<void>;
}

type Invoke = (event: Uint8Array, options: RunOptions) => Promise<Outcome>;

/** Starts the proxy and the page's server on 127.0.0.1. */
export function startInspector(options: InspectorOptions): Inspector {
  const store = new InvocationStore();
  const proxy = proxyFor(options, store);
  let invoke: Invoke | undefined;
  const replay = (event: Uint8Array, via: string) => {
    if (!invoke) return Promise.reject(new Error("emulate is not ready"));
    return Promise.resolve(replayInto(store, invoke, event, via, options.print));
  };
  const closing = new AbortController();
  const app = inspectorApp({ ...options, store, invoke: replay, closing: closing.signal });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port, onListen: () => {} },
    app.fetch,
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    adapterEnv: proxy?.adapterEnv ?? {},
    recorder: recorderFor(store, options.source),
    line: (text) => store.line(text),
    attach(given) {
      invoke = given;
    },
    async close() {
      closing.abort();
      proxy?.proxy.close();
      await server.shutdown();
    },
  };
}

/** Records what the front door reports, timing each invocation from its beginning. */
function recorderFor(store: InvocationStore, source: string): InvocationRecorder {
  const started = new Map<string, number>();
  return {
    begin(requestId, event, request) {
      const described = describeEvent(event);
      const begun = request
        ? { via: "front door", ...request, source }
        : { via: "RIE endpoint", ...described };
      started.set(requestId, performance.now());
      store.begin(requestId, event, begun);
    },
    end(requestId, outcome) {
      const elapsed = performance.now() - (started.get(requestId) ?? performance.now());
      started.delete(requestId);
      store.end(requestId, outcome, elapsed);
    },
  };
}

/** Records `event` as a new invocation and runs it; prints its summary once it ends. */
function replayInto(
  store: InvocationStore,
  invoke: Invoke,
  event: Uint8Array,
  via: string,
  print: (line: string) => void,
): number {
  const requestId = crypto.randomUUID();
  const { method, path, source } = describeEvent(event);
  const label = `${via}: ${method} ${path}`;
  const seq = store.begin(requestId, event, { via, method, path, source }).seq;
  const begun = performance.now();
  invoke(event, { requestId, label }).then((outcome) => {
    const elapsed = performance.now() - begun;
    store.end(requestId, outcome, elapsed);
    print(`${label} -> ${readOutcome(outcome).status} in ${Math.round(elapsed)} ms`);
  });
  return seq;
}

/**
 * The recording proxy in front of the app, where the adapter would reach it, and the variables
 * that send the adapter there (its readiness check still goes straight to the app); none when
 * the adapter's own settings do not load (it reports that itself).
 */
function proxyFor(
  options: InspectorOptions,
  store: InvocationStore,
): { proxy: RecordingProxy; adapterEnv: Record<string, string> } | undefined {
  let config;
  try {
    // The API address is not known yet, and does not matter here.
    config = loadConfig({ ...options.env, AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001" }).config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    options.print(
      "inspect: the AWS_LWA_* settings do not load, so the app's requests are not shown",
    );
    return undefined;
  }
  const proxy = startProxy(config.appHost, { hostname: config.appHost, port: config.appPort }, {
    onRequest: (requestId, request) => store.appRequest(requestId, request),
    onResponse: (requestId, response) => store.appResponse(requestId, response),
  });
  const adapterEnv = {
    AWS_LWA_PORT: `${proxy.port}`,
    AWS_LWA_READINESS_CHECK_PORT: `${config.readiness.port}`,
  };
  return { proxy, adapterEnv };
}
