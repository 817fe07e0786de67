// An Express app behind the adapter, run on Node exactly as a user would run it.
// Every path echoes the request (with rawHeaders, so repeated fields stay separate), except:
//   /_/status/:code, /_/bytes/:n, /_/cookies, /_/sleep/:ms, /_/sse (3 events 100 ms apart),
//   /_/big/:n (n bytes of text), /_/exit (the process exits with code 7), /_/error (throws).
const express = require("express");

const app = express();
app.use(express.raw({ type: () => true, limit: "20mb" }));

app.all(
  "/_/status/:code",
  (req, res) => res.status(Number(req.params.code)).send(`status ${req.params.code}`),
);
app.all("/_/bytes/:n", (req, res) => {
  const body = Buffer.alloc(Number(req.params.n));
  for (let i = 0; i < body.length; i++) body[i] = i % 256;
  res.type("application/octet-stream").send(body);
});
app.all("/_/cookies", (_req, res) => {
  res.cookie("session", "abc", { httpOnly: true });
  res.cookie("theme", "dark");
  res.append("X-Multi", "one");
  res.append("X-Multi", "two");
  res.type("text/plain").send("cookies");
});
app.all(
  "/_/sleep/:ms",
  (req, res) => setTimeout(() => res.send(`slept ${req.params.ms}`), Number(req.params.ms)),
);
app.all("/_/sse", (_req, res) => {
  res.set({ "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.flushHeaders();
  let sent = 0;
  const timer = setInterval(() => {
    res.write(`data: event ${sent}\n\n`);
    if (++sent === 3) {
      clearInterval(timer);
      res.end();
    }
  }, 100);
});
app.all("/_/big/:n", (req, res) => res.type("text/plain").send("x".repeat(Number(req.params.n))));
app.all("/_/exit", () => process.exit(7));
app.all("/_/error", () => {
  throw new Error("boom");
});

app.all("/{*rest}", (req, res) => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  res.json({
    app: "express",
    method: req.method,
    url: req.originalUrl,
    rawHeaders: req.rawHeaders,
    body: body.toString("utf8"),
    bodyBase64: body.toString("base64"),
  });
});

// PORT=0 picks a free port; the line below reports the one it got.
const port = Number(process.env.PORT || 8080);
const server = app.listen(port, "127.0.0.1", () => {
  // deno-lint-ignore no-console
  console.log(`express app listening on ${server.address().port}`);
});
process.on("SIGTERM", () => process.exit(0));
