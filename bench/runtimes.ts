/**
 * The fake Runtime APIs the benchmarks drive an adapter with, behind one interface: the project's
 * emulator (src/emulator), or a minimal fake on `Deno.serve` that does nothing but hand out
 * events and take results. bench/peer.ts can run against either (`--runtime=`), which is how the
 * emulator's own cost was measured (docs/benchmarks.md).
 *
 * Both time an invocation the same way: from the moment the event is given to a waiting
 * `/runtime/invocation/next` (before its answer is written) to the moment the whole result
 * body has been read.
 *
 * @module
 */

import { type Emulator, startEmulator } from "../src/emulator/mod.ts";
import { readBody } from "../src/http/read_body.ts";
import { sleep } from "../src/util/async.ts";

/** One finished invocation, as a benchmark needs it. */
export interface Invoked {
  /** True when the runtime posted a `/response` (not an error, not a timeout). */
  ok: boolean;
  /** The result payload (the error body for an error). */
  body: Uint8Array;
  /** Event handed out until the result was read, in ms. */
  ms: number;
}

/** A Runtime API (with the Extensions API calls LWA and ours make) for one adapter. */
export interface FakeRuntime extends AsyncDisposable {
  /** `host:port`, for `AWS_LAMBDA_RUNTIME_API`. */
  readonly runtimeApi: string;
  /** `performance.now()` of the first `/runtime/invocation/next`, once it came. */
  readonly firstNextAt: number | undefined;
  /** Resolves once the adapter has asked for its first event. */
  waitForInit(): Promise<void>;
  /** Hands `payload` out as the next event and resolves with the result. */
  invoke(payload: Uint8Array<ArrayBuffer>): Promise<Invoked>;
}

/** Which fake: the project's emulator, or the minimal one on `Deno.serve`. */
export type RuntimeKind = "emulator" | "minimal";

/** Every kind, for checking a `--runtime` setting. */
export const RUNTIME_KINDS: readonly RuntimeKind[] = ["emulator", "minimal"];

/**
 * The fake the benchmarks use unless told otherwise. Measured in one run against both
 * (docs/benchmarks.md): the emulator adds a fixed cost to every invocation of both adapters,
 * which pulls the ours/LWA ratio towards 1 for small bodies.
 */
export const DEFAULT_RUNTIME: RuntimeKind = "minimal";

/** Starts a fake Runtime API whose invocations have `timeoutMs` to run. */
export function startRuntime(kind: RuntimeKind, timeoutMs: number): Promise<FakeRuntime> {
  if (kind === "emulator") return emulatorRuntime(timeoutMs);
  return Promise.resolve(minimalRuntime(timeoutMs));
}

async function emulatorRuntime(timeoutMs: number): Promise<FakeRuntime> {
  const emulator = await startEmulator({ functionTimeoutMs: timeoutMs, initTimeoutMs: 30_000 });
  const closing = new AbortController();
  const gate = await holdRegistrationOpen(emulator, closing.signal);
  return {
    runtimeApi: emulator.runtimeApi,
    get firstNextAt() {
      return emulator.stats.firstNextAt;
    },
    async waitForInit() {
      await emulator.waitForInit();
    },
    async invoke(payload) {
      const result = await emulator.invoke(payload);
      const ms = result.timing.completedAt - result.timing.handedOutAt;
      const body = "body" in result ? result.body : new Uint8Array(0);
      return { ok: result.kind === "response", body, ms };
    },
    async [Symbol.asyncDispose]() {
      closing.abort();
      await emulator.close();
      await gate.done;
    },
  };
}

/**
 * LWA registers its extension in the background, racing its own first `/next`. Lambda knows from
 * /opt/extensions which extensions to wait for; the emulator does not, so it ends init at that
 * `/next` and LWA's late registration gets 403 (and LWA exits). A placeholder extension holds
 * init open until the adapter has registered, then parks its own `/event/next` like LWA's.
 */
async function holdRegistrationOpen(
  emulator: Emulator,
  closing: AbortSignal,
): Promise<{ done: Promise<void> }> {
  const registered = await fetch(`${emulator.url}/2020-01-01/extension/register`, {
    method: "POST",
    headers: { "lambda-extension-name": "bench-gate" },
    body: JSON.stringify({ events: [] }),
  });
  await registered.arrayBuffer();
  const id = registered.headers.get("lambda-extension-identifier") ?? "";
  const done = (async () => {
    while (emulator.extensions.length < 2) {
      if (closing.aborted) return;
      await sleep(1);
    }
    try {
      const next = await fetch(`${emulator.url}/2020-01-01/extension/event/next`, {
        headers: { "lambda-extension-identifier": id },
      });
      await next.arrayBuffer();
    } catch {
      // The emulator closed.
    }
  })();
  // Wrapped: an async function returning a bare promise would wait for it.
  return { done };
}

interface Pending {
  payload: Uint8Array<ArrayBuffer>;
  handedOutAt: number;
  resolve: (invoked: Invoked) => void;
}

const NEXT = "/2018-06-01/runtime/invocation/next";
const RESULT = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;

/**
 * A Runtime API with no bookkeeping: one queue of events, one of parked `/next` calls, a map of
 * invocations in flight. Extension registration is answered and the extension's own
 * `/event/next` is parked for good (neither adapter subscribes to events).
 */
function minimalRuntime(timeoutMs: number): FakeRuntime {
  const queue: Pending[] = [];
  // Parked long polls get an event, or null when the fake closes.
  const parked: ((pending: Pending | null) => void)[] = [];
  const extensionPolls: (() => void)[] = [];
  const running = new Map<string, Pending>();
  let nextId = 0;
  let firstNextAt: number | undefined;
  let initDone: () => void = () => {};
  const init = new Promise<void>((resolve) => (initDone = resolve));

  function handOut(pending: Pending): Response {
    const id = `bench-${++nextId}`;
    running.set(id, pending);
    pending.handedOutAt = performance.now();
    return new Response(pending.payload, {
      headers: {
        "content-type": "application/json",
        "lambda-runtime-aws-request-id": id,
        "lambda-runtime-deadline-ms": `${Date.now() + timeoutMs}`,
        "lambda-runtime-invoked-function-arn":
          "arn:aws:lambda:us-east-1:000000000000:function:bench",
        "lambda-runtime-trace-id": "Root=1-00000000-000000000000000000000000;Sampled=0",
      },
    });
  }

  const gone = () => new Response(null, { status: 503 });

  async function handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === NEXT) {
      if (firstNextAt === undefined) {
        firstNextAt = performance.now();
        initDone();
      }
      const waiting = queue.shift();
      if (waiting) return handOut(waiting);
      return new Promise<Response>((resolve) => {
        parked.push((pending) => resolve(pending ? handOut(pending) : gone()));
      });
    }
    const result = RESULT.exec(path);
    if (result && request.method === "POST") {
      // Not request.bytes(): on Deno.serve it took 50-130 ms for a 6 MB body, readBody 6-11 ms.
      const body = request.body ? await readBody(request.body) : new Uint8Array(0);
      const pending = running.get(result[1]!);
      if (!pending) return new Response(null, { status: 400 });
      running.delete(result[1]!);
      pending.resolve({
        ok: result[2] === "response",
        body,
        ms: performance.now() - pending.handedOutAt,
      });
      return Response.json({ status: "OK" }, { status: 202 });
    }
    if (path === "/2020-01-01/extension/register") {
      await request.body?.cancel();
      return Response.json(
        { functionName: "bench", functionVersion: "$LATEST", handler: "" },
        { headers: { "lambda-extension-identifier": crypto.randomUUID() } },
      );
    }
    if (path === "/2020-01-01/extension/event/next") {
      return new Promise<Response>((resolve) => extensionPolls.push(() => resolve(gone())));
    }
    await request.body?.cancel();
    return new Response(null, { status: 404 });
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handle);
  return {
    runtimeApi: `127.0.0.1:${server.addr.port}`,
    get firstNextAt() {
      return firstNextAt;
    },
    waitForInit: () => init,
    invoke(payload) {
      return new Promise((resolve) => {
        const pending: Pending = { payload, handedOutAt: 0, resolve };
        const waiter = parked.shift();
        if (waiter) waiter(pending);
        else queue.push(pending);
      });
    },
    async [Symbol.asyncDispose]() {
      for (const waiter of parked.splice(0)) waiter(null);
      for (const poll of extensionPolls.splice(0)) poll();
      await server.shutdown();
    },
  };
}
