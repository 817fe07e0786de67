// deno-lint-ignore-file no-console -- a setup step reports what it does
/**
 * The first step of `deno task test`: makes a fresh clone ready to test.
 *
 * - Checks the Debian packages the end-to-end tests run (`DEBIAN_NEEDS`). As root it installs
 *   the missing ones; otherwise it stops at once with the `apt-get install` line to run.
 * - Runs `npm ci` in every app folder (tests/apps/*, examples/*, tools/*) whose node_modules is missing
 *   or out of date with its package-lock.json.
 *
 * Run: deno run -A scripts/test_setup.ts [repository root]
 *
 * @module
 */

import { exists } from "./fs.ts";

/** Something the end-to-end tests run, the Debian packages that provide it, and a check. */
export interface DebianNeed {
  readonly what: string;
  readonly packages: readonly string[];
  /** A command that succeeds when it is installed. */
  readonly probe: readonly string[];
}

/** What the end-to-end tests need from Debian; add a line for a new tool. */
export const DEBIAN_NEEDS: readonly DebianNeed[] = [
  {
    what: "Node.js and npm (Express apps)",
    packages: ["nodejs", "npm"],
    probe: ["npm", "--version"],
  },
  {
    what: "httpbin on gunicorn",
    packages: ["python3-httpbin", "gunicorn"],
    probe: ["/usr/bin/python3", "-c", "import httpbin, gunicorn"],
  },
  { what: "Flask", packages: ["python3-flask"], probe: ["/usr/bin/python3", "-c", "import flask"] },
  { what: "ps (process checks)", packages: ["procps"], probe: ["ps", "--version"] },
  {
    what: "headless Chromium (the emulate --inspect browser test)",
    packages: ["chromium"],
    probe: ["chromium", "--version"],
  },
];

/** Runs a command quietly; resolves with its success and combined output. */
export type Runner = (command: readonly string[], cwd?: string) => Promise<Ran>;

/** What a command did. */
export interface Ran {
  readonly success: boolean;
  readonly output: string;
}

/** The real runner; a command that cannot start at all counts as failed. */
export const run: Runner = async (command, cwd) => {
  try {
    const { success, stdout, stderr } = await new Deno.Command(command[0]!, {
      args: command.slice(1),
      ...(cwd ? { cwd } : {}),
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdin: "null",
    }).output();
    const decoder = new TextDecoder();
    return { success, output: decoder.decode(stdout) + decoder.decode(stderr) };
  } catch (error) {
    return { success: false, output: String(error) };
  }
};

/** The packages of every need whose probe fails, once each. */
export async function missingPackages(
  needs: readonly DebianNeed[],
  runner: Runner = run,
): Promise<string[]> {
  const missing = new Set<string>();
  for (const need of needs) {
    if (!(await runner(need.probe)).success) {
      for (const name of need.packages) missing.add(name);
    }
  }
  return [...missing];
}

/** The line a person runs to install `packages`. */
export function aptLine(packages: readonly string[]): string {
  return `sudo apt-get install -y ${packages.join(" ")}`;
}

/**
 * Installs `packages` as root (updating the package lists once if the first try fails), or,
 * not being root, returns the error to stop with. Returns `undefined` when installed.
 */
export async function installPackages(
  packages: readonly string[],
  root: boolean,
  runner: Runner = run,
): Promise<string | undefined> {
  if (packages.length === 0) return undefined;
  if (!root) {
    return `The end-to-end tests need Debian packages that are missing: ${packages.join(", ")}.\n` +
      `Install them, then run the tests again:\n  ${aptLine(packages)}`;
  }
  const install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", ...packages];
  console.log(`installing ${packages.join(" ")}`);
  if ((await runner(install)).success) return undefined;
  await runner(["apt-get", "update", "-q"]);
  const retried = await runner(install);
  return retried.success ? undefined : `apt-get could not install them:\n${retried.output}`;
}

/**
 * Folders with a package-lock.json under tests/apps, examples and tools, one level down or two
 * (the Flask example's CDK app, examples/flask/cdk), and directly under tests (tests/browser).
 */
export function npmApps(root: string): string[] {
  const apps: string[] = [];
  const visit = (folder: string, depth: number) => {
    for (const entry of Deno.readDirSync(folder)) {
      if (!entry.isDirectory || entry.name === "node_modules") continue;
      const child = `${folder}/${entry.name}`;
      if (exists(`${child}/package-lock.json`)) apps.push(child);
      else if (depth > 1) visit(child, depth - 1);
    }
  };
  const parents = [["tests/apps", 2], ["examples", 2], ["tools", 2], ["tests", 1]] as const;
  for (const [parent, depth] of parents) {
    if (exists(`${root}/${parent}`)) visit(`${root}/${parent}`, depth);
  }
  return apps.sort();
}

interface LockEntry {
  version?: string;
  integrity?: string;
  optional?: boolean;
}

/**
 * Why `folder` needs `npm ci`, or `undefined` when its node_modules matches its lockfile. npm
 * writes what it installed to node_modules/.package-lock.json; every package the lockfile
 * lists must be there at the same version (optional ones may be absent, as on another OS).
 */
export function npmStaleness(folder: string): string | undefined {
  if (!exists(`${folder}/node_modules`)) return "node_modules is missing";
  const installedPath = `${folder}/node_modules/.package-lock.json`;
  if (!exists(installedPath)) return "node_modules was not installed by npm ci";
  const wanted = lockPackages(`${folder}/package-lock.json`);
  const installed = lockPackages(installedPath);
  for (const [path, entry] of Object.entries(wanted)) {
    if (path === "") continue;
    const have = installed[path];
    if (!have) {
      if (entry.optional) continue;
      return `${path} is missing`;
    }
    if (have.version !== entry.version || have.integrity !== entry.integrity) {
      return `${path} is ${have.version}, the lockfile wants ${entry.version}`;
    }
  }
  return undefined;
}

function lockPackages(path: string): Record<string, LockEntry> {
  return (JSON.parse(Deno.readTextFileSync(path)).packages ?? {}) as Record<string, LockEntry>;
}

/** Runs `npm ci` where needed; returns an error to stop with, or `undefined`. */
export async function installNpmApps(
  root: string,
  runner: Runner = run,
): Promise<string | undefined> {
  for (const folder of npmApps(root)) {
    const reason = npmStaleness(folder);
    if (reason === undefined) continue;
    const name = folder.slice(root.length + 1);
    console.log(`npm ci in ${name} (${reason})`);
    const ci = await runner(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], folder);
    if (!ci.success) return `npm ci in ${name} failed:\n${ci.output}`;
  }
  return undefined;
}

/**
 * Sets up the clone at `root`: Debian packages first (npm comes from them), then the npm apps.
 * Returns the error to stop with, or `undefined` when everything is in place.
 */
export async function setUp(
  root: string,
  isRoot: boolean,
  needs: readonly DebianNeed[] = DEBIAN_NEEDS,
): Promise<string | undefined> {
  return await installPackages(await missingPackages(needs), isRoot) ??
    await installNpmApps(root);
}

if (import.meta.main) {
  const root = Deno.args[0] ?? new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const error = await setUp(root, Deno.uid() === 0);
  if (error !== undefined) console.error(error);
  Deno.exit(error === undefined ? 0 : 1);
}
