/**
 * The emulator as one web-standard request handler, independent of the transport serving it.
 *
 * @module
 */

import type { Environment } from "./environment.ts";
import { EXTENSIONS_API_PREFIX, routeExtensionsApi } from "./extensions_api.ts";
import { errorResponse } from "./http_util.ts";
import { routeRuntimeApi, RUNTIME_API_PREFIX } from "./runtime_api.ts";

/** What the transport knows beyond the `Request`. */
export interface RequestExtras {
  /** The chunked trailers, once the body has been read (streaming responses report errors so). */
  readonly trailers: Promise<Headers>;
}

/** A transport-independent HTTP handler; without `extras` a request has no trailers. */
export type Handler = (request: Request, extras?: RequestExtras) => Promise<Response>;

/** Returns the path of an absolute URL without parsing all of it (this runs on every call). */
export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const query = url.indexOf("?", start);
  const hash = url.indexOf("#", start);
  const end = query >= 0 ? query : hash >= 0 ? hash : url.length;
  return url.slice(start, end);
}

/** Creates the handler serving the Runtime API and the Extensions API of `env`. */
export function createHandler(env: Environment): Handler {
  return async function handle(request: Request, extras?: RequestExtras): Promise<Response> {
    const path = pathOf(request.url);
    try {
      let routed: Promise<Response> | undefined;
      if (path.startsWith(RUNTIME_API_PREFIX + "/")) {
        const trailers = extras?.trailers ?? Promise.resolve(new Headers());
        routed = routeRuntimeApi(env, request, path.slice(RUNTIME_API_PREFIX.length), trailers);
      } else if (path.startsWith(EXTENSIONS_API_PREFIX + "/")) {
        routed = routeExtensionsApi(env, request, path.slice(EXTENSIONS_API_PREFIX.length));
      }
      if (routed) return await routed;
      return errorResponse(404, "NotFound", `No API at ${request.method} ${path}`);
    } catch (error) {
      // Keep serving: one bad request must not take the emulator down mid-benchmark.
      env.log(`Emulator error on ${request.method} ${path}: ${String(error)}`);
      return errorResponse(500, "ServiceException", String(error));
    }
  };
}
