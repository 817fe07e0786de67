/**
 * A minimal Runtime API and Extensions API client over `fetch`, for tests that play the runtime
 * or an extension against the emulator. Every helper reads the whole response body, so no
 * resources leak into Deno's test sanitizers.
 *
 * @module
 */

/** A fully read HTTP answer. */
export interface Answer {
  status: number;
  headers: Headers;
  body: Uint8Array;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  json: unknown;
}

const decoder = new TextDecoder();

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const body = new Uint8Array(await response.arrayBuffer());
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(body));
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, body, json };
}

/** `GET /runtime/invocation/next`. */
export function runtimeNext(baseUrl: string, signal?: AbortSignal): Promise<Answer> {
  return call(`${baseUrl}/2018-06-01/runtime/invocation/next`, signal ? { signal } : {});
}

/** `POST /runtime/invocation/{id}/response`. */
export function postResponse(baseUrl: string, requestId: string, body: BodyInit): Promise<Answer> {
  const id = encodeURIComponent(requestId);
  return call(`${baseUrl}/2018-06-01/runtime/invocation/${id}/response`, { method: "POST", body });
}

/** `POST /runtime/invocation/{id}/error`. */
export function postInvocationError(
  baseUrl: string,
  requestId: string,
  body: BodyInit,
  headers: HeadersInit = {},
): Promise<Answer> {
  const id = encodeURIComponent(requestId);
  return call(`${baseUrl}/2018-06-01/runtime/invocation/${id}/error`, {
    method: "POST",
    body,
    headers,
  });
}

/** `POST /runtime/init/error`. */
export function postInitError(
  baseUrl: string,
  body: BodyInit,
  headers: HeadersInit = {},
): Promise<Answer> {
  return call(`${baseUrl}/2018-06-01/runtime/init/error`, { method: "POST", body, headers });
}

/** `POST /extension/register`; the identifier is in `answer.headers`. */
export function registerExtension(
  baseUrl: string,
  name: string | undefined,
  body: unknown,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (name !== undefined) headers["Lambda-Extension-Name"] = name;
  return call(`${baseUrl}/2020-01-01/extension/register`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** `GET /extension/event/next` as the extension `id` (omit it to send no identifier). */
export function extensionNext(
  baseUrl: string,
  id: string | undefined,
  signal?: AbortSignal,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (id !== undefined) headers["Lambda-Extension-Identifier"] = id;
  return call(
    `${baseUrl}/2020-01-01/extension/event/next`,
    signal ? { headers, signal } : {
      headers,
    },
  );
}

/** `POST /extension/init/error` or `/extension/exit/error`. */
export function postExtensionError(
  baseUrl: string,
  kind: "init" | "exit",
  id: string,
  errorType: string | undefined,
  body: string,
): Promise<Answer> {
  const headers: Record<string, string> = { "Lambda-Extension-Identifier": id };
  if (errorType !== undefined) headers["Lambda-Extension-Function-Error-Type"] = errorType;
  return call(`${baseUrl}/2020-01-01/extension/${kind}/error`, { method: "POST", headers, body });
}

/**
 * Registers an extension and returns its identifier, failing loudly on anything but 200.
 */
export async function registeredExtension(
  baseUrl: string,
  name: string,
  events: string[],
): Promise<string> {
  const answer = await registerExtension(baseUrl, name, { events });
  const id = answer.headers.get("Lambda-Extension-Identifier");
  if (answer.status !== 200 || id === null) {
    throw new Error(`register ${name} failed: ${answer.status} ${decoder.decode(answer.body)}`);
  }
  return id;
}
