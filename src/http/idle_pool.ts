/**
 * Idle keep-alive connections, most recently used first.
 *
 * An idle connection is dropped after `idleTimeoutMs`, which defaults below Node's 5 s
 * `keepAliveTimeout` so that we close first (LWA issues #40 and #830: a request written just as
 * the app closes its end fails). While idle, a read stays pending so that a close by the app is
 * noticed at once instead of by the next request.
 *
 * @module
 */

import type { BufferedConn } from "./buffered_conn.ts";
import { schedule } from "../util/timers.ts";

/** A LIFO set of idle connections with expiry. */
export class IdlePool {
  /** Oldest first; `take` pops the newest. */
  #idle: BufferedConn[] = [];
  /** When each idle connection was released (performance.now()). */
  #since = new Map<BufferedConn, number>();
  /** One timer for the whole pool, due when the oldest connection expires. */
  #cancelTimer: (() => void) | undefined;
  #idleTimeoutMs: number;
  #max: number;

  /** Keeps at most `max` connections, each for at most `idleTimeoutMs`. */
  constructor(idleTimeoutMs: number, max: number) {
    this.#idleTimeoutMs = idleTimeoutMs;
    this.#max = max;
  }

  /** Number of idle connections. */
  get size(): number {
    return this.#idle.length;
  }

  /** Takes the most recently released live connection, or returns null. */
  take(): BufferedConn | null {
    for (;;) {
      const conn = this.#idle.pop();
      if (conn === undefined) return null;
      this.#since.delete(conn);
      if (conn.closed) continue;
      conn.conn.ref();
      return conn;
    }
  }

  /** Adds a connection whose exchange is complete and whose buffer is empty. */
  put(conn: BufferedConn): void {
    if (this.#max <= 0) return conn.close();
    if (this.#idle.length >= this.#max) this.#drop(this.#idle[0]!);
    // Idle connections must not keep a finished process alive.
    conn.conn.unref();
    this.#since.set(conn, performance.now());
    this.#idle.push(conn);
    if (this.#cancelTimer === undefined) this.#arm(this.#idleTimeoutMs);
    const onSettled = () => {
      // Data or EOF while idle: the peer closed or broke the protocol; either way, drop it.
      if (this.#since.has(conn)) this.#drop(conn);
    };
    conn.watch().then(onSettled, onSettled);
  }

  /** Closes every idle connection and waits until their pending reads have ended. */
  async closeAll(): Promise<void> {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    const conns = [...this.#idle];
    for (const conn of conns) this.#drop(conn);
    await Promise.all(conns.map((conn) => conn.settled()));
  }

  #arm(delayMs: number): void {
    this.#cancelTimer = schedule(Math.max(1, delayMs), () => this.#expire());
  }

  #expire(): void {
    this.#cancelTimer = undefined;
    const now = performance.now();
    while (this.#idle.length > 0) {
      const oldest = this.#idle[0]!;
      const left = this.#since.get(oldest)! + this.#idleTimeoutMs - now;
      if (left > 0) return this.#arm(left);
      this.#drop(oldest);
    }
  }

  #drop(conn: BufferedConn): void {
    this.#since.delete(conn);
    const index = this.#idle.indexOf(conn);
    if (index !== -1) this.#idle.splice(index, 1);
    conn.close();
  }
}
