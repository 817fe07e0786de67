/**
 * The inspector's page: plain HTML and CSS, no build step; its script is page_script.ts.
 *
 * @module
 */

/** Served as `/`; the script comes from `/app.js`. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lambda-adapter emulate: inspector</title>
<link rel="icon" href="data:,">
<style>
:root { --bg: #f6f7f9; --card: #fff; --ink: #1d2330; --muted: #667085; --line: #dde1e8;
  --accent: #2457c5; --bad: #b42318; --good: #067647; --pick: #eaf0fc;
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); }
header { display: flex; gap: 16px; align-items: baseline; padding: 10px 16px;
  background: #1d2330; color: #fff; }
header h1 { font-size: 15px; margin: 0; }
header h1 span { color: #9fb7ea; font-weight: 500; }
header .about, header .kept { color: #c5cbd6; }
header .live { margin-left: auto; color: #7ddc9d; }
header .live.off { color: #f19a8f; }
main { display: grid; grid-template-columns: minmax(540px, 38%) 1fr; gap: 12px; padding: 12px; }
section, .pane { background: var(--card); border: 1px solid var(--line); border-radius: 6px; }
#list-pane { overflow: auto; max-height: calc(100vh - 70px); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 7px; border-bottom: 1px solid var(--line);
  white-space: nowrap; }
th { position: sticky; top: 0; background: var(--card); color: var(--muted); font-weight: 600; }
tr.row { cursor: pointer; }
tr.row:hover { background: #f0f3f8; }
tr.row.selected { background: var(--pick); }
table { font-size: 12px; }
td.request { max-width: 190px; overflow: hidden; text-overflow: ellipsis; font-family: ui-monospace, monospace; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok .status { color: var(--good); }
.http4 .status { color: #b54708; }
.failed .status, .http5 .status { color: var(--bad); font-weight: 600; }
.running .status { color: var(--muted); font-style: italic; }
#empty { color: var(--muted); padding: 12px; }
#detail { padding: 12px; display: flex; flex-direction: column; gap: 10px; min-width: 0;
  background: transparent; border: 0; }
#detail-head { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; }
#detail-head h2 { font: 600 15px ui-monospace, monospace; margin: 0; }
.facts { color: var(--muted); }
.actions { display: flex; gap: 8px; margin-left: auto; }
button, a.button { font: inherit; padding: 4px 10px; border: 1px solid var(--line);
  border-radius: 4px; background: #fff; color: var(--ink); cursor: pointer; text-decoration: none; }
button:hover, a.button:hover { border-color: var(--accent); color: var(--accent); }
.panes { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
.pane { padding: 8px 10px; min-width: 0; }
.pane h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted);
  margin: 0 0 6px; }
.line { font: 600 12px ui-monospace, monospace; margin-bottom: 4px; word-break: break-all; }
.headers { font: 12px ui-monospace, monospace; margin: 0 0 6px; max-height: 180px; overflow: auto; }
.headers div { word-break: break-all; }
.headers b { color: var(--accent); font-weight: 500; }
.body .bar { display: flex; gap: 4px; align-items: center; margin: 4px 0; color: var(--muted); }
.body .bar button { padding: 1px 6px; font-size: 11px; }
.body .bar button.on { background: var(--pick); border-color: var(--accent); }
.body .bar .note { margin-left: 6px; }
pre { margin: 0; padding: 6px; background: #f8f9fb; border: 1px solid var(--line); border-radius: 4px;
  font: 12px/1.4 ui-monospace, monospace; max-height: 320px; overflow: auto; white-space: pre-wrap;
  word-break: break-all; }
.none { color: var(--muted); font-style: italic; }
.error { color: var(--bad); font-weight: 600; }
pre.logs { max-height: 220px; }
dialog { width: min(900px, 90vw); border: 1px solid var(--line); border-radius: 6px; }
dialog textarea { width: 100%; height: 55vh; font: 12px ui-monospace, monospace; }
</style>
</head>
<body>
<header>
  <h1>lambda-adapter <span>emulate · inspector</span></h1>
  <span class="about" id="about"></span>
  <span class="kept" id="kept"></span>
  <span class="live off" id="live">○ connecting</span>
</header>
<main>
  <section id="list-pane">
    <table id="invocations">
      <thead><tr><th>#</th><th>Request</th><th>Source</th><th>Status</th><th>Duration</th>
        <th title="Max Memory Used, from the REPORT line">Memory</th><th>Mode</th></tr></thead>
      <tbody></tbody>
    </table>
    <p id="empty">No invocations yet: send a request to the front door.</p>
  </section>
  <section id="detail">
    <p class="none" id="pick">Pick an invocation to see it hop by hop.</p>
    <div id="detail-head" hidden>
      <h2 id="title"></h2>
      <span class="facts" id="facts"></span>
      <div class="actions">
        <button id="replay">Replay</button>
        <button id="edit">Edit and send</button>
        <a class="button" id="save" download>Save as fixture</a>
      </div>
    </div>
    <div class="panes" id="panes" hidden>
      <article class="pane" id="pane-event"><h3>1 · Event, as the adapter received it</h3>
        <div class="content"></div></article>
      <article class="pane" id="pane-request"><h3>2 · Request the app received</h3>
        <div class="content"></div></article>
      <article class="pane" id="pane-response"><h3>3 · The app's response</h3>
        <div class="content"></div></article>
      <article class="pane" id="pane-result"><h3>4 · Lambda result</h3>
        <div class="content"></div></article>
    </div>
    <article class="pane" id="pane-logs" hidden><h3>Log lines of this request id</h3>
      <div class="content"></div></article>
  </section>
</main>
<dialog id="editor">
  <form method="dialog">
    <h3>Edit the event and send it</h3>
    <p class="none" id="editor-note"></p>
    <textarea id="editor-text" spellcheck="false"></textarea>
    <div class="actions">
      <button value="cancel">Cancel</button>
      <button id="editor-send" value="send">Send</button>
    </div>
  </form>
</dialog>
<script src="/app.js"></script>
</body>
</html>
`;
