"""Logs every request (a CloudEvent from the schedule) with its ce-* headers; answers 200."""
import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class Audit(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        events = {k: v for k, v in self.headers.items() if k.lower().startswith("ce-")}
        print("event", events, body.decode(errors="replace"), flush=True)
        self.send_response(200)
        self.end_headers()

    do_GET = do_POST


if __name__ == "__main__":
    HTTPServer(("", int(os.environ.get("PORT", "8080"))), Audit).serve_forever()
