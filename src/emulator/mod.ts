/**
 * An emulator of the Lambda Runtime API and Extensions API, precise enough to run the adapter
 * against in end-to-end tests and benchmarks.
 *
 * @example
 * ```ts
 * await using emulator = await startEmulator({ functionTimeoutMs: 1000 });
 * // start the adapter with AWS_LAMBDA_RUNTIME_API=emulator.runtimeApi, then:
 * await emulator.waitForInit();
 * const result = await emulator.invoke({ hello: "world" });
 * ```
 *
 * Behaviour worth knowing (AWS "Lambda execution environment lifecycle", the Runtime and
 * Extensions API references, and RAPID where they are silent):
 * - Init ends when the runtime has called `/runtime/invocation/next` and every registered
 *   extension has called `/extension/event/next`; invocations queued earlier wait for it, and
 *   registration closes with it.
 * - An invocation's slot is held until the runtime posts a result (or the deadline passes) and
 *   every INVOKE subscriber has asked for its next event, as Lambda's invoke phase does; the
 *   caller of `invoke()` gets the result as soon as the runtime posts it.
 * - A response over `MAX_RESPONSE_BYTES` gets 413 and leaves the invocation open.
 * - A streaming response (`Lambda-Runtime-Function-Response-Mode: streaming`) is read as it
 *   arrives, without the 6 MB cap: its prelude is split off at the 8 NUL bytes, every body
 *   chunk is timed on arrival, and an error is read from the chunked trailers. It completes the
 *   invocation when its body ends (kind `stream`, answered 202); other posts for the id are
 *   refused meanwhile, and at the deadline it ends as a timeout (410, the rest is drained).
 * - Extensions API refusals are 403 with RAPID's `errorType`s (`Extension.*`).
 * - A parked long poll whose client disconnects is dropped without losing an event. The
 *   transport (`node:http`, `server.ts`) sees a disconnect as soon as the FIN or RST arrives;
 *   only a client that vanishes without either (a dead host) can still cost the invocation
 *   handed to it a timeout.
 *
 * @module
 */

import { resolveConfig } from "./config.ts";
import { Environment } from "./environment.ts";
import { createHandler } from "./handler.ts";
import { hostPort, serveHandler } from "./server.ts";
import type { Emulator, EmulatorOptions } from "./types.ts";

export type {
  Emulator,
  EmulatorOptions,
  EmulatorStats,
  ExtensionErrorRecord,
  ExtensionInfo,
  InitErrorRecord,
  InvokeOptions,
  InvokeResult,
  InvokeTiming,
  ResponseStream,
  ShutdownOptions,
  ShutdownReason,
  StreamChunk,
  StreamTiming,
} from "./types.ts";
export { EmulatorClosedError, HTTP_INTEGRATION_CONTENT_TYPE } from "./types.ts";
export { STREAM_INTERRUPTED } from "./stream_response.ts";
export { MAX_RESPONSE_BYTES } from "./runtime_api.ts";

/** Starts an emulator listening on `hostname:port`; it is in its init phase until both sides call next. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const config = resolveConfig(options);
  const env = new Environment(config);
  const server = await serveHandler(createHandler(env), config.hostname, config.port);
  const runtimeApi = hostPort(server.hostname, server.port);
  let closing: Promise<void> | undefined;

  function close(): Promise<void> {
    // Settle the long polls first: the server's shutdown waits for every open request.
    env.close();
    return closing ??= server.close();
  }

  return {
    url: `http://${runtimeApi}`,
    runtimeApi,
    invoke: (event, invokeOptions) => env.invoke(event, invokeOptions),
    waitForInit: () => env.init.wait(),
    shutdown: (shutdownOptions) => env.shutdown(shutdownOptions),
    initErrors: env.initErrors,
    extensionErrors: env.extensionErrors,
    get extensions() {
      return env.extensions.all.map(({ name, id, events }) => ({ name, id, events: [...events] }));
    },
    stats: env.stats,
    close,
    [Symbol.asyncDispose]: close,
  };
}
