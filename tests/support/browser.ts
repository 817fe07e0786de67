/**
 * Headless Chromium for browser tests, driven through tests/browser/driver.mjs (playwright-core
 * under Node, pinned in tests/browser/package.json). `startBrowser()` says why it cannot start
 * where Chromium, Node or the driver's packages are missing, so the test can skip with that.
 *
 * @module
 */

import { exists } from "../../scripts/fs.ts";
import { Child } from "./child.ts";

const BROWSER_DIR = new URL("../browser/", import.meta.url).pathname;
const CHROMIUM = "/usr/bin/chromium";

/** Why there can be no browser here, or `undefined` when there can. */
export function browserSkip(): string | undefined {
  if (!exists(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  if (!exists(`${BROWSER_DIR}node_modules/playwright-core/package.json`)) {
    return "tests/browser has no node_modules (scripts/test_setup.ts runs npm ci there)";
  }
  try {
    new Deno.Command("node", { args: ["--version"], stdout: "null" }).outputSync();
  } catch {
    return "no node to run tests/browser/driver.mjs";
  }
  return undefined;
}

/** A page in headless Chromium; every command is bounded and fails with the driver's output. */
export class Browser implements AsyncDisposable {
  readonly #child: Child;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  #next = 0;

  private constructor(child: Child, writer: WritableStreamDefaultWriter<Uint8Array>) {
    this.#child = child;
    this.#writer = writer;
  }

  /** Starts Chromium; check `browserSkip()` first. */
  static start(): Browser {
    const child = new Child("browser", ["node", `${BROWSER_DIR}driver.mjs`], {
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", CHROMIUM_PATH: CHROMIUM },
      stdin: "piped",
    });
    return new Browser(child, child.process.stdin.getWriter());
  }

  /** Runs one driver command; rejects with its error. */
  async send(op: string, args: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<unknown> {
    const id = ++this.#next;
    await this.#writer.write(new TextEncoder().encode(`${JSON.stringify({ id, op, ...args })}\n`));
    const line = await this.#child.waitForLine(new RegExp(`^\\{"id":${id},`), timeoutMs);
    const answer = JSON.parse(line) as { ok: boolean; value?: unknown; error?: string };
    if (!answer.ok) throw new Error(`browser ${op} ${JSON.stringify(args)}: ${answer.error}`);
    return answer.value;
  }

  /** Opens `url`. */
  goto(url: string): Promise<unknown> {
    return this.send("goto", { url });
  }

  /** Waits until an element matching `selector` contains `text`. */
  waitForText(selector: string, text: string, timeoutMs = 20_000): Promise<unknown> {
    return this.send("waitForText", { selector, text, timeoutMs }, timeoutMs + 5000);
  }

  /** Waits until at least `count` elements match `selector`. */
  waitForCount(selector: string, count: number, timeoutMs = 20_000): Promise<unknown> {
    return this.send("waitForCount", { selector, count, timeoutMs }, timeoutMs + 5000);
  }

  /** Clicks the first element matching `selector`. */
  click(selector: string): Promise<unknown> {
    return this.send("click", { selector });
  }

  /** The rendered text of the first element matching `selector`. */
  async text(selector: string): Promise<string> {
    return String(await this.send("text", { selector }));
  }

  /** How many elements match `selector`. */
  async count(selector: string): Promise<number> {
    return Number(await this.send("count", { selector }));
  }

  /** Saves a PNG of the page. */
  screenshot(path: string): Promise<unknown> {
    return this.send("screenshot", { path });
  }

  /** Errors the page threw or logged so far. */
  async problems(): Promise<string[]> {
    return await this.send("problems") as string[];
  }

  /** Closes the browser. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.#writer.close().catch(() => {});
    await this.#child.status(15_000).catch(() => this.#child[Symbol.asyncDispose]());
  }
}
