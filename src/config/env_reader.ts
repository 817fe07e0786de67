/**
 * Typed reads of environment variables that collect problems and warnings instead of throwing
 * at the first one, so a misconfigured function reports everything wrong in one go.
 *
 * @module
 */

/** One unreadable setting. */
export interface ConfigProblem {
  readonly variable: string;
  readonly value: string;
  readonly message: string;
}

/** Thrown by {@link loadConfig} with every problem found, not just the first. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join("; "));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Formats a problem as one log line naming the variable and its value. */
export function formatProblem(problem: ConfigProblem): string {
  return `Invalid ${problem.variable}=${JSON.stringify(problem.value)}: ${problem.message}`;
}

/** `[old name, warn]`: the variable read when the new one is unset; `warn` marks it deprecated. */
export type Fallback = readonly [name: string, warn: boolean];

const TRUE_VALUES = new Set(["true", "1", "yes", "on"]);
const FALSE_VALUES = new Set(["false", "0", "no", "off"]);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Reads and checks variables from one env record. */
export class EnvReader {
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #problems: ConfigProblem[] = [];
  readonly warnings: string[] = [];

  constructor(env: Readonly<Record<string, string | undefined>>) {
    this.#env = env;
  }

  /** The value, with an empty string counted as unset (a blank `ENV X=` line means "not set"). */
  raw(name: string): string | undefined {
    const value = this.#env[name];
    return value === undefined || value === "" ? undefined : value;
  }

  /** Finds the value under `name`, else under the fallback name (warning when deprecated). */
  lookup(name: string, fallback?: Fallback): { variable: string; value: string } | undefined {
    const value = this.raw(name);
    if (value !== undefined) return { variable: name, value };
    if (!fallback) return undefined;
    const [oldName, warn] = fallback;
    const old = this.raw(oldName);
    if (old === undefined) return undefined;
    if (warn) this.deprecated(oldName, name);
    return { variable: oldName, value: old };
  }

  /** Parses with `parse`; a thrown error becomes a problem carrying its message. */
  parsed<T>(name: string, parse: (value: string) => T, fallback?: Fallback): T | undefined {
    const found = this.lookup(name, fallback);
    if (!found) return undefined;
    try {
      return parse(found.value);
    } catch (error) {
      this.problem(
        found.variable,
        found.value,
        error instanceof Error ? error.message : `${error}`,
      );
      return undefined;
    }
  }

  /** A TCP port 1-65535. */
  port(name: string, fallback?: Fallback): number | undefined {
    return this.parsed(name, (value) => {
      if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
        throw new RangeError("expected a port number from 1 to 65535");
      }
      return Number(value);
    }, fallback);
  }

  /** An integer within `[min, max]`. */
  integer(name: string, min: number, max: number, fallback?: Fallback): number | undefined {
    return this.parsed(name, (value) => {
      const number = Number(value.trim());
      if (!/^\s*\d+\s*$/.test(value) || number < min || number > max) {
        throw new RangeError(`expected a whole number from ${min} to ${max}`);
      }
      return number;
    }, fallback);
  }

  /** `true`/`false` in any case, or `1`/`0`, `yes`/`no`, `on`/`off`. */
  bool(name: string, fallback?: Fallback): boolean | undefined {
    return this.parsed(name, (value) => {
      const lower = value.trim().toLowerCase();
      if (TRUE_VALUES.has(lower)) return true;
      if (FALSE_VALUES.has(lower)) return false;
      throw new SyntaxError("expected true or false (1/0, yes/no and on/off are accepted too)");
    }, fallback);
  }

  /** One of `choices`, compared after `normalise` (lowercase by default). */
  oneOf<const T extends string>(
    name: string,
    choices: readonly T[],
    fallback?: Fallback,
    normalise: (value: string) => string = (value) => value.toLowerCase(),
  ): T | undefined {
    return this.parsed(name, (value) => {
      const normalised = normalise(value.trim());
      const choice = choices.find((candidate) => candidate === normalised);
      if (choice === undefined) throw new SyntaxError(`expected one of ${choices.join(", ")}`);
      return choice;
    }, fallback);
  }

  /** A URL path starting with `/`, free of spaces and control characters. */
  path(name: string, fallback?: Fallback): string | undefined {
    return this.parsed(name, (value) => {
      if (!value.startsWith("/")) throw new SyntaxError("expected a path starting with /");
      // deno-lint-ignore no-control-regex -- rejecting control characters is the point
      if (/[\s\x00-\x1f\x7f]/.test(value)) {
        throw new SyntaxError("a path cannot hold spaces or control characters");
      }
      return value;
    }, fallback);
  }

  /** An HTTP header name (RFC 9110 token), lowercased. */
  headerName(name: string): string | undefined {
    return this.parsed(name, (value) => {
      if (!TOKEN.test(value.trim())) throw new SyntaxError("expected an HTTP header name");
      return value.trim().toLowerCase();
    });
  }

  problem(variable: string, value: string, message: string): void {
    this.#problems.push({ variable, value, message });
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  deprecated(oldName: string, newName: string): void {
    this.warn(
      `Environment variable '${oldName}' is deprecated and will be removed in version 2.0. ` +
        `Please use '${newName}' instead.`,
    );
  }

  /** @throws {ConfigError} if any problem was recorded */
  throwIfProblems(): void {
    if (this.#problems.length > 0) throw new ConfigError(this.#problems);
  }
}
