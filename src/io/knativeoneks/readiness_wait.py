"""Deploy-time wait for a Kubernetes Job to succeed or a Deployment to have a ready replica, and destroy-time wait
for a LoadBalancer Service to be gone.

The onEvent handler of a CloudFormation custom resource (CDK's Provider framework). It reads the cluster's API server
directly, with a token signed by the function's own role (an EKS access entry with view rights), and fails as soon
as a failure is certain, with the reason Kubernetes gives: a failed build's last log lines (the container's
termination message), an image reference that is invalid or an image that cannot be pulled for a minute, a container
in a crash loop. Errors that may pass (the access entry not yet in effect, throttling, 5xx answers, broken
connections, timeouts) are retried with backoff until the deadline. CloudFormation shows the reason in the failing
resource's event. A Service is awaited on delete instead: its finalizer holds it until its load balancer is deleted,
and the stack must not delete the cluster (and try the VPC) while it is still there.
"""
import base64
import http.client
import json
import os
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request

POLL_SECONDS = 10
REQUEST_SECONDS = 30
# Retries after a transient error wait 1, 2, 4, ... seconds, at most RETRY_MAX_SECONDS (or what Retry-After asks).
RETRY_MAX_SECONDS = 30
# A new access entry takes a moment to reach the API server, which answers 401 or 403 until then.
AUTH_GRACE_SECONDS = 300
# Waiting reasons that do not heal by themselves: the image reference is invalid, or the pull policy forbids a pull.
BAD_IMAGE = {"InvalidImageName", "ErrImageNeverPull"}
# Waiting reasons of a failing pull: kubelet retries it, so it is a failure only once it lasts PULL_FAILING_SECONDS.
PULL_FAILING = {"ImagePullBackOff", "ErrImagePull"}
PULL_FAILING_SECONDS = 60
CRASH_LOOP_RESTARTS = 3
# kaniko pushing a tag that an immutable ECR repository already holds: the same inputs were built before (tags are
# derived from the build's inputs), so the image the service needs exists.
ALREADY_PUSHED = "cannot be overwritten because the repository is immutable"
MAX_REASON = 1500


class Failed(Exception):
    """A failure that will not heal by waiting; its message becomes the CloudFormation reason."""


class ApiError(Exception):
    """An HTTP error answer of the API server, other than 404."""

    def __init__(self, status, message, retry_after):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def describe_cluster(name):
    """The endpoint and certificate authority data of a cluster imported without them, from eks:DescribeCluster."""
    import boto3

    cluster = boto3.client("eks").describe_cluster(name=name)["cluster"]
    return cluster["endpoint"], cluster["certificateAuthority"]["data"]


def on_event(event, context, describe=describe_cluster):
    """Waits on Create and Update; the reason of a failure names this function's log group (LOG_GROUP)."""
    props = event["ResourceProperties"]
    kind, namespace, name = props["Kind"], props["Namespace"], props["Name"]
    deleting = event["RequestType"] == "Delete"
    try:
        if kind == "Service" and deleting:
            print(wait_deleted(cluster_api(props, describe), namespace, name, int(props["TimeoutSeconds"])))
        elif kind != "Service" and not deleting:
            print(wait(cluster_api(props, describe), kind, namespace, name, int(props["TimeoutSeconds"])))
    except Exception as e:
        reason = str(e) if isinstance(e, Failed) else f"{type(e).__name__}: {e}"
        raise Failed(f"{reason} (log group {os.environ['LOG_GROUP']})") from e
    return {"PhysicalResourceId": "/".join([kind, namespace, name])}


def cluster_api(props, describe):
    """The cluster's API server, its endpoint and certificate authority read with describe when not given."""
    endpoint, authority = props.get("Endpoint"), props.get("CertificateAuthority")
    if not (endpoint and authority):
        endpoint, authority = describe(props["ClusterName"])
    return KubernetesApi(endpoint, authority, props["ClusterName"])


def wait(api, kind, namespace, name, timeout_seconds, clock=time.monotonic, sleep=time.sleep):
    """Returns a line saying what is ready; raises Failed with the reason on failure or timeout."""
    check = {"Job": job_state, "Deployment": deployment_state}[kind]
    what = f"{kind} {namespace}/{name}"
    start = clock()
    deadline = start + timeout_seconds
    stuck = Stuck(what, clock)
    seen, error, errors = "not found yet", None, 0
    while True:
        try:
            done, seen = check(api, namespace, name, seen, stuck)
            error, errors, delay = None, 0, POLL_SECONDS
        except (ApiError, OSError, http.client.HTTPException) as e:
            error, asked = transient(e, clock() - start, what)
            errors += 1
            delay = max(min(2 ** (errors - 1), RETRY_MAX_SECONDS), asked or 0)
        else:
            if done:
                return f"{what}: {seen}"
        now = clock()
        if now >= deadline:
            last_error = f"; last error: {error}" if error else ""
            raise Failed(f"{what} not ready after {timeout_seconds} s; last seen: {seen}{last_error}")
        pause = min(delay, deadline - now)
        if error:
            print(f"{what}: {error}; retrying in {pause:g} s")
        sleep(pause)


def transient(error, waited, what):
    """What the error was and the seconds the server asked to wait (or None) when it may pass; else raises Failed."""
    if isinstance(error, ApiError):
        if error.status in (401, 403) and waited >= AUTH_GRACE_SECONDS:
            raise Failed(f"{what}: the API server still refuses this function's role after {AUTH_GRACE_SECONDS} s "
                         f"({error}): the role needs its EKS access entry (AmazonEKSViewPolicy, cluster scope), and "
                         f"the cluster must allow access entries (authentication mode API or API_AND_CONFIG_MAP)")
        if error.status in (401, 403, 408, 429) or error.status >= 500:
            return str(error), error.retry_after
        raise Failed(f"{what}: the API server refused to read it: {error}")
    cause = error.reason if isinstance(error, urllib.error.URLError) and isinstance(error.reason, Exception) else error
    if isinstance(cause, ssl.SSLCertVerificationError):
        raise Failed(f"{what}: the API server's certificate fails verification with the cluster's certificate "
                     f"authority and endpoint: {cause}")
    return f"no answer from the API server ({type(cause).__name__}: {cause})", None


def wait_deleted(api, namespace, name, timeout_seconds, clock=time.monotonic, sleep=time.sleep):
    """Returns once the Service is gone; raises Failed with why it is not, while the cluster can still tell."""
    path = f"/api/v1/namespaces/{namespace}/services/{name}"
    deadline = clock() + timeout_seconds
    try:
        while (service := api.get(path)) is not None:
            if clock() >= deadline:
                raise Failed(not_deleted(api, service, namespace, name, timeout_seconds))
            sleep(POLL_SECONDS)
    except OSError as e:  # the API server does not answer: it cannot tell whether the load balancer is gone
        raise Failed(f"cannot read Service {namespace}/{name} to check that its load balancer is deleted: {e}. If "
                     f"the cluster still exists, destroy again once its API server answers. If it is gone, delete "
                     f"the load balancer by its tags (kubernetes.io/service-name={namespace}/{name}; README: \"A "
                     f"load balancer left behind by a destroy\"), then delete the stack with this resource retained "
                     f"(aws cloudformation delete-stack --retain-resources <its logical id>).") from e
    return f"Service {namespace}/{name}: deleted"


def not_deleted(api, service, namespace, name, timeout_seconds):
    metadata = service.get("metadata", {})
    if metadata.get("deletionTimestamp"):
        state = "is being deleted, held by its finalizers " + ", ".join(metadata.get("finalizers", []))
    else:
        state = "was not deleted (its chart's uninstall failed before it)"
    selector = urllib.parse.quote(f"involvedObject.kind=Service,involvedObject.name={name}")
    events = (api.get(f"/api/v1/namespaces/{namespace}/events?fieldSelector={selector}") or {}).get("items", [])
    warnings = sorted((e for e in events if e.get("type") == "Warning"),
                      key=lambda e: e.get("lastTimestamp") or e.get("eventTime") or "")
    last = ""
    if warnings:
        last = f"; last warning: {warnings[-1].get('reason')}: {warnings[-1].get('message', '')[:500]}"
    return (f"Service {namespace}/{name} still exists {timeout_seconds} s after its chart's uninstall: it {state}"
            f"{last}. Deleting the cluster now would leave its load balancer behind, owned by no stack, and the VPC could not "
            f"be deleted. See why with kubectl describe service -n {namespace} {name}, fix it and destroy again; or "
            f"delete the load balancer by its tags (README: \"A load balancer left behind by a destroy\"), remove the "
            f"Service's finalizer (kubectl patch service -n {namespace} {name} --type=merge -p "
            f"'{{\"metadata\":{{\"finalizers\":null}}}}') and destroy again.")


def job_state(api, namespace, name, seen, stuck):
    job = api.get(f"/apis/batch/v1/namespaces/{namespace}/jobs/{name}")
    if job is None:
        return False, seen
    conditions = {c["type"]: c for c in job.get("status", {}).get("conditions", []) if c.get("status") == "True"}
    if "Complete" in conditions:
        return True, "succeeded"
    pods = api.pods(namespace, {"job-name": name})
    if "Failed" in conditions or "FailureTarget" in conditions:
        reason = termination_messages(pods) or condition_message(conditions)
        if ALREADY_PUSHED in reason:
            return True, "image already in the repository (built from the same inputs before)"
        raise Failed(f"Job {namespace}/{name} failed: {reason}")
    stuck.check(pods)
    return False, pod_summary(pods) or "no pod yet"


def deployment_state(api, namespace, name, seen, stuck):
    deployment = api.get(f"/apis/apps/v1/namespaces/{namespace}/deployments/{name}")
    if deployment is None:
        return False, seen
    if deployment.get("status", {}).get("readyReplicas", 0) >= 1:
        return True, "ready"
    pods = api.pods(namespace, deployment["spec"]["selector"].get("matchLabels", {}))
    stuck.check(pods)
    return False, pod_summary(pods) or "no pod yet"


class Stuck:
    """Tells pods that will not start: an invalid image reference or a crash loop at once, a failing image pull once
    it has failed for PULL_FAILING_SECONDS without a break (kubelet retries a registry's passing errors)."""

    def __init__(self, what, clock):
        self.what = what
        self.clock = clock
        self.pull_failing_since = {}

    def check(self, pods):
        """Raises Failed when a pod will not start."""
        now = self.clock()
        failing_since = {}
        for pod, status in container_statuses(pods):
            waiting = status.get("state", {}).get("waiting", {})
            reason = waiting.get("reason")
            if reason in PULL_FAILING:
                key = (pod, status["name"])
                since = failing_since[key] = self.pull_failing_since.get(key, now)
                if now - since >= PULL_FAILING_SECONDS:
                    self.fail(pod, status, f"{reason} for {now - since:.0f} s")
            elif reason in BAD_IMAGE or (reason == "CrashLoopBackOff"
                                         and status.get("restartCount", 0) >= CRASH_LOOP_RESTARTS):
                self.fail(pod, status, reason)
        self.pull_failing_since = failing_since

    def fail(self, pod, status, reason):
        last = status.get("lastState", {}).get("terminated", {})
        detail = last.get("message") or status["state"]["waiting"].get("message")
        detail = f": {detail}" if detail else ""
        raise Failed(f"{self.what}: pod {pod}, container {status['name']}: {reason}{detail}")


def container_statuses(pods):
    for pod in pods:
        status = pod.get("status", {})
        for s in status.get("initContainerStatuses", []) + status.get("containerStatuses", []):
            yield pod["metadata"]["name"], s


def termination_messages(pods):
    """The last lines of each failed container's log (terminationMessagePolicy: FallbackToLogsOnError)."""
    messages = []
    for pod, status in container_statuses(pods):
        for state in (status.get("state", {}), status.get("lastState", {})):
            terminated = state.get("terminated")
            if terminated and terminated.get("exitCode", 0) != 0:
                text = (terminated.get("message") or terminated.get("reason") or "").strip()
                messages.append(f"pod {pod}, container {status['name']} exited {terminated['exitCode']}: {text}")
    return tail("\n".join(messages))


def condition_message(conditions):
    failed = conditions.get("Failed") or conditions.get("FailureTarget")
    return f"{failed.get('reason', '')}: {failed.get('message', '')}"


def pod_summary(pods):
    return ", ".join(f"pod {pod}, container {status['name']} {state_name(status)}"
                     for pod, status in container_statuses(pods))


def state_name(status):
    state = status.get("state", {})
    if "waiting" in state:
        return "waiting (" + state["waiting"].get("reason", "") + ")"
    return next(iter(state), "unknown")


def tail(text):
    return text if len(text) <= MAX_REASON else "..." + text[-MAX_REASON:]


class KubernetesApi:
    """Reads from the EKS API server with a token signed by this function's IAM role."""

    def __init__(self, endpoint, certificate_authority, cluster_name):
        self.endpoint = endpoint
        self.cluster_name = cluster_name
        self.timeout = REQUEST_SECONDS
        # Chain and hostname are verified; Python 3.13's X.509 strict mode is not, as it rejects the CA of clusters
        # created before Kubernetes 1.17, which has no key identifiers ("Missing Authority Key Identifier").
        self.tls = ssl.create_default_context(cadata=base64.b64decode(certificate_authority).decode())
        self.tls.verify_flags &= ~getattr(ssl, "VERIFY_X509_STRICT", 0)

    def get(self, path):
        """Returns the object at path, or None if it does not exist (yet); raises ApiError for another HTTP error."""
        request = urllib.request.Request(self.endpoint + path, headers={"Authorization": "Bearer " + self.token()})
        try:
            with urllib.request.urlopen(request, context=self.tls, timeout=self.timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return None
            raise ApiError(e.code, f"HTTP {e.code} {e.reason}{status_message(e)}", retry_after(e)) from e

    def pods(self, namespace, labels):
        selector = urllib.parse.quote(",".join(f"{k}={v}" for k, v in sorted(labels.items())))
        return self.get(f"/api/v1/namespaces/{namespace}/pods?labelSelector={selector}")["items"]

    def token(self):
        """An EKS token: a presigned STS GetCallerIdentity URL naming the cluster (what aws eks get-token makes)."""
        import boto3
        from botocore.signers import RequestSigner

        session = boto3.session.Session()
        region = os.environ["AWS_REGION"]
        sts = session.client("sts", region_name=region)
        signer = RequestSigner(sts.meta.service_model.service_id, region, "sts", "v4",
                               session.get_credentials(), session.events)
        url = signer.generate_presigned_url(
            {"method": "GET", "url": sts.meta.endpoint_url + "/?Action=GetCallerIdentity&Version=2011-06-15",
             "body": {}, "headers": {"x-k8s-aws-id": self.cluster_name}, "context": {}},
            region_name=region, expires_in=60, operation_name="")
        return "k8s-aws-v1." + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")


def status_message(error):
    """": <message>" of the Kubernetes Status an error answer carries, or "" without one."""
    try:
        status = json.load(error)
    except (ValueError, OSError, http.client.HTTPException):
        return ""
    return f": {status['message']}" if isinstance(status, dict) and status.get("message") else ""


def retry_after(error):
    """The seconds an error answer's Retry-After header asks to wait, or None (absent, or an HTTP date)."""
    value = (error.headers.get("Retry-After") or "").strip()
    return int(value) if value.isdigit() else None
