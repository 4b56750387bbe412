"""Tests for the event-display example, standard library unittest only.

Run from this folder:  /usr/bin/python3 -m unittest -v test_app
"""
import contextlib
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import app as display  # noqa: E402  (import after the path is set)

PING_SOURCE = "/apis/v1/namespaces/default/pingsources/every-minute"
PING_DATA = '{"message": "Hello from knative-on-eks"}'
PING_HEADERS = {
    "ce-id": "5f4a9c3e-2b1d-4e0a-9a6f-0c8d7e6b5a41",
    "ce-source": PING_SOURCE,
    "ce-type": "dev.knative.sources.ping",
    "ce-specversion": "1.0",
    "ce-time": "2025-11-27T03:00:00.000Z",
    "Content-Type": "application/json",
}
PING_BLOCK = "\n".join([
    "☁️  cloudevents.Event",
    "Context Attributes,",
    "  specversion: 1.0",
    "  type: dev.knative.sources.ping",
    f"  source: {PING_SOURCE}",
    "  id: 5f4a9c3e-2b1d-4e0a-9a6f-0c8d7e6b5a41",
    "  time: 2025-11-27T03:00:00.000Z",
    "  datacontenttype: application/json",
    "Data,",
    f"  {PING_DATA}",
])


def section(block, title):
    """The `name: value` lines under one heading of a logged block, as a dict."""
    lines = block.splitlines()
    if f"{title}," not in lines:
        return {}
    values = {}
    for line in lines[lines.index(f"{title},") + 1:]:
        if not line.startswith("  "):
            break
        name, sep, value = line[2:].partition(": ")
        if not sep:
            raise AssertionError(f"not a `name: value` line under {title}: {line!r}")
        if name in values:
            raise AssertionError(f"{name} logged twice under {title}")
        values[name] = value
    return values


class FormatEventTest(unittest.TestCase):
    """format_event is pure: attributes and data in, the logged block out."""

    def test_ping_event_block(self):
        attributes = {
            "specversion": "1.0",
            "type": "dev.knative.sources.ping",
            "source": PING_SOURCE,
            "id": "5f4a9c3e-2b1d-4e0a-9a6f-0c8d7e6b5a41",
            "time": "2025-11-27T03:00:00.000Z",
            "datacontenttype": "application/json",
        }
        self.assertEqual(PING_BLOCK, display.format_event(attributes, PING_DATA))

    def test_context_attributes_in_event_display_order(self):
        # Given out of order, printed in event_display's order.
        attributes = {"id": "1", "datacontenttype": "text/plain", "subject": "s",
                      "time": "t", "source": "/src", "specversion": "1.0",
                      "dataschema": "https://example.com/schema", "type": "x.y"}
        names = [line.split(":")[0].strip()
                 for line in display.format_event(attributes).splitlines()[2:]]
        self.assertEqual(list(display.CONTEXT_ATTRIBUTES), names)

    def test_extensions_sorted_in_their_own_section(self):
        block = display.format_event(
            {"specversion": "1.0", "type": "t", "source": "/s", "id": "1",
             "knativearrivaltime": "2025-11-27T03:00:00.1Z", "bext": "b"},
            "x",
        )
        self.assertEqual({"specversion": "1.0", "type": "t", "source": "/s", "id": "1"},
                         section(block, "Context Attributes"))
        self.assertIn("Extensions,\n  bext: b\n  knativearrivaltime: 2025-11-27T03:00:00.1Z\n",
                      block)

    def test_no_data_no_data_section(self):
        for data in (None, "", b""):
            with self.subTest(data=data):
                block = display.format_event({"id": "1"}, data)
                self.assertNotIn("Data,", block)
                self.assertTrue(block.endswith("  id: 1"))

    def test_bytes_and_multi_line_data_indented(self):
        block = display.format_event({"id": "1"}, "{\n  \"a\": 1\n}".encode())
        self.assertTrue(block.endswith('Data,\n  {\n    "a": 1\n  }'), block)

    def test_attribute_values_stay_on_one_line(self):
        block = display.format_event({"id": "1\n  type: forged", "ext": 7, "flag": True})
        self.assertEqual({"id": "1\\n  type: forged"}, section(block, "Context Attributes"))
        self.assertEqual({"ext": "7", "flag": "true"}, section(block, "Extensions"))


class ReceiveTest(unittest.TestCase):
    """The app through Flask's test client, with stdout captured."""

    def setUp(self):
        self.client = display.create_app().test_client()

    def post(self, path="/", **kwargs):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            response = self.client.post(path, **kwargs)
        return response, out.getvalue()

    def assert_accepted(self, response):
        self.assertEqual(202, response.status_code)
        self.assertEqual(b"", response.get_data())

    def test_binary_event_logged_and_accepted(self):
        response, logged = self.post(headers=PING_HEADERS, data=PING_DATA)
        self.assert_accepted(response)
        self.assertEqual(PING_BLOCK + "\n", logged)

    def test_log_block_has_exactly_the_attributes(self):
        headers = dict(PING_HEADERS, **{"ce-subject": "every-minute"})
        response, logged = self.post(headers=headers, data=PING_DATA)
        self.assert_accepted(response)
        expected = {name[3:]: value for name, value in headers.items() if name.startswith("ce-")}
        expected["datacontenttype"] = headers["Content-Type"]
        self.assertEqual(expected, section(logged, "Context Attributes"))
        self.assertEqual({}, section(logged, "Extensions"))
        self.assertEqual(1, logged.count("☁️  cloudevents.Event"))

    def test_binary_extensions_and_percent_decoding(self):
        headers = dict(PING_HEADERS, **{"Ce-Knativearrivaltime": "2025-11-27T03:00:00.1Z",
                                        "ce-subject": "caf%C3%A9%20menu"})
        response, logged = self.post(headers=headers, data=PING_DATA)
        self.assert_accepted(response)
        self.assertEqual("café menu", section(logged, "Context Attributes")["subject"])
        self.assertEqual({"knativearrivaltime": "2025-11-27T03:00:00.1Z"},
                         section(logged, "Extensions"))

    def test_binary_event_without_data(self):
        headers = {k: v for k, v in PING_HEADERS.items() if k != "Content-Type"}
        response, logged = self.post(headers=headers)
        self.assert_accepted(response)
        self.assertIn("  id: 5f4a9c3e-2b1d-4e0a-9a6f-0c8d7e6b5a41\n", logged)
        self.assertNotIn("Data,", logged)

    def test_any_path_accepted(self):
        response, logged = self.post("/some/trigger/path", headers=PING_HEADERS, data=PING_DATA)
        self.assert_accepted(response)
        self.assertEqual(PING_BLOCK + "\n", logged)

    def test_structured_event_logged_and_accepted(self):
        event = {
            "specversion": "1.0",
            "type": "dev.knative.sources.ping",
            "source": PING_SOURCE,
            "id": "structured-1",
            "time": "2025-11-27T03:01:00Z",
            "datacontenttype": "application/json",
            "knativearrivaltime": "2025-11-27T03:01:00.2Z",
            "data": {"message": "Hello from knative-on-eks"},
        }
        response, logged = self.post(
            data=json.dumps(event),
            content_type="application/cloudevents+json; charset=utf-8",
            # ce-* headers do not count in structured mode.
            headers={"ce-id": "ignored"},
        )
        self.assert_accepted(response)
        self.assertEqual(
            {k: v for k, v in event.items() if k not in ("data", "knativearrivaltime")},
            section(logged, "Context Attributes"),
        )
        self.assertEqual({"knativearrivaltime": "2025-11-27T03:01:00.2Z"},
                         section(logged, "Extensions"))
        self.assertTrue(logged.endswith(f"Data,\n  {PING_DATA}\n"), logged)

    def test_structured_data_base64(self):
        event = {"specversion": "1.0", "type": "t", "source": "/s", "id": "b64",
                 "data_base64": "aGVsbG8gYmluYXJ5"}
        response, logged = self.post(data=json.dumps(event),
                                     content_type="application/cloudevents+json")
        self.assert_accepted(response)
        self.assertTrue(logged.endswith("Data,\n  hello binary\n"), logged)
        self.assertNotIn("data_base64", logged)

    def assert_rejected(self, response, logged, message):
        self.assertEqual(400, response.status_code)
        self.assertEqual(f"not a CloudEvent: {message}\n", response.get_data(as_text=True))
        self.assertEqual("", logged, "a rejected request must log nothing")

    def test_plain_post_is_400(self):
        response, logged = self.post(data="hello", content_type="text/plain")
        self.assert_rejected(response, logged, "missing ce-id, ce-source, ce-type, ce-specversion")

    def test_binary_missing_one_required_header_is_400(self):
        for header in ("ce-id", "ce-source", "ce-type", "ce-specversion"):
            with self.subTest(missing=header):
                headers = {k: v for k, v in PING_HEADERS.items() if k != header}
                response, logged = self.post(headers=headers, data=PING_DATA)
                self.assert_rejected(response, logged, f"missing {header}")

    def test_structured_not_json_or_incomplete_is_400(self):
        cases = {
            "{not json": "missing id, source, type, specversion",
            "[1, 2]": "missing id, source, type, specversion",
            json.dumps({"specversion": "1.0", "type": "t", "source": "/s"}): "missing id",
            json.dumps({"specversion": "1.0", "type": "t", "source": "/s", "id": "1",
                        "data_base64": "not base64!"}): "data_base64 is not base64",
        }
        for body, message in cases.items():
            with self.subTest(body=body):
                response, logged = self.post(data=body,
                                             content_type="application/cloudevents+json")
                self.assert_rejected(response, logged, message)

    def test_get_root_is_health(self):
        response = self.client.get("/")
        self.assertEqual(200, response.status_code)
        self.assertEqual("event-display: POST CloudEvents here", response.get_data(as_text=True))

    def test_module_level_app_answers(self):
        self.assertEqual(200, display.app.test_client().get("/").status_code)


def free_loopback_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunAsScriptTest(unittest.TestCase):
    """Starts `python3 app.py` for real, POSTs a binary CloudEvent and reads its stdout."""

    PYTHON = "/usr/bin/python3"
    WAIT_SECONDS = 10.0

    def test_logs_posted_event_to_stdout(self):
        port = free_loopback_port()
        env = dict(os.environ, PORT=str(port))
        # Without PYTHONUNBUFFERED stdout to a file is block-buffered: the event only
        # shows up now if app.py flushes it itself.
        env.pop("PYTHONUNBUFFERED", None)
        event_id = f"subprocess-{os.getpid()}-{time.monotonic_ns()}"
        data = '{"message": "Hello from a real process"}'
        # stdout and stderr go to files, so a full pipe can never block the server.
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            proc = subprocess.Popen(
                [self.PYTHON, str(HERE / "app.py")],
                cwd=str(HERE),
                env=env,
                stdout=out,
                stderr=err,
            )
            try:
                url = f"http://127.0.0.1:{port}/"
                self.wait_for_health(proc, err, url)
                status = self.post_event(url, dict(PING_HEADERS, **{"ce-id": event_id}), data)
                # print(..., flush=True) ran before the answer, so stdout is complete now.
                out.seek(0)
                logged = out.read().decode("utf-8", errors="replace")
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)
        self.assertEqual(202, status)
        self.assertIn(f"  id: {event_id}\n", logged)
        self.assertIn(f"Data,\n  {data}\n", logged)
        self.assertIn("  type: dev.knative.sources.ping\n", logged)

    def wait_for_health(self, proc, err, url):
        deadline = time.monotonic() + self.WAIT_SECONDS
        last_error = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                err.seek(0)
                self.fail(
                    f"app.py exited early with {proc.returncode}: "
                    f"{err.read().decode(errors='replace')}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    self.assertEqual(200, response.status)
                    return
            except (urllib.error.URLError, ConnectionError, OSError) as error:
                last_error = error
                time.sleep(0.2)
        self.fail(f"no answer from {url} within {self.WAIT_SECONDS}s: {last_error}")

    @staticmethod
    def post_event(url, headers, data):
        request = urllib.request.Request(url, data=data.encode(), headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status


class DockerfileTest(unittest.TestCase):
    """Guards the image's non-root user and port against silent regression."""

    @classmethod
    def setUpClass(cls):
        text = (HERE / "Dockerfile").read_text()
        # Join continuation lines, drop comments and blank lines.
        text = re.sub(r"\\\n", " ", text)
        cls.instructions = []
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                keyword, _, rest = line.partition(" ")
                cls.instructions.append((keyword.upper(), rest.strip()))

    def values(self, keyword):
        return [rest for kw, rest in self.instructions if kw == keyword]

    def test_runs_as_non_root_numeric_user(self):
        users = self.values("USER")
        self.assertTrue(users, "Dockerfile has no USER line")
        # The last USER wins: it must be a numeric, non-zero UID (optionally uid:gid).
        match = re.fullmatch(r"(\d+)(?::(\d+))?", users[-1])
        self.assertIsNotNone(match, f"USER must be numeric, got {users[-1]!r}")
        self.assertNotEqual(0, int(match.group(1)), "USER must not be root (0)")
        if match.group(2) is not None:
            self.assertNotEqual(0, int(match.group(2)), "group must not be root (0)")

    def test_user_is_set_before_cmd(self):
        keywords = [kw for kw, _ in self.instructions]
        self.assertIn("CMD", keywords, "Dockerfile has no CMD")
        self.assertIn("USER", keywords, "Dockerfile has no USER line")
        last_user = len(keywords) - 1 - keywords[::-1].index("USER")
        self.assertLess(last_user, keywords.index("CMD"), "USER must come before CMD")

    def test_exposes_8080(self):
        ports = " ".join(self.values("EXPOSE")).split()
        self.assertIn("8080", [p.split("/")[0] for p in ports])

    def test_default_port_env_and_gunicorn_honours_it(self):
        self.assertTrue(
            any(re.search(r"\bPORT=8080\b", env) for env in self.values("ENV")),
            "Dockerfile must set ENV PORT=8080",
        )
        cmds = self.values("CMD")
        self.assertEqual(1, len(cmds))
        self.assertFalse(cmds[0].startswith("["), "CMD must be shell form so $PORT expands")
        self.assertRegex(cmds[0], r"^exec gunicorn .*--bind \S*:\$PORT\b.* app:app$")

    def test_unbuffered_so_events_reach_the_log(self):
        self.assertTrue(
            any(re.search(r"\bPYTHONUNBUFFERED=1\b", env) for env in self.values("ENV")),
            "Dockerfile must set ENV PYTHONUNBUFFERED=1",
        )

    def test_base_image_pinned_by_tag(self):
        # The tag, not which one: Renovate moves it (renovate.json, dockerfile manager).
        froms = self.values("FROM")
        self.assertEqual(1, len(froms))
        self.assertRegex(froms[0], r"^python:3\.\d+-slim$")


if __name__ == "__main__":
    unittest.main(verbosity=2)
