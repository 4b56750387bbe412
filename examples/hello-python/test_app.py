"""Tests for the hello-python example, standard library unittest only.

Run from this folder:  /usr/bin/python3 -m unittest -v test_app
"""
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
from unittest import mock

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import app as hello  # noqa: E402  (import after the path is set)

SAMPLE_TARGET = "Python Sample v1 with Knative on EKS"
SAMPLE_ANSWER = "Hello World: Python Sample v1 with Knative on EKS!"


def env_without_target():
    env = dict(os.environ)
    env.pop("TARGET", None)
    return env


class HelloWorldTest(unittest.TestCase):
    def get_root(self):
        client = hello.create_app().test_client()
        response = client.get("/")
        return response.status_code, response.get_data(as_text=True)

    def test_default_target(self):
        with mock.patch.dict(os.environ, env_without_target(), clear=True):
            status, body = self.get_root()
        self.assertEqual(200, status)
        self.assertEqual("Hello World: NOT SPECIFIED!", body)

    def test_target_from_env(self):
        with mock.patch.dict(os.environ, {"TARGET": "EKS"}):
            status, body = self.get_root()
        self.assertEqual(200, status)
        self.assertEqual("Hello World: EKS!", body)

    def test_2019_sample_answer(self):
        with mock.patch.dict(os.environ, {"TARGET": SAMPLE_TARGET}):
            status, body = self.get_root()
        self.assertEqual(200, status)
        self.assertEqual(SAMPLE_ANSWER, body)

    def test_module_level_app_answers(self):
        with mock.patch.dict(os.environ, {"TARGET": SAMPLE_TARGET}):
            body = hello.app.test_client().get("/").get_data(as_text=True)
        self.assertEqual(SAMPLE_ANSWER, body)

    def test_unknown_path_is_404(self):
        status = hello.create_app().test_client().get("/nope").status_code
        self.assertEqual(404, status)


def free_loopback_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunAsScriptTest(unittest.TestCase):
    """Starts `python3 app.py` for real and asks it over HTTP."""

    PYTHON = "/usr/bin/python3"
    WAIT_SECONDS = 10.0

    def test_serves_on_port_from_env(self):
        port = free_loopback_port()
        env = env_without_target()
        env.update({"PORT": str(port), "TARGET": SAMPLE_TARGET})
        # The server's log goes to a file, so a full pipe can never block it.
        with tempfile.TemporaryFile() as log:
            proc = subprocess.Popen(
                [self.PYTHON, str(HERE / "app.py")],
                cwd=str(HERE),
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                body = self.wait_for_answer(proc, log, f"http://127.0.0.1:{port}/")
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)
        self.assertEqual(SAMPLE_ANSWER, body)

    def wait_for_answer(self, proc, log, url):
        deadline = time.monotonic() + self.WAIT_SECONDS
        last_error = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                log.seek(0)
                self.fail(
                    f"app.py exited early with {proc.returncode}: "
                    f"{log.read().decode(errors='replace')}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    self.assertEqual(200, response.status)
                    return response.read().decode()
            except (urllib.error.URLError, ConnectionError, OSError) as error:
                last_error = error
                time.sleep(0.2)
        self.fail(f"no answer from {url} within {self.WAIT_SECONDS}s: {last_error}")


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

    def test_base_image_pinned_by_tag(self):
        # The tag, not which one: Renovate moves it (renovate.json, dockerfile manager).
        froms = self.values("FROM")
        self.assertEqual(1, len(froms))
        self.assertRegex(froms[0], r"^python:3\.\d+-slim$")


if __name__ == "__main__":
    unittest.main(verbosity=2)
