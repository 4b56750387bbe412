package main

// What CloudFormation asks of each custom resource, done the way its handler does it.
//
// aws-cdk-lib's eks_v2 kubectl handler (custom-resource-handlers/dist/aws-eks-v2/kubectl-handler in the jar, read by
// checkHandler below so that a new flag or property is noticed) runs kubectl and Helm from the kubectl layer:
//
//	KubernetesResource  Create: kubectl create -f M --save-config (kubectl apply -f M with Overwrite)
//	                    Update: kubectl apply -f M [--prune -l PruneLabel]   Delete: kubectl delete -f M (errors logged)
//	                    SkipValidation adds --validate=false. M is the manifest's objects as concatenated JSON.
//	HelmChart           Create/Update: helm upgrade R CHART --install [--create-namespace] [--repo] [--values]
//	                    [--version] [--namespace] [--wait] [--timeout] [--atomic]; Delete: helm uninstall R
//	                    [--namespace] [--wait] [--timeout] (errors logged)
//	KubernetesPatch     kubectl patch NAME -n NS -p PATCH --type TYPE (Create/Update: apply patch; Delete: restore)
//	KubernetesObjectValue  kubectl get -n NS TYPE NAME -o=jsonpath='{PATH}', retried until not empty (timeout)
//
// Our Custom::KnativeOnEksReadinessWait runs src/io/knativeoneks/readiness_wait.py's on_event itself, against the
// rehearsal's API server, with a token for its IAM role.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"knative-on-eks/test/cfn"
)

const (
	typeResource    = "Custom::AWSCDK-EKS-KubernetesResource"
	typeHelm        = "Custom::AWSCDK-EKS-HelmChart"
	typePatch       = "Custom::AWSCDK-EKS-KubernetesPatch"
	typeObjectValue = "Custom::AWSCDK-EKS-KubernetesObjectValue"
	typeReadiness   = "Custom::KnativeOnEksReadinessWait"
	typeAccessEntry = "AWS::EKS::AccessEntry"
)

// knownProps are the properties each handler reads; any other one is an input the rehearsal does not model.
var knownProps = map[string][]string{
	typeResource:    {"ServiceToken", "ClusterName", "Manifest", "PruneLabel", "Overwrite", "SkipValidation"},
	typeHelm:        {"ServiceToken", "ClusterName", "Release", "Chart", "Version", "Wait", "Atomic", "Timeout", "Namespace", "CreateNamespace", "Repository", "Values", "SkipCrds"},
	typePatch:       {"ServiceToken", "ClusterName", "ResourceName", "ResourceNamespace", "ApplyPatchJson", "RestorePatchJson", "PatchType"},
	typeObjectValue: {"ServiceToken", "ClusterName", "ObjectType", "ObjectName", "ObjectNamespace", "JsonPath", "TimeoutSeconds"},
	typeReadiness:   {"ServiceToken", "ClusterName", "Endpoint", "CertificateAuthority", "Kind", "Namespace", "Name", "TimeoutSeconds"},
}

// handlerFlags are the command-line flags the handler's source may pass, each one emulated here.
var handlerFlags = map[string]bool{
	"--kubeconfig": true, "--validate=false": true, "--save-config": true, "--prune": true, // apply
	"--install": true, "--create-namespace": true, "--repo": true, "--values": true, "--version": true,
	"--namespace": true, "--wait": true, "--skip-crds": true, "--timeout": true, "--atomic": true, // helm
	"--type": true, // patch
	// helm pull/registry login for oci:// repositories and aws CLI calls: rejected below when a template needs them
	"--untar": true, "--username": true, "--password-stdin": true, "--region": true, "--name": true,
}

var flagLiteral = regexp.MustCompile(`'(--[a-z][a-z0-9-]*(=[a-z]+)?)'`)
var propRead = regexp.MustCompile(`props(?:\['|\.get\(')([A-Za-z]+)'`)

// checkHandler reads the kubectl handler's Python source and fails (bad input) on a flag or property the rehearsal
// does not emulate: a new aws-cdk-lib must not slip past it.
func checkHandler(dir string) error {
	files, _ := filepath.Glob(filepath.Join(dir, "*", "__init__.py"))
	if len(files) < 4 {
		return badf("%s holds no kubectl handler (apply/, helm/, patch/, get/): test/rehearsal/run extracts it from aws-cdk-lib's jar", dir)
	}
	props := map[string]bool{}
	for _, list := range knownProps {
		for _, p := range list {
			props[p] = true
		}
	}
	for _, p := range []string{"ClusterName", "ChartAssetURL"} { // ChartAssetURL: rejected per template below
		props[p] = true
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		for _, m := range flagLiteral.FindAllStringSubmatch(string(src), -1) {
			if !handlerFlags[m[1]] {
				return badf("the kubectl handler passes %s (%s), a flag the rehearsal does not emulate", m[1], f)
			}
		}
		for _, m := range propRead.FindAllStringSubmatch(string(src), -1) {
			if !props[m[1]] {
				return badf("the kubectl handler reads property %s (%s), which the rehearsal does not emulate", m[1], f)
			}
		}
	}
	return nil
}

// checkProps rejects a custom resource property its handler (as emulated here) does not know.
func checkProps(typ, id string, props map[string]any) error {
	known := map[string]bool{}
	for _, p := range knownProps[typ] {
		known[p] = true
	}
	var unknown []string
	for p := range props {
		if !known[p] {
			unknown = append(unknown, p)
		}
	}
	sort.Strings(unknown)
	if len(unknown) > 0 {
		return badf("%s (%s) has property %s, a handler input the rehearsal does not emulate", id, typ, strings.Join(unknown, ", "))
	}
	return nil
}

// run executes a tool with a time limit, returning its combined output.
func run(timeout time.Duration, env []string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		err = fmt.Errorf("did not finish within %s", timeout)
	}
	return strings.TrimSpace(out.String()), err
}

// request is one custom resource event.
type request struct {
	kind     string // Create, Update, Delete
	st       *cfn.Stack
	id       string
	typ      string
	props    map[string]any
	oldProps map[string]any
}

func (r request) name() string { return r.st.Name + "/" + r.id }

// manifestObjects parses a KubernetesResource's Manifest.
func manifestObjects(props map[string]any) ([]map[string]any, error) {
	var list []map[string]any
	if err := json.Unmarshal([]byte(str(props["Manifest"])), &list); err != nil {
		return nil, fmt.Errorf("Manifest is not a JSON list of objects: %w", err)
	}
	return list, nil
}

func objectID(o map[string]any) string {
	meta, _ := o["metadata"].(map[string]any)
	ns, _ := meta["namespace"].(string)
	name, _ := meta["name"].(string)
	kind, _ := o["kind"].(string)
	if ns != "" {
		return kind + " " + ns + "/" + name
	}
	return kind + " " + name
}

// doResource emulates the apply handler.
func (r *rehearsal) doResource(q request, s *step) error {
	objects, err := manifestObjects(q.props)
	if err != nil {
		return err
	}
	if q.kind != "Delete" {
		if err := r.checkNeeds(q, objects); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	for _, o := range objects {
		b, _ := json.Marshal(o)
		buf.Write(b)
	}
	file := filepath.Join(r.work, "manifest.yaml")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		return err
	}
	var opts []string
	if strings.EqualFold(str(q.props["SkipValidation"]), "true") {
		opts = append(opts, "--validate=false")
	}
	var verb string
	switch q.kind {
	case "Create":
		if strings.EqualFold(str(q.props["Overwrite"]), "true") {
			verb = "apply"
		} else {
			verb = "create"
			opts = append(opts, "--save-config")
		}
	case "Update":
		if label := str(q.props["PruneLabel"]); q.props["PruneLabel"] != nil {
			opts = append(opts, "--prune", "-l", label)
		}
		verb = "apply"
	case "Delete":
		verb = "delete"
	}
	args := append([]string{verb, "--kubeconfig", r.kubeconfig(q), "-f", file}, opts...)
	s.Action = "kubectl " + strings.Join(redact(args, file), " ")
	s.Objects = len(objects)
	out, err := run(r.limit, r.toolEnv, r.kubectl, args...)
	s.Output = out
	if err != nil {
		if q.kind == "Delete" {
			// The handler logs a failed delete and reports success: whatever stays is found by the final check.
			s.Note = "delete failed (the handler logs it and succeeds): " + firstLines(out, 3)
			return nil
		}
		return fmt.Errorf("kubectl %s: %v: %s", verb, err, out)
	}
	if q.kind == "Update" {
		var pruned []string
		for _, line := range strings.Split(out, "\n") {
			if strings.HasSuffix(line, " pruned") {
				pruned = append(pruned, strings.TrimSuffix(line, " pruned"))
			}
		}
		if len(pruned) > 0 {
			s.Note = "pruned " + strings.Join(pruned, ", ")
		}
	}
	if q.kind != "Delete" {
		r.applied += len(objects)
		for _, o := range objects {
			r.provide(q, o)
		}
		r.afterApply(q, objects, s)
	}
	return nil
}

// redact shows the manifest file as M in the table.
func redact(args []string, file string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		switch {
		case a == file:
			out[i] = "manifest.yaml"
		case strings.HasSuffix(a, ".kubeconfig"):
			out[i] = "KUBECONFIG"
		case strings.HasSuffix(a, "/values.yaml"):
			out[i] = "values.yaml"
		default:
			out[i] = a
		}
	}
	return out
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "...")
	}
	return strings.Join(lines, " | ")
}

// doHelm emulates the helm handler with a local stand-in chart (see charts.go): the chart repositories are not
// reachable here.
func (r *rehearsal) doHelm(q request, s *step) error {
	release := str(q.props["Release"])
	namespace := str(q.props["Namespace"])
	if q.kind == "Delete" {
		args := []string{"uninstall", release}
		if namespace != "" {
			args = append(args, "--namespace", namespace)
		}
		if truthy(q.props["Wait"]) {
			args = append(args, "--wait")
		}
		if t := str(q.props["Timeout"]); t != "" {
			args = append(args, "--timeout", t)
		}
		args = append(args, "--kubeconfig", r.kubeconfig(q))
		s.Action = "helm " + strings.Join(redact(args, ""), " ")
		out, err := run(r.limit, r.helmEnv(), r.helm, args...)
		s.Output = out
		if err != nil {
			s.Note = "uninstall failed (the handler logs it and succeeds): " + firstLines(out, 3)
		}
		return nil
	}
	if q.props["Chart"] == nil {
		return badf("%s: HelmChart without Chart (ChartAssetURL charts are not emulated)", q.name())
	}
	if strings.HasPrefix(str(q.props["Repository"]), "oci://") {
		return badf("%s: oci:// chart repositories are not emulated", q.name())
	}
	var values map[string]any
	valuesFile := ""
	if v := q.props["Values"]; v != nil {
		if err := json.Unmarshal([]byte(str(v)), &values); err != nil {
			return fmt.Errorf("Values is not JSON: %w", err)
		}
		valuesFile = filepath.Join(r.work, "values.yaml")
		b, _ := json.MarshalIndent(values, "", "  ")
		if err := os.WriteFile(valuesFile, b, 0o600); err != nil {
			return err
		}
	}
	chart, err := r.charts.standIn(str(q.props["Repository"]), str(q.props["Chart"]), str(q.props["Version"]), release, namespace, values)
	if err != nil {
		return err
	}
	if namespace != "" && !truthy(q.props["CreateNamespace"]) {
		if err := r.checkNamespace(q, namespace, "Helm release "+release); err != nil {
			return err
		}
	}
	for _, c := range chart.crds {
		r.provideCRD(q, c)
	}
	// The handler's command, with the repository's chart replaced by the stand-in directory (so no --repo).
	args := []string{"upgrade", release, chart.dir, "--install"}
	if truthy(q.props["CreateNamespace"]) {
		args = append(args, "--create-namespace")
	}
	if valuesFile != "" {
		args = append(args, "--values", valuesFile)
	}
	if v := str(q.props["Version"]); v != "" {
		args = append(args, "--version", v)
	}
	if namespace != "" {
		args = append(args, "--namespace", namespace)
	}
	if truthy(q.props["Wait"]) {
		args = append(args, "--wait")
	}
	if t := str(q.props["Timeout"]); t != "" {
		args = append(args, "--timeout", t)
	}
	if truthy(q.props["Atomic"]) {
		args = append(args, "--atomic")
	}
	args = append(args, "--kubeconfig", r.kubeconfig(q))
	s.Action = "helm " + strings.Join(redact(args, ""), " ")
	s.Action = strings.Replace(s.Action, chart.dir, str(q.props["Chart"])+"(stand-in; real: --repo "+str(q.props["Repository"])+")", 1)
	s.Objects = chart.objects
	s.Simulated = append(s.Simulated, chart.note)
	out, err := run(r.limit, r.helmEnv(), r.helm, args...)
	s.Output = out
	if err != nil {
		return fmt.Errorf("helm upgrade --install %s: %v: %s", release, err, out)
	}
	if namespace != "" {
		r.provideNamespace(q, namespace)
	}
	r.applied += chart.objects
	return nil
}

func truthy(v any) bool {
	// CloudFormation passes every property as a string and the handler tests it for truth: any non-empty string is
	// true, "false" included.
	return str(v) != ""
}

func (r *rehearsal) helmEnv() []string {
	return append([]string{"HELM_CACHE_HOME=" + filepath.Join(r.work, "helm", "cache"),
		"HELM_CONFIG_HOME=" + filepath.Join(r.work, "helm", "config"),
		"HELM_DATA_HOME=" + filepath.Join(r.work, "helm", "data")}, r.toolEnv...)
}

// doPatch emulates the patch handler.
func (r *rehearsal) doPatch(q request, s *step) error {
	patch := str(q.props["ApplyPatchJson"])
	if q.kind == "Delete" {
		patch = str(q.props["RestorePatchJson"])
	}
	ns := str(q.props["ResourceNamespace"])
	if q.kind != "Delete" {
		if err := r.checkNamespace(q, ns, "patch of "+str(q.props["ResourceName"])); err != nil {
			return err
		}
	}
	args := []string{"--kubeconfig", r.kubeconfig(q), "patch", str(q.props["ResourceName"]), "-n", ns, "-p", patch,
		"--type", str(q.props["PatchType"])}
	s.Action = "kubectl " + strings.Join(redact(args, ""), " ")
	s.Objects = 1
	out, err := run(r.limit, r.toolEnv, r.kubectl, args...)
	s.Output = out
	if err != nil {
		// Unlike apply and helm, the patch handler raises on Delete too: CloudFormation's delete fails.
		return fmt.Errorf("kubectl patch: %v: %s", err, out)
	}
	if q.kind != "Delete" {
		r.applied++
	}
	return nil
}

// doObjectValue emulates the get handler: retried until the value is not empty, for at most TimeoutSeconds (capped
// by the rehearsal's limit).
func (r *rehearsal) doObjectValue(q request, s *step) error {
	if q.kind == "Delete" {
		s.Action = "nothing (the get handler ignores Delete)"
		return nil
	}
	path := str(q.props["JsonPath"])
	args := []string{"--kubeconfig", r.kubeconfig(q), "get", "-n", str(q.props["ObjectNamespace"]),
		str(q.props["ObjectType"]), str(q.props["ObjectName"]), "-o=jsonpath='{" + path + "}'"}
	s.Action = "kubectl " + strings.Join(redact(args, ""), " ")
	timeout := r.limit
	var seconds int
	if _, err := fmt.Sscan(str(q.props["TimeoutSeconds"]), &seconds); err == nil && time.Duration(seconds)*time.Second < timeout {
		timeout = time.Duration(seconds) * time.Second
	}
	deadline := time.Now().Add(timeout)
	var last string
	for i := 0; i < 1000 && time.Now().Before(deadline); i++ {
		out, err := run(r.limit, r.toolEnv, r.kubectl, args...)
		if err == nil && len(out) >= 2 {
			if value := out[1 : len(out)-1]; value != "" {
				s.Output = value
				s.Note = "value: " + value
				return nil
			}
		}
		last = out
		time.Sleep(time.Second)
	}
	return fmt.Errorf("no value at %s of %s %s/%s after %s (last output: %s)", path, str(q.props["ObjectType"]),
		str(q.props["ObjectNamespace"]), str(q.props["ObjectName"]), timeout, last)
}

// doReadiness runs our readiness wait's handler (readiness_wait.py) with a token of its role.
func (r *rehearsal) doReadiness(q request, s *step) error {
	principal := r.principalOf(q)
	token := r.cp.tokens[principal]
	if token == "" {
		return fmt.Errorf("the readiness wait's role %s has no access entry in any template", principal)
	}
	if q.kind != "Delete" {
		if err := r.checkAccess(q, principal); err != nil {
			return err
		}
	}
	props := map[string]any{}
	for k, v := range q.props {
		props[k] = str(v)
	}
	event := map[string]any{"RequestType": q.kind, "ResourceProperties": props}
	b, _ := json.Marshal(event)
	file := filepath.Join(r.work, "event.json")
	os.WriteFile(file, b, 0o600)
	s.Action = fmt.Sprintf("readiness_wait.on_event(%s %s %s/%s) as %s", q.kind, str(q.props["Kind"]),
		str(q.props["Namespace"]), str(q.props["Name"]), principal)
	out, err := run(r.limit+10*time.Second, []string{"REHEARSAL_TOKEN=" + token,
		fmt.Sprintf("REHEARSAL_TIMEOUT=%d", int(r.limit.Seconds()))}, r.python, r.readinessRunner, r.readinessWait, file)
	s.Output = out
	if err != nil {
		return fmt.Errorf("readiness wait: %s", out)
	}
	s.Note = firstLines(out, 1)
	return nil
}
