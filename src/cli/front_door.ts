/**
 * The front door of `emulate`: plain HTTP in, the chosen front end's event to the function, the
 * result back as HTTP, streamed responses passed through as they arrive. Also AWS's Runtime
 * Interface Emulator endpoint, so existing scripts keep working.
 *
 * @module
 */

import { HTTP_INTEGRATION_CONTENT_TYPE, type InvokeResult } from "../emulator/mod.ts";
import { type EventSource, requestToEvent } from "./event_shapes.ts";
import { failureResponse, resultToResponse } from "./result_to_response.ts";
import type { Sandbox } from "./sandbox.ts";

/** The RIE path (`aws-lambda-runtime-interface-emulator`), kept for compatibility. */
export const RIE_PATH = "/2015-03-31/functions/function/invocations";

/** What the front door needs. */
export interface FrontDoorOptions {
  readonly source: EventSource;
  readonly region: string;
  readonly functionName: string;
  /** The environment to invoke (it changes after Lambda would have reset it). */
  readonly sandbox: () => Promise<Sandbox>;
  /** Called when an invocation timed out: Lambda then starts a new environment. */
  readonly onTimeout: () => void;
  readonly print: (line: string) => void;
}

interface Streamed {
  contentType: string;
  prelude: Promise<unknown>;
  body: ReadableStream<Uint8Array>;
}

/** Builds the request handler. */
export function frontDoor(options: FrontDoorOptions) {
  return async function handle(request: Request, info: Deno.ServeHandlerInfo): Promise<Response> {
    const started = performance.now();
    const url = new URL(request.url);
    const line = `${request.method} ${url.pathname}${url.search}`;
    const body = new Uint8Array(await request.arrayBuffer());
    const rie = request.method === "POST" && url.pathname === RIE_PATH;
    const event = rie ? body : requestToEvent(options.source, {
      method: request.method,
      target: `${url.pathname}${url.search}`,
      headers: [...request.headers],
      body,
      sourceIp: (info.remoteAddr as Deno.NetAddr).hostname,
    }, {
      region: options.region,
      accountId: "123456789012",
      functionName: options.functionName,
      requestId: crypto.randomUUID(),
      now: new Date(),
    });
    const sandbox = await options.sandbox();
    let streamed: (stream: Streamed) => void;
    const streaming = new Promise<Streamed>((resolve) => streamed = resolve);
    const invocation = sandbox.emulator.invoke(event, { onStream: (stream) => streamed(stream) });
    const first = await Promise.race([invocation, streaming]);
    const elapsed = () => `${Math.round(performance.now() - started)} ms`;

    if ("kind" in first) return finish(first);
    // A streamed response: pass it through as it arrives; log once it has ended.
    invocation.then((result) => {
      const bytes = result.kind === "stream" ? result.bodyBytes : 0;
      const error = result.kind === "stream" && result.errorType
        ? ` (stream failed: ${result.errorType}: ${result.errorMessage})`
        : result.kind === "timeout"
        ? " (timed out mid-stream)"
        : "";
      options.print(`${line} -> streamed ${bytes} bytes in ${elapsed()}${error}`);
      if (result.kind === "timeout") options.onTimeout();
    }, () => {});
    if (first.contentType !== HTTP_INTEGRATION_CONTENT_TYPE || rie) {
      return new Response(first.body, { headers: { "content-type": first.contentType } });
    }
    const prelude = (await first.prelude ?? {}) as {
      statusCode?: number;
      headers?: Record<string, string>;
      cookies?: string[];
    };
    const headers = new Headers(prelude.headers ?? {});
    for (const cookie of prelude.cookies ?? []) headers.append("set-cookie", cookie);
    return new Response(nullBody(prelude.statusCode) ? null : first.body, {
      status: prelude.statusCode ?? 200,
      headers,
    });

    function finish(result: InvokeResult): Response {
      if (result.kind === "timeout") {
        options.print(
          `${line} -> Task timed out after ${elapsed()}; Lambda would start a new execution ` +
            "environment, so this one is restarted",
        );
        options.onTimeout();
        return respond(failureResponse(options.source));
      }
      if (result.kind === "error") {
        options.print(
          `${line} -> error in ${elapsed()}: ${result.errorType}: ${result.errorMessage}`,
        );
        // Lambda's Invoke API marks a function error with this header; RIE answers 200 too.
        if (rie) {
          return new Response(result.body as Uint8Array<ArrayBuffer>, {
            headers: { "x-amz-function-error": "Unhandled" },
          });
        }
        return respond(failureResponse(options.source));
      }
      if (result.kind !== "response") return respond(failureResponse(options.source));
      if (rie) {
        options.print(`${line} -> result of ${result.body.byteLength} bytes in ${elapsed()}`);
        return new Response(result.body as Uint8Array<ArrayBuffer>, {
          headers: { "content-type": "application/json" },
        });
      }
      const response = resultToResponse(options.source, result.body);
      options.print(
        `${line} -> ${response.status} in ${elapsed()}, ${response.body.byteLength} bytes`,
      );
      return respond(response);
    }
  };
}

function respond(response: { status: number; headers: [string, string][]; body: Uint8Array }) {
  const headers = new Headers();
  for (const [name, value] of response.headers) {
    try {
      headers.append(name, value);
    } catch {
      // A header Deno refuses to send is dropped rather than failing the whole answer.
    }
  }
  const body = nullBody(response.status) ? null : response.body as Uint8Array<ArrayBuffer>;
  return new Response(body, { status: response.status, headers });
}

function nullBody(status: number | undefined): boolean {
  return status === 204 || status === 205 || status === 304;
}
