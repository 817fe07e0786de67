/**
 * The inspector page's script: the list kept live by server-sent events, the four panes of the
 * picked invocation, the body views, and replay, edit and save. Plain browser JavaScript, as
 * served; every value reaches the page as text, never as markup.
 *
 * @module
 */

/** Served as `/app.js`; raw, so the script's own escapes reach the browser unchanged. */
export const PAGE_SCRIPT: string = String.raw`"use strict";
const state = { rows: new Map(), selected: null, kept: 200, showSecrets: false, event: null };
const $ = (selector) => document.querySelector(selector);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key === "onclick") node.addEventListener("click", value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function size(bytes) {
  if (bytes < 1024) return bytes + " B";
  if (bytes < 1048576) return (bytes / 1024).toFixed(1) + " KiB";
  return (bytes / 1048576).toFixed(1) + " MiB";
}

function ms(value) {
  return value == null ? "" : value < 10 ? value.toFixed(2) + " ms" : Math.round(value) + " ms";
}

function rowClass(summary) {
  const outcome = !summary.done ? "running" : summary.failed ? "failed" : "ok";
  const http = /^[45]\d\d$/.test(summary.status) ? " http" + summary.status[0] : "";
  return "row " + outcome + http + (summary.seq === state.selected ? " selected" : "");
}

function renderRow(summary) {
  const old = state.rows.get(summary.seq);
  const row = el("tr", { class: rowClass(summary), "data-seq": String(summary.seq) },
    el("td", { class: "num" }, String(summary.seq)),
    el("td", { class: "request", title: summary.method + " " + summary.path },
      summary.method + " " + summary.path),
    el("td", { class: "source" }, summary.source),
    el("td", { class: "status" }, summary.done ? String(summary.status) : "running"),
    el("td", { class: "num duration" }, ms(summary.durationMs)),
    el("td", { class: "num memory" },
      summary.maxMemoryUsedMb == null ? "" : summary.maxMemoryUsedMb + " MB"),
    el("td", { class: "mode" }, summary.streamed ? "streamed" : summary.done ? "buffered" : ""));
  row.addEventListener("click", () => select(summary.seq));
  if (old) old.replaceWith(row);
  else {
    const body = $("#invocations tbody");
    const newer = [...body.children].find((other) => Number(other.dataset.seq) < summary.seq);
    body.insertBefore(row, newer || null);
  }
  state.rows.set(summary.seq, row);
  while (state.rows.size > state.kept) {
    const oldest = Math.min(...state.rows.keys());
    state.rows.get(oldest).remove();
    state.rows.delete(oldest);
  }
  $("#empty").hidden = state.rows.size > 0;
  $("#kept").textContent = "Keeps the last " + state.kept + " invocations in memory (" +
    state.rows.size + " now)";
}

function hexDump(bytes) {
  const lines = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const slice = bytes.subarray(offset, offset + 16);
    const hex = [...slice].map((byte) => byte.toString(16).padStart(2, "0")).join(" ");
    const ascii = [...slice].map((byte) => byte >= 32 && byte < 127 ? String.fromCharCode(byte) : ".").join("");
    lines.push(offset.toString(16).padStart(8, "0") + "  " + hex.padEnd(48) + "  " + ascii);
  }
  return lines.join("\n");
}

function bodyView(view, download) {
  if (view.size === 0) return el("div", { class: "none" }, "(empty body)");
  if (view.hidden) {
    return el("div", { class: "none" }, size(view.size) + ", too large to show with its secrets masked");
  }
  const pre = el("pre", { class: "body-text" });
  const bytes = Uint8Array.from(atob(view.base64), (char) => char.charCodeAt(0));
  const modes = { Text: view.json || view.text, Hex: hexDump(bytes), Base64: view.base64 };
  const bar = el("div", { class: "bar" });
  const show = (name) => {
    pre.textContent = modes[name];
    for (const button of bar.querySelectorAll("button")) button.classList.toggle("on", button.textContent === name);
  };
  for (const name of Object.keys(modes)) {
    if (modes[name] == null) continue;
    bar.append(el("button", { type: "button", onclick: () => show(name) }, name));
  }
  const notes = [size(view.size)];
  if (view.dropped) notes.push("bytes dropped to keep memory bounded");
  else if (view.shown < view.size) notes.push("showing the first " + size(view.shown));
  if (view.truncated && !view.dropped) notes.push("kept " + size(view.kept));
  bar.append(el("span", { class: "note" }, notes.join(", ")));
  if (!view.dropped) bar.append(el("a", { href: download, download: "" }, "download"));
  // Control characters mean bytes, even when they happen to be valid UTF-8.
  const binary = modes.Text == null || /[\x00-\x08\x0e-\x1f\x7f]/.test(modes.Text);
  show(binary ? "Hex" : "Text");
  return el("div", { class: "body" }, bar, pre);
}

function headerList(headers) {
  return el("div", { class: "headers" }, ...headers.map(([name, value]) =>
    el("div", null, el("b", null, name), ": " + value)));
}

function timings(chunks, count) {
  const lines = chunks.map((chunk, index) =>
    "#" + (index + 1) + "  +" + chunk.atMs.toFixed(1) + " ms  " + size(chunk.bytes));
  if (count > chunks.length) lines.push("... " + (count - chunks.length) + " more");
  return el("pre", { class: "chunks" }, lines.join("\n"));
}

function fill(pane, ...nodes) {
  const content = $(pane + " .content");
  content.replaceChildren(...nodes.filter((node) => node != null));
}

function renderDetail(detail) {
  const base = "/api/invocations/" + detail.seq;
  $("#pick").hidden = true;
  $("#detail-head").hidden = false;
  $("#panes").hidden = false;
  $("#pane-logs").hidden = false;
  $("#title").textContent = "#" + detail.seq + " " + detail.method + " " + detail.path;
  const facts = [detail.source, detail.via, detail.done ? String(detail.status) : "running",
    ms(detail.durationMs), detail.maxMemoryUsedMb == null ? "" : detail.maxMemoryUsedMb + " MB",
    "RequestId " + detail.requestId];
  $("#facts").textContent = facts.filter(Boolean).join(" · ");
  $("#save").href = base + "/fixture";
  $("#replay").disabled = !detail.replayable;
  state.event = detail.event;
  fill("#pane-event", bodyView(detail.event, base + "/download/event"));
  const request = detail.appRequest;
  fill("#pane-request", request
    ? el("div", null, el("div", { class: "line" }, request.method + " " + request.target + " " + request.version),
      headerList(request.headers), bodyView(request.body, base + "/download/request"))
    : el("div", { class: "none" }, detail.done ? "No request reached the app." : "waiting ..."));
  const response = detail.appResponse;
  fill("#pane-response", response
    ? el("div", null, el("div", { class: "line" }, response.status + " " + response.reason +
      (response.complete ? "" : " (still arriving)")), headerList(response.headers),
      bodyView(response.body, base + "/download/response"),
      response.chunkCount > 1 ? timings(response.chunks, response.chunkCount) : null,
      response.trailers.length ? headerList(response.trailers) : null)
    : el("div", { class: "none" }, detail.done ? "The app sent no response." : "waiting ..."));
  fill("#pane-result", resultView(detail.result, detail.done, base));
  const logs = detail.logs.map((line) => "+" + line.atMs + " ms  " + line.text);
  if (detail.report) logs.push(detail.report.replaceAll("\t", "  "));
  fill("#pane-logs", el("pre", { class: "logs" }, logs.join("\n") || "(no lines)"));
}

function resultView(result, done, base) {
  if (!result) return el("div", { class: "none" }, done ? "No result." : "waiting ...");
  if (result.kind === "buffered") return bodyView(result.body, base + "/download/result");
  if (result.kind === "error") {
    return el("div", null, el("div", { class: "error" }, result.errorType + ": " + result.errorMessage),
      bodyView(result.body, base + "/download/result"));
  }
  return el("div", null,
    el("div", { class: "line" }, "Streamed, " + (result.contentType || "no content type") + ", " +
      size(result.bodyBytes) + " in " + result.chunkCount + " chunks"),
    result.errorType ? el("div", { class: "error" }, result.errorType + ": " + (result.errorMessage || "")) : null,
    el("div", { class: "line" }, "Prelude"),
    el("pre", { class: "prelude" }, JSON.stringify(result.prelude, null, 2)),
    el("div", { class: "line" }, "Chunk timings"), timings(result.chunks, result.chunkCount),
    el("div", { class: "line" }, "Trailers"),
    result.trailers.length ? headerList(result.trailers) : el("div", { class: "none" }, "(none)"));
}

async function select(seq) {
  state.selected = seq;
  for (const [other, row] of state.rows) row.classList.toggle("selected", other === seq);
  const response = await fetch("/api/invocations/" + seq);
  if (response.ok && state.selected === seq) renderDetail(await response.json());
}

async function invoke(url, body) {
  const response = await fetch(url, { method: "POST", body });
  const answer = await response.json();
  if (answer.seq) select(answer.seq);
  else alert(answer.error || "not sent");
}

function openEditor() {
  const event = state.event;
  if (!event) return;
  $("#editor-text").value = event.json || event.text || "";
  $("#editor-note").textContent = state.showSecrets ? "" :
    "Secret header values are masked here: put real ones back if the app needs them.";
  $("#editor").showModal();
}

async function start() {
  const data = await (await fetch("/api/invocations")).json();
  state.kept = data.kept;
  state.showSecrets = data.showSecrets;
  $("#about").textContent = Object.entries(data.about).map(([key, value]) => key + " " + value).join(" · ");
  for (const summary of [...data.invocations].reverse()) renderRow(summary);
  $("#kept").textContent = "Keeps the last " + state.kept + " invocations in memory (" + state.rows.size + " now)";
  const events = new EventSource("/api/stream");
  events.addEventListener("hello", () => {
    $("#live").textContent = "● live";
    $("#live").classList.remove("off");
  });
  events.addEventListener("invocation", (message) => {
    const summary = JSON.parse(message.data);
    renderRow(summary);
    if (summary.seq === state.selected) select(summary.seq);
  });
  events.onerror = () => {
    $("#live").textContent = "○ reconnecting";
    $("#live").classList.add("off");
  };
  $("#replay").addEventListener("click", () => invoke("/api/invocations/" + state.selected + "/replay"));
  $("#edit").addEventListener("click", openEditor);
  $("#editor-send").addEventListener("click", () => invoke("/api/invoke", $("#editor-text").value));
}

start();
`;
