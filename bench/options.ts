/**
 * Benchmark settings from `--name=value` arguments or environment variables, so a quick run
 * needs no edit.
 *
 * @module
 */

function raw(name: string, envName: string): string | undefined {
  const prefix = `--${name}=`;
  const arg = Deno.args.find((value) => value.startsWith(prefix));
  return arg?.slice(prefix.length) ?? Deno.env.get(envName);
}

/** A non-negative integer setting (`--name=` wins over `envName`), or `fallback`. */
export function intOption(name: string, envName: string, fallback: number): number {
  const text = raw(name, envName);
  if (text === undefined || text === "") return fallback;
  const value = Number(text.replaceAll("_", ""));
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `--${name} / ${envName} must be a whole number, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/** A comma-separated setting, or `fallback`. */
export function listOption(name: string, envName: string, fallback: string[]): string[] {
  const text = raw(name, envName);
  if (text === undefined || text === "") return fallback;
  return text.split(",").map((part) => part.trim()).filter(Boolean);
}
