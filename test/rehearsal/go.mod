module knative-on-eks/test/rehearsal

go 1.25.0

// The rehearsal driver needs only YAML (the upstream CRD and release files). Its control plane (etcd,
// kube-apiserver, kube-controller-manager) is built from the separate module in controlplane/, so that Kubernetes'
// dependency pins never move this program's, and back.
require sigs.k8s.io/yaml v1.6.0

require go.yaml.in/yaml/v2 v2.4.2 // indirect

// The shared reader of cloud assemblies and evaluator of intrinsic functions (test/cfn), a module of this repository.
require knative-on-eks/test/cfn v0.0.0

replace knative-on-eks/test/cfn => ../cfn
