#!/usr/bin/env python3
"""A local web server for the external-link tests; prints its port, then serves:
/ok 200, /missing 404, /moved 301 to /ok, /no-head 405 to HEAD and 200 to GET,
/flaky 503 the first time and 200 after, /slow answers after 5 seconds.
Every request is logged to stderr as "METHOD PATH". It stops after 60 seconds."""
import http.server
import sys
import threading
import time

seen = {}


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self, body):
        path = self.path
        sys.stderr.write(f"{self.command} {path}\n")
        sys.stderr.flush()
        seen[path] = seen.get(path, 0) + 1
        if path == "/ok":
            self.send(200, body)
        elif path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/no-head":
            self.send(405 if self.command == "HEAD" else 200, body)
        elif path == "/flaky":
            self.send(503 if seen[path] == 1 else 200, body)
        elif path == "/slow":
            time.sleep(5)
            self.send(200, body)
        else:
            self.send(404, body)

    def send(self, status, body):
        data = b"ok\n"
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def do_HEAD(self):
        self.answer(False)

    def do_GET(self):
        self.answer(True)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Timer(60, server.shutdown).start()
server.serve_forever()
