package main

// Stand-ins for the Helm charts the templates install. The real charts are downloaded from their repositories at
// deploy time, which this machine cannot reach, so each pinned chart is replaced by a local chart of the same name and
// version that installs what later resources depend on:
//
//   - the chart's CRDs, from the pinned upstream sources in Go's module cache (Istio's from istio.io/api, the Knative
//     Operator's from knative.dev/operator, the Prometheus Operator's from its module), as
//     templates of the release (installed and, on uninstall, deleted with it, unless they say
//     helm.sh/resource-policy: keep, as Istio's do);
//   - the workloads and Services later resources wait for or read (istiod, the gateway's Deployment and its
//     LoadBalancer Service with the annotations of our values, the operators' Deployments), whose status the
//     simulated controllers (sim.go) fill in.
//
// The real Helm 4 binary installs the stand-in with the handler's flags (release, namespace, --create-namespace,
// --values, --version, --wait, --timeout), so Helm's release bookkeeping, its wait and its uninstall are real. The
// chart's own templates (RBAC, webhooks, ConfigMaps) are not rendered: what they would create is not rehearsed.
// A chart or version without an entry here is bad input: the rehearsal never guesses what a chart installs.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// crdSource is where one upstream module keeps CRDs: files under a directory, matched by a pattern.
type crdSource struct {
	module, version, dir, pattern string
}

// chartSpec is what one pinned chart installs in the rehearsal.
type chartSpec struct {
	crds      []crdSource
	crdsDir   bool // the chart keeps its CRDs in crds/ (Helm installs them, never upgrades or deletes them)
	workloads func(release, namespace string, values map[string]any) []map[string]any
	note      string
}

// charts by "repository chart version".
var chartSpecs = map[string]chartSpec{
	"https://blob.istio.io/istio-release/charts base 1.31.1": {
		crds: []crdSource{{"istio.io/api", "v1.31.1", "kubernetes", "customresourcedefinitions.gen.yaml"}},
		note: "chart base 1.31.1: Istio's CRDs from istio.io/api v1.31.1 (as release templates)",
	},
	"https://blob.istio.io/istio-release/charts istiod 1.31.1": {
		workloads: func(release, ns string, _ map[string]any) []map[string]any {
			return []map[string]any{deployment("istiod", ns, map[string]any{"app": "istiod"})}
		},
		note: "chart istiod 1.31.1: Deployment istiod only (no webhooks, no ConfigMaps)",
	},
	"https://blob.istio.io/istio-release/charts gateway 1.31.1": {
		workloads: func(release, ns string, values map[string]any) []map[string]any {
			labels := map[string]any{"app": release, "istio": "ingressgateway"}
			svc := map[string]any{"apiVersion": "v1", "kind": "Service",
				"metadata": map[string]any{"name": release, "namespace": ns, "labels": labels, "annotations": path(values, "service", "annotations")},
				"spec": map[string]any{"type": "LoadBalancer", "selector": labels, "ports": []any{
					map[string]any{"name": "status-port", "port": 15021, "targetPort": 15021},
					map[string]any{"name": "http2", "port": 80, "targetPort": 80},
					map[string]any{"name": "https", "port": 443, "targetPort": 443}}}}
			if ann, ok := svc["metadata"].(map[string]any)["annotations"].(map[string]any); !ok || len(ann) == 0 {
				delete(svc["metadata"].(map[string]any), "annotations")
			}
			return []map[string]any{deployment(release, ns, labels), svc}
		},
		note: "chart gateway 1.31.1: Deployment and LoadBalancer Service (annotations from values.service.annotations)",
	},
	"https://knative.github.io/operator knative-operator v1.23.0": {
		crds: []crdSource{{"knative.dev/operator", "v0.50.0", "config/crd/bases", "*.yaml"}},
		workloads: func(release, ns string, _ map[string]any) []map[string]any {
			return []map[string]any{deployment("knative-operator", ns, map[string]any{"name": "knative-operator"}),
				deployment("operator-webhook", ns, map[string]any{"name": "operator-webhook"})}
		},
		note: "chart knative-operator v1.23.0: KnativeServing/KnativeEventing CRDs from knative.dev/operator v0.50.0, Deployments knative-operator and operator-webhook",
	},
	"https://prometheus-community.github.io/helm-charts kube-prometheus-stack 88.5.3": {
		crds:    []crdSource{{"github.com/prometheus-operator/prometheus-operator", "v0.93.1", "example/prometheus-operator-crd", "*.yaml"}},
		crdsDir: true, // charts/crds/crds of the real chart
		workloads: func(release, ns string, _ map[string]any) []map[string]any {
			return []map[string]any{deployment(release+"-operator", ns, map[string]any{"app": release + "-operator"}),
				deployment(release+"-grafana", ns, map[string]any{"app.kubernetes.io/name": "grafana"}),
				deployment(release+"-kube-state-metrics", ns, map[string]any{"app.kubernetes.io/name": "kube-state-metrics"})}
		},
		note: "chart kube-prometheus-stack 88.5.3: Prometheus Operator v0.93.1 CRDs (in crds/, as the chart has them; its CRD upgrade Job hook is not run), Deployments operator, grafana, kube-state-metrics",
	},
}

// moduleDirs overrides where a module is (tests).
var moduleDirs = map[string]string{}

func deployment(name, ns string, labels map[string]any) map[string]any {
	return map[string]any{"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": name, "namespace": ns, "labels": labels},
		"spec": map[string]any{"replicas": 1, "selector": map[string]any{"matchLabels": labels},
			"template": map[string]any{"metadata": map[string]any{"labels": labels},
				"spec": map[string]any{"containers": []any{map[string]any{"name": "main", "image": "registry.invalid/" + name + ":stand-in"}}}}}}
}

func path(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		mm, _ := v.(map[string]any)
		v = mm[k]
	}
	return v
}

type charts struct {
	dir string
}

type standIn struct {
	dir     string
	crds    []map[string]any
	objects int
	note    string
}

// moduleDir finds a module in Go's module cache (test/rehearsal/run downloads them).
func moduleDir(module, version string) (string, error) {
	if d, ok := moduleDirs[module]; ok {
		return d, nil
	}
	cache := os.Getenv("GOMODCACHE")
	escaped := regexp.MustCompile(`[A-Z]`).ReplaceAllStringFunc(module, func(s string) string { return "!" + strings.ToLower(s) })
	dir := filepath.Join(cache, escaped+"@"+version)
	if _, err := os.Stat(dir); err != nil {
		return "", badf("module %s@%s is not in Go's module cache %s (test/rehearsal/run downloads it)", module, version, cache)
	}
	return dir, nil
}

// readYAMLObjects reads every object of the YAML files of dir matching pattern.
func readYAMLObjects(dir, pattern string) ([]map[string]any, error) {
	files, _ := filepath.Glob(filepath.Join(dir, pattern))
	sort.Strings(files)
	if len(files) == 0 {
		return nil, badf("no %s in %s", pattern, dir)
	}
	var out []map[string]any
	for _, f := range files {
		objects, err := readYAMLFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, objects...)
	}
	return out, nil
}

var docSeparator = regexp.MustCompile(`(?m)^---\s*$`)

func readYAMLFile(f string) ([]map[string]any, error) {
	data, err := os.ReadFile(f)
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for _, doc := range docSeparator.Split(string(data), -1) {
		var o map[string]any
		if err := yaml.Unmarshal([]byte(doc), &o); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if o != nil && o["kind"] != nil {
			out = append(out, o)
		}
	}
	return out, nil
}

// chartCRDs are the CRDs a known chart installs (none for an unknown one: standIn rejects it when it runs).
func chartCRDs(repo, chart, version string) ([]map[string]any, error) {
	spec, ok := chartSpecs[repo+" "+chart+" "+version]
	if !ok {
		return nil, nil
	}
	var out []map[string]any
	for _, src := range spec.crds {
		dir, err := moduleDir(src.module, src.version)
		if err != nil {
			return nil, err
		}
		list, err := readYAMLObjects(filepath.Join(dir, src.dir), src.pattern)
		if err != nil {
			return nil, err
		}
		for _, o := range list {
			if o["kind"] == "CustomResourceDefinition" {
				out = append(out, o)
			}
		}
	}
	return out, nil
}

// standIn writes the stand-in chart for one HelmChart resource.
func (c *charts) standIn(repo, chart, version, release, namespace string, values map[string]any) (*standIn, error) {
	spec, ok := chartSpecs[repo+" "+chart+" "+version]
	if !ok {
		return nil, badf("chart %s %s from %s: the rehearsal does not know what it installs (add it to test/rehearsal/charts.go)", chart, version, repo)
	}
	s := &standIn{dir: filepath.Join(c.dir, release+"-"+shortHash(repo+chart+version+fmt.Sprint(values))), note: spec.note}
	crds, err := chartCRDs(repo, chart, version)
	if err != nil {
		return nil, err
	}
	s.crds = crds
	var objects []map[string]any
	os.RemoveAll(s.dir)
	if spec.crdsDir {
		os.MkdirAll(filepath.Join(s.dir, "crds"), 0o755)
		for i, o := range crds {
			b, _ := json.Marshal(o)
			if err := os.WriteFile(filepath.Join(s.dir, "crds", fmt.Sprintf("crd-%03d.yaml", i)), b, 0o644); err != nil {
				return nil, err
			}
		}
	} else {
		objects = append(objects, crds...)
	}
	if spec.workloads != nil {
		objects = append(objects, spec.workloads(release, namespace, values)...)
	}
	s.objects = len(objects)
	if spec.crdsDir {
		s.objects += len(crds)
	}
	if err := os.MkdirAll(filepath.Join(s.dir, "templates"), 0o755); err != nil {
		return nil, err
	}
	os.MkdirAll(filepath.Join(s.dir, "files"), 0o755)
	meta := fmt.Sprintf("apiVersion: v2\nname: %s\nversion: %s\ndescription: rehearsal stand-in for %s %s from %s\n",
		chart, strings.TrimPrefix(version, "v"), chart, version, repo)
	var docs []string
	for _, o := range objects {
		b, _ := json.Marshal(o)
		docs = append(docs, string(b))
	}
	if err := os.WriteFile(filepath.Join(s.dir, "Chart.yaml"), []byte(meta), 0o644); err != nil {
		return nil, err
	}
	// The objects go through .Files.Get so that nothing in them is read as a Go template.
	os.WriteFile(filepath.Join(s.dir, "files", "objects.yaml"), []byte(strings.Join(docs, "\n---\n")+"\n"), 0o644)
	os.WriteFile(filepath.Join(s.dir, "templates", "objects.yaml"), []byte(`{{ .Files.Get "files/objects.yaml" }}`), 0o644)
	return s, nil
}
