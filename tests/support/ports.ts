/**
 * Ports for end-to-end tests, which run in parallel. A server the test starts itself listens on
 * port 0 and reports the port it got; these helpers are for the rest.
 *
 * @module
 */

/**
 * A port for a child that must be told its port before it starts (an app started by
 * `emulate`). It lies below Linux's ephemeral range (32768-60999), so no port-0 listener and no
 * outgoing connection on this machine can take it meanwhile; a clash with another explicit bind
 * shows as "address in use" (`portTaken`), and the caller tries another.
 */
export function childPort(): number {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    try {
      Deno.listen({ hostname: "127.0.0.1", port }).close();
      return port;
    } catch {
      // Taken right now: draw another.
    }
  }
}

/**
 * The port to give an app that never listens (or exits at once): no test binds a port below
 * 1024, so connecting to it is always refused. A `childPort()` would be free for any other
 * test's app to take meanwhile, and the adapter would then find that app ready.
 */
export const NO_LISTENER_PORT = 1;

/** Whether a child's output says its port was taken (Node, Deno, Python, gunicorn wording). */
export function portTaken(output: string): boolean {
  return /EADDRINUSE|address already in use|AddrInUse|Connection in use/i.test(output);
}

/**
 * A free port from the ephemeral range, closed again before it is returned: another listener
 * may take it before the caller binds it. Only for programs that run alone (the benchmarks);
 * tests listen on port 0 or use `childPort()`.
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}
