/**
 * Gives memory back to the OS between invocations.
 *
 * The adapter shares the function's memory with the app, and Lambda freezes the process as soon
 * as it polls again, so memory not returned by then stays held. Freed `ArrayBuffer`s are not
 * returned on their own: glibc keeps freed blocks in its heap (and raises its mmap threshold
 * after a large block is freed, so later large blocks come from the heap too). A full V8 GC
 * (`--expose-gc`) followed by glibc's `malloc_trim(0)` (through FFI) returns most of it in about
 * a millisecond (measured: docs/benchmarks.md). Both are optional: without `--expose-gc` or FFI
 * (another libc, no `--allow-ffi`) the release does what it can and never throws.
 *
 * It runs only after an invocation that moved many bytes, never at start-up: opening libc
 * through FFI touches about 3 MB of the runtime's code, more than an idle adapter gets back.
 *
 * @module
 */

/** Below this many bytes moved by an invocation, a release is not worth its pause. */
export const RELEASE_AFTER_BYTES = 512 * 1024;

type Trim = () => void;

let trim: Trim | null | undefined;

/** Opens libc's `malloc_trim` once; null where it cannot be had. */
function loadTrim(): Trim | null {
  try {
    const libc = Deno.dlopen("libc.so.6", {
      malloc_trim: { parameters: ["usize"], result: "i32" },
    });
    return () => void libc.symbols.malloc_trim(0n);
  } catch {
    return null;
  }
}

/** Runs a full GC when V8 exposes it, then trims the C heap. */
export function releaseMemory(): void {
  (globalThis as { gc?: () => void }).gc?.();
  trim ??= loadTrim();
  trim?.();
}
