/**
 * Splits a streamed `application/vnd.awslambda.http-integration-response` body into its JSON
 * prelude and the body proper. The runtime writes the prelude
 * (`{"statusCode","headers","cookies"}`), then 8 NUL bytes, then the body (AWS Lambda "Response
 * streaming" for custom runtimes; `HttpResponseStream.from` in the Node.js runtime does the
 * same). Like any bytes on a stream, the prelude and the NULs can arrive split over chunks.
 *
 * @module
 */

/** A piece of body and when it arrived (`performance.now()`). */
export interface BodyPiece {
  /** The piece. */
  bytes: Uint8Array;
  /** When it arrived (the clock's `now()`). */
  at: number;
}

/** Length of the delimiter between prelude and body. */
const DELIMITER_LENGTH = 8;

/** Finds the end of the prelude in a stream of pieces. */
export class PreludeSplitter {
  #held: BodyPiece[] = [];
  #heldBytes = 0;
  /** NUL bytes at the end of what was seen so far. */
  #zeros = 0;
  #searching = true;
  #prelude: Uint8Array | undefined;
  #limit: number;

  /** Gives up looking after `limit` bytes without a delimiter; they are body then. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The prelude's bytes (without the NULs), once the delimiter has arrived. */
  get prelude(): Uint8Array | undefined {
    return this.#prelude;
  }

  /** Whether the delimiter is still being looked for. */
  get searching(): boolean {
    return this.#searching;
  }

  /**
   * Feeds the next piece and returns the body it yields: nothing while the prelude is
   * incomplete, the part after the NULs when they complete, the piece itself afterwards.
   */
  push(piece: BodyPiece): BodyPiece[] {
    if (!this.#searching) return [piece];
    const bytes = piece.bytes;
    let i = 0;
    while (i < bytes.length) {
      if (this.#zeros === 0) {
        // Skip to the next NUL at native speed.
        i = bytes.indexOf(0, i);
        if (i === -1) break;
      }
      if (bytes[i] !== 0) this.#zeros = 0;
      else if (++this.#zeros === DELIMITER_LENGTH) return this.#split(piece, i + 1);
      i++;
    }
    this.#held.push(piece);
    this.#heldBytes += bytes.length;
    return this.#heldBytes > this.#limit ? this.#giveUp() : [];
  }

  /** The body ended: without a delimiter, everything held is body after all. */
  end(): BodyPiece[] {
    return this.#searching ? this.#giveUp() : [];
  }

  /** The delimiter ends at `end` in `piece`. */
  #split(piece: BodyPiece, end: number): BodyPiece[] {
    const all = new Uint8Array(this.#heldBytes + end);
    let offset = 0;
    for (const held of this.#held) {
      all.set(held.bytes, offset);
      offset += held.bytes.length;
    }
    all.set(piece.bytes.subarray(0, end), offset);
    this.#prelude = all.subarray(0, all.length - DELIMITER_LENGTH);
    this.#searching = false;
    this.#held = [];
    const rest = piece.bytes.subarray(end);
    return rest.length > 0 ? [{ bytes: rest, at: piece.at }] : [];
  }

  #giveUp(): BodyPiece[] {
    this.#searching = false;
    const held = this.#held;
    this.#held = [];
    return held;
  }
}
