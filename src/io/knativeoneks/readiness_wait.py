"""Deploy-time wait for a Kubernetes Job to succeed or a Deployment to have a ready replica, and destroy-time wait
for a LoadBalancer Service to be gone.

The onEvent handler of a CloudFormation custom resource (CDK's Provider framework). It reads the cluster's API server
directly, with a token signed by the function's own role (an EKS access entry with view rights), and fails as soon
as a failure is visible, with the reason Kubernetes gives: a failed build's last log lines (the container's
termination message), an image that cannot be pulled, a container in a crash loop. CloudFormation shows that reason
in the failing resource's event. A Service is awaited on delete instead: its finalizer holds it until its load
balancer is deleted, and the stack must not delete the cluster (and try the VPC) while it is still there.
"""
import base64
import json
import os
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request

POLL_SECONDS = 10
# Waiting reasons that do not heal by themselves: the image reference is wrong or the registry refuses it.
STUCK = {"ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"}
CRASH_LOOP_RESTARTS = 3
# kaniko pushing a tag that an immutable ECR repository already holds: the same inputs were built before (tags are
# derived from the build's inputs), so the image the service needs exists.
ALREADY_PUSHED = "cannot be overwritten because the repository is immutable"
MAX_REASON = 1500


class Failed(Exception):
    """A failure that will not heal by waiting; its message becomes the CloudFormation reason."""


def on_event(event, context):
    props = event["ResourceProperties"]
    kind, namespace, name = props["Kind"], props["Namespace"], props["Name"]
    deleting = event["RequestType"] == "Delete"
    if kind == "Service" and deleting:
        print(wait_deleted(cluster_api(props), namespace, name, int(props["TimeoutSeconds"])))
    elif kind != "Service" and not deleting:
        print(wait(cluster_api(props), kind, namespace, name, int(props["TimeoutSeconds"])))
    return {"PhysicalResourceId": "/".join([kind, namespace, name])}


def cluster_api(props):
    return KubernetesApi(props["Endpoint"], props["CertificateAuthority"], props["ClusterName"])


def wait(api, kind, namespace, name, timeout_seconds, clock=time.monotonic, sleep=time.sleep):
    """Returns a line saying what is ready; raises Failed with the reason on failure or timeout."""
    check = {"Job": job_state, "Deployment": deployment_state}[kind]
    deadline = clock() + timeout_seconds
    seen = "not found yet"
    while True:
        done, seen = check(api, namespace, name, seen)
        if done:
            return f"{kind} {namespace}/{name}: {seen}"
        if clock() >= deadline:
            raise Failed(f"{kind} {namespace}/{name} not ready after {timeout_seconds} s; last seen: {seen}")
        sleep(POLL_SECONDS)


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


def job_state(api, namespace, name, seen):
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
    stuck(pods, "Job", namespace, name)
    return False, pod_summary(pods) or "no pod yet"


def deployment_state(api, namespace, name, seen):
    deployment = api.get(f"/apis/apps/v1/namespaces/{namespace}/deployments/{name}")
    if deployment is None:
        return False, seen
    if deployment.get("status", {}).get("readyReplicas", 0) >= 1:
        return True, "ready"
    pods = api.pods(namespace, deployment["spec"]["selector"].get("matchLabels", {}))
    stuck(pods, "Deployment", namespace, name)
    return False, pod_summary(pods) or "no pod yet"


def stuck(pods, kind, namespace, name):
    """Raises Failed when a pod cannot pull its image or its container keeps crashing."""
    for pod, status in container_statuses(pods):
        waiting = status.get("state", {}).get("waiting", {})
        crash_loop = waiting.get("reason") == "CrashLoopBackOff" and status.get("restartCount", 0) >= CRASH_LOOP_RESTARTS
        if waiting.get("reason") in STUCK or crash_loop:
            last = status.get("lastState", {}).get("terminated", {})
            detail = last.get("message") or waiting.get("message") or ""
            raise Failed(f"{kind} {namespace}/{name}: pod {pod}, container {status['name']}: "
                         f"{waiting['reason']} {detail}".strip())


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
        self.tls = ssl.create_default_context(cadata=base64.b64decode(certificate_authority).decode())

    def get(self, path):
        """Returns the object at path, or None if it does not exist (yet)."""
        request = urllib.request.Request(self.endpoint + path, headers={"Authorization": "Bearer " + self.token()})
        try:
            with urllib.request.urlopen(request, context=self.tls, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return None
            raise

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
