// An Express app shipped as a zip with the lambda-adapter layer. Nothing in it knows about
// Lambda: it listens on PORT like anywhere else.
const express = require("express");

const app = express();
app.use(express.json());

app.get("/", (_req, res) => res.send("Hello from Express, behind lambda-adapter!"));
app.get("/items/:id", (req, res) => res.json({ id: req.params.id, query: req.query }));
app.post("/items", (req, res) => res.status(201).json({ created: req.body }));

const port = Number(process.env.PORT || 8080);
// deno-lint-ignore no-console
app.listen(port, () => console.log(`listening on ${port}`));
