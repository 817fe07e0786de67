/**
 * Gives memory back between invocations.
 *
 * The adapter shares the function's memory with the app, and Lambda freezes the process as soon
 * as it polls again, so garbage not collected by then stays held. After an invocation that moved
 * many bytes, a full V8 GC (`--expose-gc`) frees its large buffers before the next poll, so
 * glibc can reuse them: RSS after a hundred 1 MiB POSTs and twenty 4.4 MB answers stays near
 * 55 MiB instead of 164 MiB (bench/memory.ts, docs/benchmarks.md).
 *
 * glibc's `malloc_trim(0)` (through FFI) would return another 7 MiB, but measured it makes the
 * next large invocation fault every page back in (a 4.4 MB answer took 57 ms instead of 16 ms),
 * and opening FFI touches 3 MB of the runtime's code; so the adapter does not trim.
 *
 * @module
 */

/** Below this many bytes moved by an invocation, a collection is not worth its pause. */
export const RELEASE_AFTER_BYTES = 512 * 1024;

/** Runs a full GC when V8 exposes it (`--expose-gc`); does nothing otherwise. */
export function releaseMemory(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
