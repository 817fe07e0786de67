"""A small app for the tests of `emulate`'s sizing: REPORT memory, --enforce-memory, --env-file.

Its memory lives in a worker process it starts, so the memory a test asks for is held by a
grandchild of the command `emulate` runs (`sh -c "python3 sizing_app.py; ..."`):
- GET /hold/{mib}: the worker allocates mib more MiB, touches every page and keeps them.
- GET /env/{name}: the variable's value ("" when unset).
- GET /: "ok". POST is read as GET (the request body is not read).
Listens on 127.0.0.1:$PORT and prints "sizing app listening on {port}".
"""

import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

WORKER = r"""
import sys
held = []
for line in sys.stdin:
    size = int(line) * 1024 * 1024
    block = bytearray(size)
    for offset in range(0, size, 4096):
        block[offset] = 1
    held.append(block)
    print("held", flush=True)
"""

worker = subprocess.Popen(
    [sys.executable, "-c", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = "ok"
        if self.path.startswith("/hold/"):
            worker.stdin.write(self.path[len("/hold/"):] + "\n")
            worker.stdin.flush()
            body = worker.stdout.readline().strip()
        elif self.path.startswith("/env/"):
            body = os.environ.get(self.path[len("/env/"):], "")
        data = body.encode()
        self.send_response(200)
        self.send_header("content-type", "text/plain; charset=utf-8")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_POST = do_GET

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8080"))), Handler)
print(f"sizing app listening on {server.server_port}", flush=True)
server.serve_forever()
