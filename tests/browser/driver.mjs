// Drives headless Chromium for the Deno browser tests (tests/support/browser.ts): one JSON
// command per line on standard input, one JSON answer per line on standard output. Node runs
// it, so playwright-core runs where it is made to run.
import { createRequire } from "node:module";
import { createInterface } from "node:readline";

// Required, not imported: `deno check tests/` then leaves this Node-only package alone.
const { chromium } = createRequire(import.meta.url)("playwright-core");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
const problems = [];
page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
page.on("console", (message) => {
  if (message.type() === "error") problems.push(`console error: ${message.text()}`);
});

const commands = {
  goto: ({ url }) => page.goto(url).then(() => null),
  waitForText: ({ selector, text, timeoutMs }) =>
    page.locator(selector).filter({ hasText: text }).first().waitFor({ timeout: timeoutMs }),
  waitForCount: ({ selector, count, timeoutMs }) =>
    page.waitForFunction(
      ([css, n]) => document.querySelectorAll(css).length >= n,
      [selector, count],
      { timeout: timeoutMs },
    ).then(() => null),
  click: ({ selector }) => page.locator(selector).first().click(),
  text: ({ selector }) => page.locator(selector).first().innerText(),
  count: ({ selector }) => page.locator(selector).count(),
  screenshot: ({ path }) => page.screenshot({ path }).then(() => null),
  problems: () => problems,
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const { id, op, ...args } = JSON.parse(line);
  try {
    const value = await commands[op](args);
    process.stdout.write(JSON.stringify({ id, ok: true, value: value ?? null }) + "\n");
  } catch (error) {
    process.stdout.write(
      JSON.stringify({ id, ok: false, error: String(error?.message ?? error) }) + "\n",
    );
  }
}
await browser.close();
