import assert from "node:assert/strict";
import { parseDotenv, withEnvFiles } from "./dotenv.ts";

Deno.test("parseDotenv() reads plain, exported, commented and quoted values", () => {
  const text = [
    "\uFEFF# a comment",
    "",
    "PLAIN=hello world  ",
    "  SPACED = value with spaces  # and a comment",
    "export EXPORTED=yes",
    "EMPTY=",
    "HASH=a#b",
    "SINGLE='no $expansion \\n here' # comment",
    'DOUBLE="line\\nnext \\"quoted\\" \\$HOME \\\\ \\q"',
    "BACKTICK=`it's`",
    "URL=postgres://u:p@host:5432/db?ssl=true",
    "UNICODE=h\u00e9llo \u{1F600}",
    "PLAIN=again\r",
  ].join("\n");
  assert.deepEqual(parseDotenv(text), {
    PLAIN: "again",
    SPACED: "value with spaces",
    EXPORTED: "yes",
    EMPTY: "",
    HASH: "a#b",
    SINGLE: "no $expansion \\n here",
    DOUBLE: 'line\nnext "quoted" $HOME \\ \\q',
    BACKTICK: "it's",
    URL: "postgres://u:p@host:5432/db?ssl=true",
    UNICODE: "h\u00e9llo \u{1F600}",
  });
});

Deno.test("parseDotenv() reads quoted values over several lines", () => {
  const text = "KEY=\"-----BEGIN KEY-----\nabc\n-----END KEY-----\"\nNEXT=1\nS='a\nb'";
  assert.deepEqual(parseDotenv(text), {
    KEY: "-----BEGIN KEY-----\nabc\n-----END KEY-----",
    NEXT: "1",
    S: "a\nb",
  });
});

Deno.test("parseDotenv() names the file and line of what it cannot read", () => {
  assert.throws(() => parseDotenv("A=1\nnot an assignment", "app.env"), {
    message: 'app.env:2: expected KEY=value, found "not an assignment"',
  });
  assert.throws(() => parseDotenv("1BAD=x"), /\.env:1: "1BAD" is not a variable name/);
  assert.throws(() => parseDotenv('A="open\nB=2'), /\.env:1: the " is not closed/);
  assert.throws(() => parseDotenv("A='x' y"), /\.env:1: unexpected "y" after the closing quote/);
});

Deno.test("withEnvFiles() reads files in order, and the environment wins", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/a.env`, "A=from-a\nB=from-a\nC=from-a\n");
    await Deno.writeTextFile(`${dir}/b.env`, "B=from-b\n");
    const env = await withEnvFiles([`${dir}/a.env`, `${dir}/b.env`], { C: "shell" });
    assert.deepEqual(env, { A: "from-a", B: "from-b", C: "shell" });
    await assert.rejects(withEnvFiles([`${dir}/missing.env`], {}), /--env-file .*missing\.env/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
