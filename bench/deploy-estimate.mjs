#!/usr/bin/env node
// Estimates how long a first `cdk deploy` of a synthesized template takes: the longest path through its dependency
// graph (DependsOn, Ref, Fn::GetAtt, Fn::Sub), each resource weighted by a typical creation time (WEIGHTS below).
//
//   node bench/deploy-estimate.mjs [--max-minutes N] TEMPLATE.json
//
// Prints the critical path, one resource a line with its weight and the time it would finish, then
// "estimated critical path: M min"; exits 1 when M exceeds --max-minutes. The weights are typical values, not
// measurements of this stack (no AWS account here): EKS control planes take 9-15 min to create
// (aws/containers-roadmap#1227), the rest are the usual orders of magnitude seen in CloudFormation events of EKS
// stacks. Change a weight here and every estimate follows.
import { readFileSync } from "node:fs";

// Seconds a resource of this type typically takes to create.
const WEIGHTS = {
  "AWS::EKS::Cluster": 600,
  "AWS::EKS::Nodegroup": 180,
  "AWS::EKS::Addon": 60,
  "AWS::EKS::AccessEntry": 10,
  "AWS::EKS::PodIdentityAssociation": 10,
  "AWS::EC2::NatGateway": 90,
  "AWS::EC2::VPC": 10,
  "AWS::EC2::Subnet": 10,
  "AWS::EC2::InternetGateway": 10,
  "AWS::EC2::VPCGatewayAttachment": 15,
  "AWS::EC2::EIP": 10,
  "AWS::EC2::SecurityGroup": 10,
  "AWS::EC2::FlowLog": 10,
  "AWS::IAM::Role": 20,
  "AWS::IAM::Policy": 20,
  "AWS::KMS::Key": 20,
  "AWS::Logs::LogGroup": 5,
  "AWS::Lambda::Function": 20,
  "AWS::Lambda::LayerVersion": 30,
  "AWS::ECR::Repository": 5,
  "Custom::AWSCDK-EKS-KubernetesResource": 20,
  "Custom::AWSCDK-EKS-KubernetesPatch": 15,
  // A value read once it exists, e.g. the gateway's load-balancer hostname, which the gateway chart's wait
  // already waited for: one kubectl call.
  "Custom::AWSCDK-EKS-KubernetesObjectValue": 10,
};
// Helm releases: install plus `wait` for their pods.
const HELM = {
  "istio-base": 30,
  istiod: 90,
  "istio-ingressgateway": 150,
  "knative-operator": 90,
  "external-secrets": 90,
  "kube-prometheus-stack": 240,
};
const HELM_DEFAULT = 120;
const OTHER = 5;
// Readiness waits. A kaniko build of a small Python app: schedule and pull kaniko (~10 s), fetch the context and
// unpack python:3.12-slim (~20 s), pip install and snapshot (~30 s), copy, user and snapshots (~20 s), push to ECR in
// the region (~15 s), with slack for a cold node. Knative's webhooks become ready once the operator has reconciled
// KnativeServing/KnativeEventing and the images are pulled. A Service is awaited on delete only.
const WAIT = { Job: 120, Deployment: 120, Service: OTHER };

export function weight(resource) {
  const p = resource.Properties ?? {};
  if (resource.Type === "Custom::AWSCDK-EKS-HelmChart") return HELM[p.Release] ?? HELM_DEFAULT;
  if (resource.Type === "Custom::KnativeOnEksReadinessWait") return WAIT[p.Kind] ?? 120;
  // Earlier versions of this library waited on values: a Job's .status.succeeded, a Deployment's readyReplicas.
  if (p.JsonPath === ".status.succeeded") return WAIT.Job;
  if (p.JsonPath === ".status.readyReplicas") return WAIT.Deployment;
  return WEIGHTS[resource.Type] ?? OTHER;
}

function references(node, into) {
  if (Array.isArray(node)) node.forEach((n) => references(n, into));
  else if (node && typeof node === "object") {
    if (typeof node.Ref === "string") into.add(node.Ref);
    if (Array.isArray(node["Fn::GetAtt"])) into.add(node["Fn::GetAtt"][0]);
    if (typeof node["Fn::GetAtt"] === "string") into.add(node["Fn::GetAtt"].split(".")[0]);
    const sub = node["Fn::Sub"];
    const text = Array.isArray(sub) ? sub[0] : sub;
    if (typeof text === "string") for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) into.add(m[1]);
    Object.values(node).forEach((n) => references(n, into));
  }
  return into;
}

/** @returns {{minutes: number, path: {id: string, type: string, seconds: number, finish: number}[]}} */
export function estimate(template) {
  const resources = template.Resources ?? {};
  const finish = new Map();
  const via = new Map();
  const visiting = new Set();
  const visit = (id) => {
    if (finish.has(id)) return finish.get(id);
    if (visiting.has(id)) throw new Error(`dependency cycle through ${id}`);
    visiting.add(id);
    const r = resources[id];
    const deps = references(r.Properties, new Set([r.DependsOn ?? []].flat()));
    let start = 0;
    for (const d of deps) {
      if (d === id || !(d in resources)) continue;
      const f = visit(d);
      if (f > start) {
        start = f;
        via.set(id, d);
      }
    }
    visiting.delete(id);
    finish.set(id, start + weight(r));
    return finish.get(id);
  };
  Object.keys(resources).forEach(visit);
  let last = [...finish.entries()].reduce((a, b) => (b[1] > a[1] ? b : a), ["", 0])[0];
  const path = [];
  for (let id = last; id; id = via.get(id)) {
    path.unshift({ id, type: resources[id].Type, seconds: weight(resources[id]), finish: finish.get(id) });
  }
  return { minutes: (finish.get(last) ?? 0) / 60, path };
}

function main(args) {
  const max = args[0] === "--max-minutes" ? Number(args.splice(0, 2)[1]) : Infinity;
  if (args.length !== 1) {
    console.error("usage: node bench/deploy-estimate.mjs [--max-minutes N] TEMPLATE.json");
    return 2;
  }
  const { minutes, path } = estimate(JSON.parse(readFileSync(args[0], "utf8")));
  for (const step of path) {
    console.log(`${(step.finish / 60).toFixed(1).padStart(6)} min  +${String(step.seconds).padStart(3)} s  ${step.type}  ${step.id}`);
  }
  console.log(`estimated critical path: ${minutes.toFixed(1)} min`);
  if (minutes > max) {
    console.error(`over the target of ${max} min`);
    return 1;
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("deploy-estimate.mjs")) {
  process.exitCode = main(process.argv.slice(2));
}
