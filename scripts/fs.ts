/**
 * File helpers for the build and test scripts.
 *
 * @module
 */

/** Whether something exists at `path`. */
export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
