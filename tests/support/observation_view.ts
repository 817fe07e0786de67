/**
 * Comparable views of what an adapter did with one event: the requests the app saw and the
 * result Lambda got, with what carries no meaning taken out (the app's port in `Host`, JSON key
 * order inside the context headers and the Lambda result, field order across names).
 *
 * @module
 */

import type { Observation, Outcome } from "./adapter_pair.ts";
import type { SeenRequest } from "./recording_app.ts";

/** A request to the app. */
export interface RequestView {
  method: string;
  target: string;
  /** Lowercase name to its values in arrival order; order across names carries no meaning. */
  headers: Record<string, string[]>;
  /** Names spelt other than in lowercase, as spelt. */
  spelling: string[];
  /** The two context headers, parsed (the first copy; another copy stays in `headers`). */
  context: { lambda?: unknown; request?: unknown };
  /** Whether each context header's value was plain ASCII, in arrival order. */
  contextAscii: boolean[];
  body: string;
}

/** What Lambda got. */
export type ResultView =
  | { kind: "response"; json: unknown; raw: string }
  | {
    kind: "stream";
    contentType: string;
    prelude: unknown;
    body: string;
    error: { type: string; message: string | undefined } | undefined;
  }
  | { kind: "error"; errorType: string; errorMessage: string }
  | { kind: "timeout" }
  | { kind: "crash" };

/** One side's observation, comparable with the other's. */
export interface View {
  requests: RequestView[];
  result: ResultView;
}

const strict = new TextDecoder("utf-8", { fatal: true });

/** Text when the bytes are UTF-8, else `base64:...`. */
export function bodyText(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    return `base64:${bytes.toBase64()}`;
  }
}

const CONTEXT_HEADERS = new Set(["x-amzn-lambda-context", "x-amzn-request-context"]);

function requestView(request: SeenRequest, appPort: number): RequestView {
  const context: RequestView["context"] = {};
  const headers: Record<string, string[]> = {};
  const spelling: string[] = [];
  const contextAscii: boolean[] = [];
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (name !== lower) spelling.push(name);
    if (CONTEXT_HEADERS.has(lower)) {
      const key = lower === "x-amzn-lambda-context" ? "lambda" : "request";
      if (!(key in context)) {
        context[key] = parseJson(value);
        contextAscii.push(/^[\x20-\x7e]*$/.test(value));
        continue;
      }
    }
    (headers[lower] ??= []).push(value.replaceAll(`127.0.0.1:${appPort}`, "127.0.0.1:APP"));
  }
  return {
    method: request.method,
    target: request.target,
    headers,
    spelling,
    context,
    contextAscii,
    body: bodyText(request.body),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { unparsable: text };
  }
}

function resultView(outcome: Outcome): ResultView {
  switch (outcome.kind) {
    case "response": {
      const raw = bodyText(outcome.body);
      return { kind: "response", json: parseJson(raw), raw };
    }
    case "stream":
      return {
        kind: "stream",
        contentType: outcome.contentType,
        prelude: outcome.prelude,
        body: bodyText(outcome.body),
        error: outcome.errorType === undefined
          ? undefined
          : { type: outcome.errorType, message: outcome.errorMessage },
      };
    case "error":
      return { kind: "error", errorType: outcome.errorType, errorMessage: outcome.errorMessage };
    case "timeout":
      return { kind: "timeout" };
    case "crash":
      return { kind: "crash" };
  }
}

/** The comparable view of an observation; `appPort` is that side's app port. */
export function viewOf(observation: Observation, appPort: number): View {
  return {
    requests: observation.requests.map((request) => requestView(request, appPort)),
    result: resultView(observation.outcome),
  };
}

/** Paths where two JSON-like values differ, for failure messages. */
export function differences(a: unknown, b: unknown, path = "$"): string[] {
  if (Object.is(a, b)) return [];
  if (a && b && typeof a === "object" && typeof b === "object") {
    if (Array.isArray(a) !== Array.isArray(b)) return [`${path}: ${show(a)} != ${show(b)}`];
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((key) =>
      differences(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${path}.${key}`,
      )
    );
  }
  return [`${path}: ${show(a)} != ${show(b)}`];
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
