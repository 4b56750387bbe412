"""Tests of the deploy-time readiness wait (src/io/knativeoneks/readiness_wait.py): its decisions against a scripted
API, and its handling of faults against a local HTTPS API server on 127.0.0.1 with certificate authorities made here.
The wait's clock and sleep are fakes, so minutes of waiting take milliseconds; sockets and TLS are real."""
import base64
import contextlib
import http.server
import io
import json
import os
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
from unittest import mock

sys.dont_write_bytecode = True  # no __pycache__ next to the handler in src/
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "src", "io", "knativeoneks"))
import readiness_wait as rw  # noqa: E402


class ScriptedApi:
    """Answers each poll with the next state of a script; the last state repeats."""

    def __init__(self, *states):
        self.states = list(states)
        self.polls = 0

    def _state(self):
        return self.states[min(self.polls, len(self.states) - 1)]

    def get(self, path):
        state = self._state()
        self.polls += 1
        return state.get("object")

    def pods(self, namespace, labels):
        self.labels = labels
        return self.states[min(self.polls - 1, len(self.states) - 1)].get("pods", [])


class Clock:
    """The wait's clock: only its sleeps move it. on_sleep, if set, runs at the first sleep."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []
        self.on_sleep = None

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        if self.on_sleep:
            self.on_sleep()
            self.on_sleep = None
        self.sleeps.append(seconds)
        self.now += seconds


def job(*conditions):
    return {"status": {"conditions": [{"type": t, "status": "True", "reason": r, "message": m}
                                      for t, r, m in conditions]}}


def pod(name, **container_state):
    return {"metadata": {"name": name}, "status": {"containerStatuses": [dict(name="kaniko", **container_state)]}}


def deployment(ready):
    return {"spec": {"selector": {"matchLabels": {"app": "webhook"}}}, "status": {"readyReplicas": ready}}


def waiting(reason, message=""):
    return {"waiting": {"reason": reason, "message": message}}


def run(api, kind="Job", timeout=600, clock=None):
    clock = clock or Clock()
    result = rw.wait(api, kind, "default", "hello-build-1234", timeout, clock=clock, sleep=clock.sleep)
    return result, clock.now


class JobTest(unittest.TestCase):
    def test_waits_until_the_job_completes(self):
        running = {"object": job(), "pods": [pod("p1", state={"running": {}})]}
        api = ScriptedApi({"object": None}, running, running, {"object": job(("Complete", "", ""))})
        result, elapsed = run(api)
        self.assertEqual(result, "Job default/hello-build-1234: succeeded")
        self.assertEqual(elapsed, 3 * rw.POLL_SECONDS)
        self.assertEqual(api.labels, {"job-name": "hello-build-1234"})

    def test_a_failed_build_fails_at_once_with_its_last_log_lines(self):
        failed = pod("p1", state={"terminated": {"exitCode": 1, "message": "error building image: COPY failed: "
                                                 "file not found: requirements.txt"}})
        api = ScriptedApi({"object": job(), "pods": [pod("p1", state={"running": {}})]},
                          {"object": job(("Failed", "BackoffLimitExceeded", "Job has reached the backoff limit")),
                           "pods": [failed]})
        with self.assertRaises(rw.Failed) as raised:
            run(api)
        message = str(raised.exception)
        self.assertIn("Job default/hello-build-1234 failed", message)
        self.assertIn("exited 1: error building image: COPY failed: file not found: requirements.txt", message)
        self.assertEqual(api.polls, 2)

    def test_failure_target_counts_as_failed_and_falls_back_to_the_condition(self):
        api = ScriptedApi({"object": job(("FailureTarget", "DeadlineExceeded", "Job was active longer than "
                                                                                 "specified deadline")), "pods": []})
        with self.assertRaisesRegex(rw.Failed, "DeadlineExceeded: Job was active longer than specified deadline"):
            run(api)

    def test_an_image_already_pushed_to_an_immutable_repository_counts_as_built(self):
        message = ("error pushing image: tag invalid: The image tag 'git-1' already exists in the 'hello' repository "
                   "and cannot be overwritten because the repository is immutable.")
        api = ScriptedApi({"object": job(("Failed", "BackoffLimitExceeded", "")),
                           "pods": [pod("p1", state={"terminated": {"exitCode": 1, "message": message}})]})
        result, _ = run(api)
        self.assertIn("image already in the repository", result)

    def test_an_invalid_image_reference_fails_at_once(self):
        for reason in ("InvalidImageName", "ErrImageNeverPull"):
            api = ScriptedApi({"object": job(), "pods": [pod("p1", state=waiting(reason, "bad reference"))]})
            with self.assertRaisesRegex(rw.Failed, f"pod p1, container kaniko: {reason}: bad reference"):
                run(api)
            self.assertEqual(api.polls, 1)

    def test_a_failing_pull_fails_once_it_has_failed_for_a_minute_without_a_break(self):
        backoff = {"object": job(), "pods": [pod("p1", state=waiting(
            "ImagePullBackOff", "Back-off pulling image \"ghcr.io/x/kaniko:v0\""))]}
        err = {"object": job(), "pods": [pod("p1", state=waiting("ErrImagePull", "429 Too Many Requests"))]}
        running = {"object": job(), "pods": [pod("p1", state={"running": {}})]}
        # 0-20 s failing, 30 s a break (the pull restarts), then failing again from 40 s: fails at 100 s.
        api = ScriptedApi(backoff, err, backoff, running, err, backoff)
        with self.assertRaises(rw.Failed) as raised:
            run(api)
        self.assertEqual(str(raised.exception), "Job default/hello-build-1234: pod p1, container kaniko: "
                                                "ImagePullBackOff for 60 s: Back-off pulling image "
                                                "\"ghcr.io/x/kaniko:v0\"")
        self.assertEqual(api.polls, 11)

    def test_times_out_with_what_it_saw_last(self):
        api = ScriptedApi({"object": job(), "pods": [pod("p1", state=waiting("ContainerCreating"))]})
        with self.assertRaises(rw.Failed) as raised:
            run(api, timeout=60)
        self.assertEqual(str(raised.exception), "Job default/hello-build-1234 not ready after 60 s; last seen: "
                                                "pod p1, container kaniko waiting (ContainerCreating)")

    def test_a_long_log_is_cut_to_its_end(self):
        log = "x" * 5000 + " the real error"
        api = ScriptedApi({"object": job(("Failed", "", "")),
                           "pods": [pod("p1", state={"terminated": {"exitCode": 2, "message": log}})]})
        with self.assertRaises(rw.Failed) as raised:
            run(api)
        self.assertTrue(str(raised.exception).endswith("the real error"))
        self.assertLess(len(str(raised.exception)), rw.MAX_REASON + 100)


class DeploymentTest(unittest.TestCase):
    def test_ready_with_one_ready_replica(self):
        api = ScriptedApi({"object": None}, {"object": deployment(0), "pods": []}, {"object": deployment(1)})
        result, elapsed = run(api, kind="Deployment")
        self.assertEqual(result, "Deployment default/hello-build-1234: ready")
        self.assertEqual(elapsed, 2 * rw.POLL_SECONDS)

    def test_a_crash_loop_fails_with_the_last_termination_message(self):
        crashing = pod("w1", state=waiting("CrashLoopBackOff"), restartCount=3,
                       lastState={"terminated": {"exitCode": 1, "message": "panic: no CA bundle"}})
        api = ScriptedApi({"object": deployment(0), "pods": [crashing]})
        with self.assertRaisesRegex(rw.Failed, "CrashLoopBackOff: panic: no CA bundle"):
            run(api, kind="Deployment")
        self.assertEqual(api.labels, {"app": "webhook"})

    def test_a_few_restarts_are_not_a_crash_loop_yet(self):
        restarting = pod("w1", state=waiting("CrashLoopBackOff"), restartCount=1)
        api = ScriptedApi({"object": deployment(0), "pods": [restarting]}, {"object": deployment(1)})
        result, _ = run(api, kind="Deployment")
        self.assertIn("ready", result)


class ServiceDeletedTest(unittest.TestCase):
    """On destroy: the gateway's Service (and so its load balancer) is gone before the cluster is deleted."""

    class Api:
        def __init__(self, services, events=()):
            self.services = list(services)
            self.events = list(events)
            self.paths = []

        def get(self, path):
            self.paths.append(path)
            if "/events?" in path:
                return {"items": self.events}
            return self.services.pop(0) if len(self.services) > 1 else self.services[0]

    def wait(self, api, timeout=600):
        clock = Clock()
        return rw.wait_deleted(api, "istio-system", "istio-ingressgateway", timeout, clock=clock,
                               sleep=clock.sleep), clock.now

    def test_returns_once_the_service_is_gone(self):
        held = {"metadata": {"deletionTimestamp": "2026-12-01T10:00:00Z"}}
        result, elapsed = self.wait(self.Api([held, held, None]))
        self.assertEqual(result, "Service istio-system/istio-ingressgateway: deleted")
        self.assertEqual(elapsed, 2 * rw.POLL_SECONDS)

    def test_a_service_held_by_its_load_balancer_fails_the_destroy_with_the_last_warning(self):
        held = {"metadata": {"deletionTimestamp": "2026-12-01T10:00:00Z",
                             "finalizers": ["service.kubernetes.io/load-balancer-cleanup"]}}
        events = [{"type": "Warning", "reason": "SyncLoadBalancerFailed", "message": "old",
                   "lastTimestamp": "2026-12-01T09:00:00Z"},
                  {"type": "Normal", "reason": "DeletingLoadBalancer", "message": "Deleting load balancer",
                   "lastTimestamp": "2026-12-01T10:00:01Z"},
                  {"type": "Warning", "reason": "DeletingLoadBalancerFailed", "message": "AccessDenied: "
                   "elasticloadbalancing:DeleteLoadBalancer", "lastTimestamp": "2026-12-01T10:00:02Z"}]
        api = self.Api([held], events)
        with self.assertRaises(rw.Failed) as raised:
            self.wait(api, timeout=60)
        message = str(raised.exception)
        self.assertIn("Service istio-system/istio-ingressgateway still exists 60 s after its chart's uninstall: it is "
                      "being deleted, held by its finalizers service.kubernetes.io/load-balancer-cleanup; last "
                      "warning: DeletingLoadBalancerFailed: AccessDenied: elasticloadbalancing:DeleteLoadBalancer. "
                      "Deleting the cluster now would leave its load balancer behind", message)
        self.assertIn("kubectl describe service -n istio-system istio-ingressgateway", message)
        self.assertIn("involvedObject.kind%3DService%2CinvolvedObject.name%3Distio-ingressgateway", api.paths[-1])

    def test_a_service_the_uninstall_never_deleted_says_so(self):
        with self.assertRaisesRegex(rw.Failed, "it was not deleted \\(its chart's uninstall failed before it\\)\\. "
                                               "Deleting the cluster"):
            self.wait(self.Api([{"metadata": {}}]), timeout=10)

    def test_an_api_server_that_does_not_answer_fails_with_what_to_do(self):
        class Unreachable:
            def get(self, path):
                raise urllib.error.URLError("timed out")

        with self.assertRaisesRegex(rw.Failed, "cannot read Service istio-system/istio-ingressgateway to check that "
                                               "its load balancer is deleted: <urlopen error timed out>.*"
                                               "--retain-resources"):
            self.wait(Unreachable())


def certificate_authority(directory, name, key_identifiers):
    """Makes a CA and a certificate for 127.0.0.1 it signed, with or without subject and authority key identifiers
    (EKS clusters made before Kubernetes 1.17 have none); returns the paths of the CA, the certificate and its key."""
    ski, aki = ("hash", "keyid:always") if key_identifiers else ("none", "none")
    config = os.path.join(directory, name + ".cnf")
    with open(config, "w") as f:
        f.write(f"[req]\ndistinguished_name = dn\n[dn]\n"
                f"[ca]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n"
                f"subjectKeyIdentifier = {ski}\nauthorityKeyIdentifier = {aki}\n"
                f"[server]\nsubjectAltName = IP:127.0.0.1\nextendedKeyUsage = serverAuth\n"
                f"subjectKeyIdentifier = {ski}\nauthorityKeyIdentifier = {aki}\n")
    ca, ca_key, cert, key, csr = (os.path.join(directory, name + suffix)
                                  for suffix in ("-ca.pem", "-ca.key", ".pem", ".key", ".csr"))
    for command in (
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca, "-days", "1",
             "-subj", "/CN=kubernetes", "-config", config, "-extensions", "ca"],
            ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=kube-apiserver",
             "-config", config],
            ["x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert, "-days", "1",
             "-extfile", config, "-extensions", "server"]):
        subprocess.run(["openssl"] + command, check=True, capture_output=True)
    return ca, cert, key


def in_turn(*answers):
    """A script that answers each request with the next answer; the last repeats."""
    answers = list(answers)
    return lambda path, now: answers.pop(0) if len(answers) > 1 else answers[0]


def answer(obj, status=200, headers=()):
    def write(handler):
        body = json.dumps(obj).encode()
        handler.send_response(status)
        for header in headers:
            handler.send_header(*header)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return write


def refuse(status, message, headers=()):
    """An error answer with a Kubernetes Status."""
    return answer({"kind": "Status", "status": "Failure", "message": message, "code": status}, status, headers)


def hang_up(handler):
    """Closes the connection without an answer."""
    handler.close_connection = True


def cut_short(obj):
    """Announces a longer body than it sends, then closes."""
    def write(handler):
        body = json.dumps(obj).encode()
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body) + 100))
        handler.end_headers()
        handler.wfile.write(body)
        handler.close_connection = True
    return write


def slow(obj, seconds):
    """Answers after a delay longer than the client waits."""
    def write(handler):
        time.sleep(seconds)
        with contextlib.suppress(OSError):
            answer(obj)(handler)
    return write


class FaultyApiServer(http.server.ThreadingHTTPServer):
    """An HTTPS API server on 127.0.0.1 that answers each request as its script says: script(path, now) returns an
    answer (a function of the request handler), now being the wait's fake clock. Its next `resets` connections are
    reset before the TLS handshake."""
    daemon_threads = True

    def __init__(self, cert, key, listening=True):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server = self.server
                server.requests.append((self.path, self.headers.get("Authorization")))
                server.script(self.path, server.clock())(self)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler, bind_and_activate=False)
        self.server_bind()
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(cert, key)
        self.requests = []
        self.resets = 0
        self.script = None
        self.clock = None
        self.serving = False
        if listening:
            self.start()

    def start(self):
        """Listens (until then, connections are refused) and serves."""
        self.server_activate()
        threading.Thread(target=self.serve_forever, daemon=True).start()
        self.serving = True

    def close(self):
        if self.serving:
            self.shutdown()
        self.server_close()

    def get_request(self):
        connection, address = self.socket.accept()
        if self.resets:
            self.resets -= 1
            connection.recv(4096)  # the client's hello
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.close()
            raise ConnectionResetError("reset on purpose")
        return self.tls.wrap_socket(connection, server_side=True), address

    def handle_error(self, request, client_address):
        """The faults break connections on purpose."""

    @property
    def endpoint(self):
        return f"https://127.0.0.1:{self.server_address[1]}"


COMPLETE = answer(job(("Complete", "", "")))


@unittest.skipUnless(shutil.which("openssl"), "needs openssl to make certificate authorities")
class FaultTest(unittest.TestCase):
    """The wait against a local HTTPS API server that fails in the ways an API server and a network do."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        cls.ca, cls.cert, cls.key = certificate_authority(cls.dir, "kubernetes", key_identifiers=True)
        cls.server = FaultyApiServer(cls.cert, cls.key)
        cls.old_ca, old_cert, old_key = certificate_authority(cls.dir, "before-1-17", key_identifiers=False)
        cls.old_server = FaultyApiServer(old_cert, old_key)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.old_server.close()
        shutil.rmtree(cls.dir)

    @staticmethod
    def data(path):
        with open(path, "rb") as f:
            return base64.b64encode(f.read()).decode()

    def api(self, server=None, ca=None, endpoint=None):
        server = server or self.server
        ca = ca or (self.old_ca if server is self.old_server else self.ca)
        api = rw.KubernetesApi(endpoint or server.endpoint, self.data(ca), "c1")
        api.token = lambda: "k8s-aws-v1.test"
        api.timeout = 0.5
        return api

    def wait(self, script, kind="Job", timeout=600, server=None, api=None, clock=None):
        """Runs the wait against the server with the script; returns the result (or the Failed), the clock and the
        wait's log."""
        server = server or self.server
        clock = clock or Clock()
        server.script, server.clock = script, clock
        log = io.StringIO()
        with contextlib.redirect_stdout(log):
            try:
                result = rw.wait(api or self.api(server), kind, "default", "hello-build-1234", timeout, clock=clock,
                                 sleep=clock.sleep)
            except rw.Failed as e:
                result = e
        return result, clock, log.getvalue()

    def passes(self, script, **kwargs):
        result, clock, log = self.wait(script, **kwargs)
        self.assertNotIsInstance(result, rw.Failed)
        return result, clock, log

    def fails(self, script, **kwargs):
        result, clock, log = self.wait(script, **kwargs)
        self.assertIsInstance(result, rw.Failed)
        return str(result), clock, log

    # The API server and the network

    def test_reads_with_the_clusters_certificate_and_a_bearer_token(self):
        self.server.script = in_turn(answer({"items": [{"metadata": {"name": "p1"}}]}))
        pods = self.api().pods("default", {"job-name": "hello-build-1", "app": "x"})
        self.assertEqual(pods, [{"metadata": {"name": "p1"}}])
        self.assertEqual(self.server.requests[-1], ("/api/v1/namespaces/default/pods?labelSelector="
                                                    "app%3Dx%2Cjob-name%3Dhello-build-1", "Bearer k8s-aws-v1.test"))

    def test_a_missing_object_is_none_not_an_error(self):
        self.server.script = in_turn(refuse(404, "jobs.batch \"missing\" not found"))
        self.assertIsNone(self.api().get("/apis/batch/v1/namespaces/default/jobs/missing"))

    def test_401_while_the_access_entry_takes_effect_then_200(self):
        result, clock, log = self.passes(in_turn(refuse(401, "Unauthorized"), COMPLETE))
        self.assertEqual(result, "Job default/hello-build-1234: succeeded")
        self.assertEqual(clock.sleeps, [1])
        self.assertIn("HTTP 401 Unauthorized: Unauthorized; retrying in 1 s", log)

    def test_403_while_the_access_policy_takes_effect_then_200(self):
        forbidden = refuse(403, "jobs.batch \"hello-build-1234\" is forbidden: User \"arn:aws:sts::1:assumed-role/"
                                "wait/fn\" cannot get resource \"jobs\"")
        _, clock, _ = self.passes(in_turn(forbidden, forbidden, COMPLETE))
        self.assertEqual(clock.sleeps, [1, 2])

    def test_429_waits_as_long_as_retry_after_says_then_200(self):
        _, clock, log = self.passes(in_turn(refuse(429, "Too many requests", [("Retry-After", "7")]), COMPLETE))
        self.assertEqual(clock.sleeps, [7])
        self.assertIn("HTTP 429", log)

    def test_5xx_are_retried_with_growing_pauses_then_200(self):
        _, clock, log = self.passes(in_turn(refuse(500, "etcdserver: leader changed"), refuse(502, "bad gateway"),
                                            refuse(503, "unavailable"), refuse(504, "timeout"), COMPLETE))
        self.assertEqual(clock.sleeps, [1, 2, 4, 8])
        self.assertIn("HTTP 500 Internal Server Error: etcdserver: leader changed", log)

    def test_a_reset_connection_then_200(self):
        self.server.resets = 1
        _, clock, log = self.passes(in_turn(COMPLETE))
        self.assertEqual(clock.sleeps, [1])
        self.assertIn("no answer from the API server (ConnectionResetError: [Errno 104] Connection reset by peer)",
                      log)

    def test_a_connection_closed_without_an_answer_then_200(self):
        _, _, log = self.passes(in_turn(hang_up, COMPLETE))
        self.assertIn("(RemoteDisconnected: Remote end closed connection without response)", log)

    def test_a_body_cut_short_then_200(self):
        _, _, log = self.passes(in_turn(cut_short(job()), COMPLETE))
        self.assertIn("(IncompleteRead:", log)

    def test_a_slow_answer_times_out_then_200(self):
        _, clock, log = self.passes(in_turn(slow(job(("Complete", "", "")), 2), COMPLETE))
        self.assertEqual(clock.sleeps, [1])
        self.assertIn("(TimeoutError: The read operation timed out)", log)

    def test_a_refused_connection_while_the_server_starts_then_200(self):
        server = FaultyApiServer(self.cert, self.key, listening=False)
        try:
            clock = Clock()
            clock.on_sleep = server.start
            _, _, log = self.passes(in_turn(COMPLETE), server=server, clock=clock)
            self.assertIn("(ConnectionRefusedError: [Errno 111] Connection refused)", log)
        finally:
            server.close()

    def test_401_beyond_the_grace_period_fails_naming_the_access_entry(self):
        message, clock, _ = self.fails(in_turn(refuse(401, "Unauthorized")))
        self.assertEqual(message, "Job default/hello-build-1234: the API server still refuses this function's role "
                                  "after 300 s (HTTP 401 Unauthorized: Unauthorized): the role needs its EKS access "
                                  "entry (AmazonEKSViewPolicy, cluster scope), and the cluster must allow access "
                                  "entries (authentication mode API or API_AND_CONFIG_MAP)")
        self.assertGreaterEqual(clock.now, rw.AUTH_GRACE_SECONDS)
        self.assertLess(clock.now, rw.AUTH_GRACE_SECONDS + rw.RETRY_MAX_SECONDS)

    def test_a_deadline_passing_while_the_server_answers_503_fails_with_the_last_error(self):
        message, clock, _ = self.fails(in_turn(refuse(503, "the server is currently unable to handle the request")),
                                       timeout=120)
        self.assertEqual(message, "Job default/hello-build-1234 not ready after 120 s; last seen: not found yet; last "
                                  "error: HTTP 503 Service Unavailable: the server is currently unable to handle the "
                                  "request")
        self.assertEqual(clock.now, 120)

    def test_another_client_error_fails_at_once(self):
        message, clock, _ = self.fails(in_turn(refuse(400, "bad selector")))
        self.assertEqual(message, "Job default/hello-build-1234: the API server refused to read it: HTTP 400 Bad "
                                  "Request: bad selector")
        self.assertEqual(clock.now, 0)

    # TLS

    def test_a_ca_without_key_identifiers_passes_though_x509_strict_mode_rejects_it(self):
        create_default_context = ssl.create_default_context

        def python_3_13_default(*args, **kwargs):
            tls = create_default_context(*args, **kwargs)
            tls.verify_flags |= ssl.VERIFY_X509_STRICT
            return tls

        with mock.patch.object(ssl, "create_default_context", python_3_13_default):
            api = self.api(self.old_server)
            strict = python_3_13_default(cafile=self.old_ca)
        result, _, _ = self.passes(in_turn(COMPLETE), server=self.old_server, api=api)
        self.assertEqual(result, "Job default/hello-build-1234: succeeded")
        self.assertTrue(api.tls.check_hostname)
        self.assertEqual(api.tls.verify_mode, ssl.CERT_REQUIRED)
        api.tls = strict
        with self.assertRaisesRegex(urllib.error.URLError, "Missing Authority Key Identifier"):
            api.get("/apis/batch/v1/namespaces/default/jobs/hello-build-1234")

    def test_a_server_with_another_certificate_fails_at_once(self):
        message, clock, _ = self.fails(in_turn(COMPLETE), api=self.api(ca=self.old_ca))
        self.assertIn("Job default/hello-build-1234: the API server's certificate fails verification with the "
                      "cluster's certificate authority and endpoint: [SSL: CERTIFICATE_VERIFY_FAILED] certificate "
                      "verify failed", message)
        self.assertEqual(clock.now, 0)

    def test_a_certificate_for_another_host_fails_at_once(self):
        api = self.api(endpoint=f"https://localhost:{self.server.server_address[1]}")
        message, _, _ = self.fails(in_turn(COMPLETE), api=api)
        self.assertIn("certificate verify failed: Hostname mismatch", message)

    # Kubernetes

    def test_a_failed_job_fails_at_once_with_its_termination_message(self):
        failed = pod("p1", state={"terminated": {"exitCode": 1, "message": "error building image: COPY failed"}})
        pods, failed_job = answer({"items": [failed]}), answer(job(("Failed", "BackoffLimitExceeded", "")))
        message, clock, _ = self.fails(lambda path, now: pods if path.startswith("/api/v1/") else failed_job)
        self.assertEqual(message, "Job default/hello-build-1234 failed: pod p1, container kaniko exited 1: error "
                                  "building image: COPY failed")
        self.assertEqual(clock.now, 0)

    def backing_off_until(self, seconds):
        """A Deployment whose image pull backs off until the clock reaches seconds, then ready."""
        backoff = answer({"items": [pod("w1", state=waiting("ImagePullBackOff", "Back-off pulling image"))]})
        not_ready, ready = answer(deployment(0)), answer(deployment(1))
        return lambda path, now: ready if now >= seconds else backoff if path.startswith("/api/v1/") else not_ready

    def test_an_image_pull_back_off_that_recovers_after_30_s_passes(self):
        result, clock, _ = self.passes(self.backing_off_until(30), kind="Deployment")
        self.assertEqual(result, "Deployment default/hello-build-1234: ready")
        self.assertEqual(clock.now, 30)

    def test_an_image_pull_back_off_that_never_recovers_fails_after_a_minute(self):
        message, clock, _ = self.fails(self.backing_off_until(float("inf")), kind="Deployment")
        self.assertEqual(message, "Deployment default/hello-build-1234: pod w1, container kaniko: ImagePullBackOff "
                                  "for 60 s: Back-off pulling image")
        self.assertGreaterEqual(clock.now, rw.PULL_FAILING_SECONDS)
        self.assertLess(clock.now, rw.PULL_FAILING_SECONDS + rw.POLL_SECONDS)


class HandlerTest(unittest.TestCase):
    def event(self, request="Create", **props):
        return {"RequestType": request, "PhysicalResourceId": "Job/default/x", "ResourceProperties": dict(
            Kind="Job", Namespace="default", Name="x", ClusterName="c1", TimeoutSeconds="600", **props)}

    def test_delete_returns_without_reaching_the_cluster(self):
        self.assertEqual(rw.on_event(self.event("Delete"), None), {"PhysicalResourceId": "Job/default/x"})

    @unittest.skipUnless(shutil.which("openssl"), "needs openssl to make a certificate authority")
    def test_a_cluster_imported_without_endpoint_and_authority_is_described(self):
        directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, directory)
        ca, cert, key = certificate_authority(directory, "kubernetes", key_identifiers=True)
        server = FaultyApiServer(cert, key)
        self.addCleanup(server.close)
        server.clock = time.monotonic
        described = []

        def describe(name):
            described.append(name)
            return server.endpoint, FaultTest.data(ca)

        with mock.patch.object(rw.KubernetesApi, "token", lambda self: "k8s-aws-v1.test"), \
                mock.patch.dict(os.environ, {"LOG_GROUP": "Stack-WaitLogs1234"}), \
                contextlib.redirect_stdout(io.StringIO()):
            server.script = in_turn(COMPLETE)
            self.assertEqual(rw.on_event(self.event(), None, describe), {"PhysicalResourceId": "Job/default/x"})
            self.assertEqual(described, ["c1"])
            server.script = in_turn(answer(job(("Failed", "BackoffLimitExceeded", "backoff limit"))),
                                    answer({"items": []}))
            with self.assertRaises(rw.Failed) as raised:
                rw.on_event(self.event(Endpoint=server.endpoint, CertificateAuthority=FaultTest.data(ca)), None,
                            describe)
        self.assertEqual(described, ["c1"])
        self.assertEqual(str(raised.exception), "Job default/x failed: BackoffLimitExceeded: backoff limit "
                                                "(log group Stack-WaitLogs1234)")

    def test_a_service_is_not_awaited_on_create(self):
        event = {"RequestType": "Create",
                 "ResourceProperties": {"Kind": "Service", "Namespace": "istio-system", "Name": "gw"}}
        self.assertEqual(rw.on_event(event, None), {"PhysicalResourceId": "Service/istio-system/gw"})


if __name__ == "__main__":
    outcome = unittest.main(exit=False).result
    failed = len(outcome.failures) + len(outcome.errors) + len(outcome.unexpectedSuccesses)
    skipped = len(outcome.skipped)
    print(f"readiness wait: {outcome.testsRun - failed - skipped} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed or not outcome.testsRun else 0)
