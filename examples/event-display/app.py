"""event-display for Knative on EKS: the modern form of Knative's event_display sink.

POST (any path) takes one CloudEvent, in binary mode (ce-* headers, body = data) or
structured mode (Content-Type: application/cloudevents+json), logs it to stdout as
one readable block and answers 202. GET / is a health check.
"""
import base64
import json
import os
import threading
from urllib.parse import unquote

from flask import Flask, request

DEFAULT_PORT = 8080
HEALTH_ANSWER = "event-display: POST CloudEvents here"
REQUIRED_ATTRIBUTES = ("id", "source", "type", "specversion")
# Context attributes in the order Knative's event_display prints them; others are extensions.
CONTEXT_ATTRIBUTES = (
    "specversion", "type", "source", "subject", "id", "time", "dataschema", "datacontenttype",
)
STRUCTURED_MIMETYPE = "application/cloudevents+json"
# gunicorn serves with threads: one event's block must not interleave with another's.
_print_lock = threading.Lock()


def format_event(attributes, data=None):
    """Render a CloudEvent as the readable block event_display logs.

    attributes maps attribute names to values (context attributes and extensions);
    data is the event's data as str or bytes, or None when the event has none.
    """
    lines = ["☁️  cloudevents.Event", "Context Attributes,"]
    lines += [f"  {name}: {_one_line(attributes[name])}"
              for name in CONTEXT_ATTRIBUTES if name in attributes]
    extensions = sorted(name for name in attributes if name not in CONTEXT_ATTRIBUTES)
    if extensions:
        lines.append("Extensions,")
        lines += [f"  {name}: {_one_line(attributes[name])}" for name in extensions]
    if isinstance(data, bytes):
        data = data.decode("utf-8", errors="replace")
    if data:
        lines.append("Data,")
        lines += [f"  {line}" for line in data.splitlines()]
    return "\n".join(lines)


def _one_line(value):
    # JSON values (structured mode) print as JSON; newlines could fake log lines.
    text = value if isinstance(value, str) else json.dumps(value)
    return text.replace("\r", "\\r").replace("\n", "\\n")


def binary_event(headers, body):
    """Attributes and data of a binary-mode event (ce-* headers, percent-decoded)."""
    attributes = {name[3:].lower(): unquote(value)
                  for name, value in headers.items() if name.lower().startswith("ce-")}
    if "Content-Type" in headers:
        attributes["datacontenttype"] = headers["Content-Type"]
    return attributes, body


def structured_event(document):
    """Attributes and data of a structured-mode event (a JSON object)."""
    if not isinstance(document, dict):
        return {}, None
    attributes = {name: value for name, value in document.items()
                  if name not in ("data", "data_base64")}
    if "data_base64" in document:
        try:
            data = base64.b64decode(document["data_base64"], validate=True)
        except (TypeError, ValueError):
            raise ValueError("data_base64 is not base64") from None
    elif document.get("data") is not None:
        data = document["data"]
        data = data if isinstance(data, str) else json.dumps(data)
    else:
        data = None
    return attributes, data


def not_a_cloudevent(reason):
    return f"not a CloudEvent: {reason}\n", 400, {"Content-Type": "text/plain; charset=utf-8"}


def create_app():
    """Build the Flask application."""
    flask_app = Flask(__name__)

    @flask_app.get("/")
    def health():
        return HEALTH_ANSWER

    @flask_app.post("/", defaults={"path": ""})
    @flask_app.post("/<path:path>")
    def receive(path):
        structured = request.mimetype == STRUCTURED_MIMETYPE
        try:
            if structured:
                attributes, data = structured_event(request.get_json(force=True, silent=True))
            else:
                attributes, data = binary_event(request.headers, request.get_data())
        except ValueError as error:
            return not_a_cloudevent(str(error))
        prefix = "" if structured else "ce-"
        missing = [prefix + name for name in REQUIRED_ATTRIBUTES if not attributes.get(name)]
        if missing:
            return not_a_cloudevent(f"missing {', '.join(missing)}")
        block = format_event(attributes, data)
        with _print_lock:
            print(block, flush=True)
        return "", 202

    return flask_app


app = create_app()


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", DEFAULT_PORT)))
