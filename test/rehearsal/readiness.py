"""Runs the readiness wait's Lambda handler (src/io/knativeoneks/readiness_wait.py) against the rehearsal's API server.

    python3 readiness.py READINESS_WAIT_PY EVENT_JSON

Only the token changes: a bearer token of the function's IAM role (REHEARSAL_TOKEN) instead of a presigned STS URL.
The endpoint and CA come from the event, as CloudFormation passes them (the cluster's Endpoint and
CertificateAuthorityData). Polls every second instead of ten, and waits at most REHEARSAL_TIMEOUT seconds.
"""
import importlib.util
import json
import os
import sys

spec = importlib.util.spec_from_file_location("readiness_wait", sys.argv[1])
rw = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rw)
rw.POLL_SECONDS = 1
rw.KubernetesApi.token = lambda self: os.environ["REHEARSAL_TOKEN"]
event = json.load(open(sys.argv[2]))
props = event["ResourceProperties"]
props["TimeoutSeconds"] = str(min(int(props["TimeoutSeconds"]), int(os.environ.get("REHEARSAL_TIMEOUT", "60"))))
try:
    result = rw.on_event(event, None)
except rw.Failed as e:
    print("Failed:", e)
    sys.exit(1)
print("returned", json.dumps(result))
