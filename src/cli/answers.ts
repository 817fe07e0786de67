/**
 * What `emulate`'s front door answers for a finished (not streamed) invocation, and the line it
 * logs: the imitated front end's response, or on the RIE path what AWS's Runtime Interface
 * Emulator and Lambda's Invoke API answer.
 *
 * @module
 */

import type { Outcome } from "./environments.ts";
import type { EventSource } from "./event_shapes.ts";
import { type Timeout, timeoutText } from "./failures.ts";
import { failureResponse, type FrontDoorResponse, resultToResponse } from "./result_to_response.ts";

/** A response and the lines to log for it. */
export interface Answer {
  /** What the front door sends back. */
  readonly response: FrontDoorResponse;
  /** The first line follows `METHOD /path -> `; the others (the app's last lines) stand alone. */
  readonly log: readonly string[];
}

const encoder = new TextEncoder();
/** Lambda's Invoke API marks a function error with this header; RIE answers 200 either way. */
const FUNCTION_ERROR: [string, string] = ["x-amz-function-error", "Unhandled"];
const JSON_TYPE: [string, string] = ["content-type", "application/json"];

/** The answer for `outcome`; `rie` when the request came to the RIE path. */
export function answerFor(
  outcome: Exclude<Outcome, { kind: "stream" }>,
  source: EventSource,
  rie: boolean,
  elapsed: string,
): Answer {
  const failed = failureResponse(source);
  switch (outcome.kind) {
    case "response":
      return responseAnswer(outcome.body, source, rie, elapsed);
    case "error": {
      const log = [`error in ${elapsed}: ${outcome.errorType}: ${outcome.errorMessage}`];
      return { response: rie ? ok(outcome.body, FUNCTION_ERROR, JSON_TYPE) : failed, log };
    }
    case "timeout":
      return timeoutAnswer(outcome, rie, elapsed, failed);
    case "failed": {
      const { errorType, errorMessage } = outcome;
      const body = encoder.encode(JSON.stringify({ errorType, errorMessage }));
      const log = [`${errorType} in ${elapsed}: ${outcome.reason}`, ...lastLines(outcome.tail)];
      return { response: rie ? ok(body, FUNCTION_ERROR, JSON_TYPE) : failed, log };
    }
    case "stopped": {
      const response: FrontDoorResponse = {
        status: 503,
        headers: [["content-type", "text/plain"]],
        body: encoder.encode("emulate is stopping"),
      };
      return { response, log: [`not answered: emulate is stopping`] };
    }
  }
}

/** A result the function returned: as it is on the RIE path, else as the front end turns it. */
function responseAnswer(
  body: Uint8Array,
  source: EventSource,
  rie: boolean,
  elapsed: string,
): Answer {
  if (rie) {
    return {
      response: ok(body, JSON_TYPE),
      log: [`result of ${body.byteLength} bytes in ${elapsed}`],
    };
  }
  const response = resultToResponse(source, body);
  return {
    response,
    log: [`${response.status} in ${elapsed}, ${response.body.byteLength} bytes`],
  };
}

function timeoutAnswer(
  outcome: Timeout,
  rie: boolean,
  elapsed: string,
  failed: FrontDoorResponse,
): Answer {
  const text = timeoutText(outcome.timeoutMs);
  const log = outcome.during === "init"
    ? [
      `${text} (in ${elapsed}): init did not complete; the next invocation tries a new environment`,
    ]
    : [
      `Task timed out after ${elapsed}; Lambda would start a new execution environment, so this one is restarted`,
    ];
  const plain: [string, string] = ["content-type", "text/plain; charset=utf-8"];
  const response = rie ? ok(encoder.encode(text), FUNCTION_ERROR, plain) : failed;
  return { response, log: [...log, ...lastLines(outcome.tail)] };
}

function ok(body: Uint8Array, ...headers: [string, string][]): FrontDoorResponse {
  return { status: 200, headers, body };
}

function lastLines(tail: readonly string[]): string[] {
  return tail.length === 0
    ? []
    : ["  its last lines of output:", ...tail.map((line) => `    ${line}`)];
}
