/**
 * A connection whose reads several parties wait on at once: a server reads ahead to notice a
 * client that disconnects while its request waits, and that read must also serve the body
 * reader and the next request head.
 *
 * @module
 */

import { BufferedConn } from "./buffered_conn.ts";

/**
 * A `BufferedConn` whose concurrent `fill()` calls share one socket read and which remembers the
 * end of the stream, so the disconnect watch and the body reader can both wait on the socket.
 */
export class SharedReadConn extends BufferedConn {
  #fill: Promise<boolean> | null = null;
  #ended = false;

  /** Whether the peer ended its side (or the socket failed). */
  get ended(): boolean {
    return this.#ended;
  }

  override fill(sizeHint?: number): Promise<boolean> {
    if (this.#ended) return Promise.resolve(false);
    this.#fill ??= super.fill(sizeHint).then((more) => {
      this.#fill = null;
      this.#ended ||= !more;
      return more;
    }, (error) => {
      this.#fill = null;
      this.#ended = true;
      throw error;
    });
    return this.#fill;
  }
}
