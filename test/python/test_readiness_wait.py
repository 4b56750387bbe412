"""Tests of the deploy-time readiness wait (src/io/knativeoneks/readiness_wait.py) against a scripted API server."""
import base64
import http.server
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.error

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
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def job(*conditions):
    return {"status": {"conditions": [{"type": t, "status": "True", "reason": r, "message": m}
                                      for t, r, m in conditions]}}


def pod(name, **container_state):
    return {"metadata": {"name": name}, "status": {"containerStatuses": [dict(name="kaniko", **container_state)]}}


def run(api, kind="Job", timeout=600):
    clock = Clock()
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

    def test_an_image_that_cannot_be_pulled_fails_without_waiting_for_the_timeout(self):
        api = ScriptedApi({"object": job(), "pods": [pod("p1", state={"waiting": {
            "reason": "ImagePullBackOff", "message": "Back-off pulling image \"ghcr.io/x/kaniko:v0\""}})]})
        with self.assertRaisesRegex(rw.Failed, "pod p1, container kaniko: ImagePullBackOff Back-off pulling image"):
            run(api)
        self.assertEqual(api.polls, 1)

    def test_times_out_with_what_it_saw_last(self):
        api = ScriptedApi({"object": job(), "pods": [pod("p1", state={"waiting": {"reason": "ContainerCreating"}})]})
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
    def deployment(self, ready):
        return {"spec": {"selector": {"matchLabels": {"app": "webhook"}}}, "status": {"readyReplicas": ready}}

    def test_ready_with_one_ready_replica(self):
        api = ScriptedApi({"object": None}, {"object": self.deployment(0), "pods": []},
                          {"object": self.deployment(1)})
        result, elapsed = run(api, kind="Deployment")
        self.assertEqual(result, "Deployment default/hello-build-1234: ready")
        self.assertEqual(elapsed, 2 * rw.POLL_SECONDS)

    def test_a_crash_loop_fails_with_the_last_termination_message(self):
        crashing = pod("w1", state={"waiting": {"reason": "CrashLoopBackOff"}}, restartCount=3,
                       lastState={"terminated": {"exitCode": 1, "message": "panic: no CA bundle"}})
        api = ScriptedApi({"object": self.deployment(0), "pods": [crashing]})
        with self.assertRaisesRegex(rw.Failed, "CrashLoopBackOff panic: no CA bundle"):
            run(api, kind="Deployment")
        self.assertEqual(api.labels, {"app": "webhook"})

    def test_a_few_restarts_are_not_a_crash_loop_yet(self):
        restarting = pod("w1", state={"waiting": {"reason": "CrashLoopBackOff"}}, restartCount=1)
        api = ScriptedApi({"object": self.deployment(0), "pods": [restarting]}, {"object": self.deployment(1)})
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


@unittest.skipUnless(shutil.which("openssl"), "needs openssl to make a test certificate")
class KubernetesApiTest(unittest.TestCase):
    """The API client against a local HTTPS server with its own certificate authority."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        cert, key = os.path.join(cls.dir, "cert.pem"), os.path.join(cls.dir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True)
        cls.requests = []
        requests = cls.requests

        class Server(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                requests.append((self.path, self.headers.get("Authorization")))
                if self.path.startswith("/apis/batch/v1/namespaces/default/jobs/missing"):
                    self.send_response(404)
                    self.end_headers()
                    return
                body = json.dumps({"items": [{"metadata": {"name": "p1"}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Server)
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
        cls.server.socket = tls.wrap_socket(cls.server.socket, server_side=True)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        with open(cert, "rb") as f:
            cls.ca = base64.b64encode(f.read()).decode()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        shutil.rmtree(cls.dir)

    def api(self, ca=None):
        api = rw.KubernetesApi(f"https://127.0.0.1:{self.server.server_address[1]}", ca or self.ca, "c1")
        api.token = lambda: "k8s-aws-v1.test"
        return api

    def test_reads_with_the_clusters_certificate_and_a_bearer_token(self):
        pods = self.api().pods("default", {"job-name": "hello-build-1", "app": "x"})
        self.assertEqual(pods, [{"metadata": {"name": "p1"}}])
        self.assertEqual(self.requests[-1], ("/api/v1/namespaces/default/pods?labelSelector="
                                             "app%3Dx%2Cjob-name%3Dhello-build-1", "Bearer k8s-aws-v1.test"))

    def test_a_missing_object_is_none_not_an_error(self):
        self.assertIsNone(self.api().get("/apis/batch/v1/namespaces/default/jobs/missing"))

    def test_a_server_with_another_certificate_is_refused(self):
        unrelated = base64.b64encode(subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", os.devnull, "-out", "-",
             "-days", "1", "-subj", "/CN=other"], check=True, capture_output=True).stdout).decode()
        with self.assertRaisesRegex(urllib.error.URLError, "CERTIFICATE_VERIFY_FAILED"):
            self.api(unrelated).get("/x")


class HandlerTest(unittest.TestCase):
    def test_delete_returns_without_reaching_the_cluster(self):
        event = {"RequestType": "Delete", "PhysicalResourceId": "Job/default/x",
                 "ResourceProperties": {"Kind": "Job", "Namespace": "default", "Name": "x"}}
        self.assertEqual(rw.on_event(event, None), {"PhysicalResourceId": "Job/default/x"})

    def test_a_service_is_not_awaited_on_create(self):
        event = {"RequestType": "Create",
                 "ResourceProperties": {"Kind": "Service", "Namespace": "istio-system", "Name": "gw"}}
        self.assertEqual(rw.on_event(event, None), {"PhysicalResourceId": "Service/istio-system/gw"})


if __name__ == "__main__":
    unittest.main()
