/**
 * Typed reads of environment variables that collect problems and warnings instead of throwing
 * at the first one, so a misconfigured function reports everything wrong in one go.
 *
 * @module
 */

/** One unreadable setting. */
export interface ConfigProblem {
  /** The variable's name. */
  readonly variable: string;
  /** The value as set. */
  readonly value: string;
  /** What was expected instead. */
  readonly message: string;
}

/** Thrown by {@link loadConfig} with every problem found, not just the first. */
export class ConfigError extends Error {
  /** Every unreadable setting. */
  readonly problems: readonly ConfigProblem[];
  /** An error whose message lists every problem. */
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
  /** Warnings to log once at start-up. */
  readonly warnings: string[] = [];

  /** A reader of `env`; it never touches `Deno.env`. */
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

  /** An integer within `[min, max]`, written as Rust's integer parsers read it (digits, an optional `+`). */
  integer(name: string, min: number, max: number, fallback?: Fallback): number | undefined {
    return this.parsed(name, (value) => {
      const number = Number(value);
      if (!/^\+?\d+$/.test(value) || number < min || number > max) {
        throw new RangeError(`expected a whole number from ${min} to ${max}`);
      }
      return number;
    }, fallback);
  }

  /**
   * A boolean as LWA reads it: only `true` is true, anything else is false, silently. A value
   * LWA reads as what it plainly says (`false`, `False`, `0`, `no`, `off`) is false here too, with
   * a warning when it is not `false`; one it misreads (`TRUE`, `1`, `yes`) is refused.
   */
  bool(name: string, fallback?: Fallback): boolean | undefined {
    const found = this.lookup(name, fallback);
    if (!found) return undefined;
    const { variable, value } = found;
    if (value === "true") return true;
    if (value === "false") return false;
    const lenient = value.trim().toLowerCase();
    if (FALSE_VALUES.has(lenient)) {
      this.warn(`${variable}=${JSON.stringify(value)} read as false`);
      return false;
    }
    this.problem(
      variable,
      value,
      TRUE_VALUES.has(lenient)
        ? 'expected true or false: LWA reads only a lowercase "true" as true, so it would ' +
          "silently use false; write true, or false to keep what LWA did"
        : "expected true or false (LWA would silently use false)",
    );
    return undefined;
  }

  /**
   * One of `choices` as LWA reads it: the value lowercased must equal a choice, and anything else
   * silently means `lwaDefault`. A value is accepted when LWA's reading is what it plainly says
   * (compared after trimming, lowercasing and reading `-` as `_`), with a warning when it is not
   * written exactly; a value LWA would misread (`response-stream` runs buffered) is refused.
   */
  choice<const T extends string>(
    name: string,
    choices: readonly T[],
    lwaDefault: T,
    fallback?: Fallback,
  ): T | undefined {
    const found = this.lookup(name, fallback);
    if (!found) return undefined;
    const { variable, value } = found;
    const lwa = choices.find((candidate) => candidate === value.toLowerCase());
    if (lwa !== undefined) return lwa;
    const meant = choices.find((candidate) =>
      candidate === value.trim().toLowerCase().replaceAll("-", "_")
    );
    if (meant === lwaDefault) {
      this.warn(`${variable}=${JSON.stringify(value)} read as ${meant}`);
      return meant;
    }
    this.problem(
      variable,
      value,
      `expected one of ${choices.join(", ")} (LWA would silently use ${lwaDefault})`,
    );
    return undefined;
  }

  /**
   * A URL path as LWA builds it: WHATWG URL rules, as its `url` crate applies them, so spaces and
   * non-ASCII are percent-encoded and dot segments resolved. With `query`, a query is kept and a
   * missing leading `/` is refused (LWA appends the value to `http://host:port`, which then fails
   * to parse); without, the path setter is used, which adds the `/` and encodes `?`. A value that
   * changes is used as LWA would, with a warning.
   */
  urlPath(name: string, options: { query: boolean }, fallback?: Fallback): string | undefined {
    const found = this.lookup(name, fallback);
    if (!found) return undefined;
    const { variable, value } = found;
    let path: string;
    if (options.query) {
      if (!value.startsWith("/")) {
        this.problem(variable, value, "expected a path starting with /");
        return undefined;
      }
      const url = new URL(`http://127.0.0.1${value}`);
      path = url.pathname + url.search;
    } else {
      const url = new URL("http://127.0.0.1/");
      url.pathname = value;
      path = url.pathname;
    }
    if (path !== value) this.warn(`${variable}=${JSON.stringify(value)} read as ${path}`);
    return path;
  }

  /** A path prefix starting with `/`, free of spaces and control characters, used as written. */
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

  /** An HTTP header name (RFC 9110 token), lowercased; LWA never finds a header by any other name. */
  headerName(name: string): string | undefined {
    return this.parsed(name, (value) => {
      if (!TOKEN.test(value)) throw new SyntaxError("expected an HTTP header name");
      return value.toLowerCase();
    });
  }

  /** Records an unreadable setting; {@link throwIfProblems} reports them all. */
  problem(variable: string, value: string, message: string): void {
    this.#problems.push({ variable, value, message });
  }

  /** Records a warning for start-up. */
  warn(message: string): void {
    this.warnings.push(message);
  }

  /** Warns that `oldName` is read in place of `newName`, in LWA's words. */
  deprecated(oldName: string, newName: string): void {
    this.warn(
      `Environment variable '${oldName}' is deprecated and will be removed in version 2.0. ` +
        `Please use '${newName}' instead.`,
    );
  }

  /**
   * Throws every recorded problem at once.
   *
   * @throws {ConfigError} if any problem was recorded
   */
  throwIfProblems(): void {
    if (this.#problems.length > 0) throw new ConfigError(this.#problems);
  }
}
