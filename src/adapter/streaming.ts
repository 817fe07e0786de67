/**
 * The Runtime API's streaming response body: a JSON prelude (status, headers, cookies), eight
 * NUL bytes, then the app's body passed on chunk by chunk as the app writes it.
 *
 * A failure mid-stream (the app drops the connection, the deadline passes, the 200 MB limit is
 * reached) ends the body cleanly and is reported in the chunked trailers
 * `Lambda-Runtime-Function-Error-Type` and `-Body`, as the Runtime API defines. LWA writes that
 * text into the body instead, where the client sees it.
 *
 * @module
 */

import { describeError, ErrorType, InvocationError } from "../lambda/errors.ts";
import { groupHeaders } from "../http/headers.ts";
import type { HeaderList } from "../http/types.ts";

/** The content type that tells Lambda a JSON prelude and 8 NUL bytes come first. */
export const STREAMING_CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";
/** Lambda's limit for a streamed response (AWS docs: "up to 200 MB"). */
export const STREAM_LIMIT = 200 * 1024 * 1024;

const encoder = new TextEncoder();
const DELIMITER = new Uint8Array(8);

/** The body to POST and the trailers to send after it. */
export interface StreamingPayload {
  /** The prelude, its NULs, then the app's body. */
  readonly body: ReadableStream<Uint8Array>;
  /** The error trailers, or none; valid once `body` has ended. */
  trailers(): HeaderList;
  /** Body bytes passed on so far. */
  sent(): number;
  /** Resolves when the body has ended: the bytes passed on and the failure, if any. */
  readonly done: Promise<{ bytes: number; error: InvocationError | undefined }>;
}

/** The prelude: status, single-value headers (repeats joined) and cookies, as JSON. */
export function prelude(status: number, headers: HeaderList): Uint8Array {
  const grouped = groupHeaders(headers);
  const cookies = grouped.get("set-cookie") ?? [];
  grouped.delete("set-cookie");
  const single: Record<string, string> = {};
  for (const [name, values] of grouped) single[name] = values.join(", ");
  // Lambda answers a prelude without a type as JSON; LWA's default is the safer octet-stream.
  single["content-type"] ??= "application/octet-stream";
  const json = encoder.encode(JSON.stringify({ statusCode: status, headers: single, cookies }));
  const out = new Uint8Array(json.byteLength + DELIMITER.byteLength);
  out.set(json);
  return out;
}

/**
 * Wraps the app's body. Nothing is read ahead: the next app chunk is pulled only when the
 * previous one has been written to the Runtime API.
 *
 * @param classify turns a read failure into the invocation error to report
 */
export function streamingPayload(
  status: number,
  headers: HeaderList,
  source: ReadableStream<Uint8Array>,
  options: { limit?: number; classify: (error: unknown) => InvocationError },
): StreamingPayload {
  const app = new PayloadSource(status, headers, source.getReader(), options);
  return {
    body: new ReadableStream<Uint8Array>(app, { highWaterMark: 0 }),
    sent: () => app.bytes,
    trailers: () => errorTrailers(app.failure),
    done: app.done,
  };
}

/** The Runtime API's error trailers for a failed stream; none for one that ended well. */
function errorTrailers(failure: InvocationError | undefined): HeaderList {
  if (!failure) return [];
  const report = JSON.stringify({ errorType: failure.errorType, errorMessage: failure.message });
  return [
    ["Lambda-Runtime-Function-Error-Type", failure.errorType],
    ["Lambda-Runtime-Function-Error-Body", encoder.encode(report).toBase64()],
  ];
}

/** The prelude, then the app's body a chunk per pull, counted against Lambda's limit. */
class PayloadSource implements UnderlyingDefaultSource<Uint8Array> {
  readonly #status: number;
  readonly #headers: HeaderList;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #limit: number;
  readonly #classify: (error: unknown) => InvocationError;
  readonly #done = Promise.withResolvers<Awaited<StreamingPayload["done"]>>();
  #started = false;
  #bytes = 0;
  #failure: InvocationError | undefined;

  constructor(
    status: number,
    headers: HeaderList,
    reader: ReadableStreamDefaultReader<Uint8Array>,
    options: { limit?: number; classify: (error: unknown) => InvocationError },
  ) {
    this.#status = status;
    this.#headers = headers;
    this.#reader = reader;
    this.#limit = options.limit ?? STREAM_LIMIT;
    this.#classify = options.classify;
  }

  /** Body bytes passed on so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Why the body ended early, if it did. */
  get failure(): InvocationError | undefined {
    return this.#failure;
  }

  /** Resolves when the body has ended. */
  get done(): StreamingPayload["done"] {
    return this.#done.promise;
  }

  async pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    if (!this.#started) {
      this.#started = true;
      controller.enqueue(prelude(this.#status, this.#headers));
      return;
    }
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await this.#reader.read();
    } catch (error) {
      this.#failure = this.#classify(error);
      return this.#end(controller);
    }
    if (chunk.done) return this.#end(controller);
    this.#bytes += chunk.value.byteLength;
    if (this.#bytes > this.#limit) return await this.#cutOff(controller);
    if (chunk.value.byteLength > 0) controller.enqueue(chunk.value);
  }

  async cancel(reason: unknown): Promise<void> {
    this.#failure ??= new InvocationError(ErrorType.Internal, describeError(reason));
    await this.#reader.cancel(reason).catch(() => {});
    this.#finish();
  }

  /** Past the limit: the app's body is cancelled and the stream ends there. */
  async #cutOff(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    this.#failure = new InvocationError(
      ErrorType.ResponseTooLarge,
      `The streamed response passed Lambda's ${this.#limit}-byte limit and was cut off there`,
    );
    await this.#reader.cancel(this.#failure).catch(() => {});
    this.#end(controller);
  }

  #end(controller: ReadableStreamDefaultController<Uint8Array>): void {
    controller.close();
    this.#reader.releaseLock();
    this.#finish();
  }

  #finish(): void {
    this.#done.resolve({ bytes: this.#bytes, error: this.#failure });
  }
}
