package main

// Controllers that cannot run here, simulated by what they would write. A loop (every 250 ms while an app is
// rehearsed) plays:
//
//   - kubelet + Deployment/DaemonSet/StatefulSet controllers: a workload's status says its replicas are ready (no
//     ReplicaSet, no pod: nothing runs);
//   - kubelet + Job controller: a Job completes (SuccessCriteriaMet, Complete): the image build "succeeds";
//   - the cloud's load balancer: a LoadBalancer Service gets the service.kubernetes.io/load-balancer-cleanup
//     finalizer and an ELB hostname; when deleted, the finalizer goes after a second (the NLB was deleted);
//
// and, right after a manifest with a KnativeServing or KnativeEventing is applied, the Knative Operator (operator.go
// in spirit, not in code): it installs the release's CRDs and, in the CR's namespace, its Deployments (owned by the
// CR, so the garbage collector removes them with it, as the operator's finalizer would), plus net-istio's Gateways
// for Serving. It reconciles only while its own Deployment (knative-operator) exists, as the real one would, and it
// keeps the CRDs when the CR goes (the operator deletes everything but CRDs).
// Everything simulated is written with the field manager "rehearsal-simulation".

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

type simulator struct {
	cp      *controlPlane
	stop    chan struct{}
	done    chan struct{}
	mu      sync.Mutex
	counts  map[string]int // what was simulated, for the report
	errors  []string
	deleted map[string]time.Time // LoadBalancer services seen deleting
}

func startSimulator(cp *controlPlane) *simulator {
	s := &simulator{cp: cp, stop: make(chan struct{}), done: make(chan struct{}), counts: map[string]int{},
		deleted: map[string]time.Time{}}
	go func() {
		defer close(s.done)
		for i := 0; ; i++ {
			select {
			case <-s.stop:
				return
			case <-time.After(250 * time.Millisecond):
			}
			s.tick()
		}
	}()
	return s
}

func (s *simulator) halt() {
	close(s.stop)
	<-s.done
}

func (s *simulator) count(what string) {
	s.mu.Lock()
	s.counts[what]++
	s.mu.Unlock()
}

func (s *simulator) fail(err error) {
	s.mu.Lock()
	if len(s.errors) < 20 {
		s.errors = append(s.errors, err.Error())
	}
	s.mu.Unlock()
}

func meta(o map[string]any) map[string]any {
	m, _ := o["metadata"].(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m
}

func num(v any, fallback float64) float64 {
	if f, ok := v.(float64); ok {
		return f
	}
	return fallback
}

func (s *simulator) tick() {
	now := time.Now().UTC().Format(time.RFC3339)
	// Workloads.
	for _, kind := range []string{"deployments", "statefulsets", "daemonsets"} {
		items, err := s.cp.list("/apis/apps/v1/" + kind)
		if err != nil {
			s.fail(err)
			continue
		}
		for _, o := range items {
			m := meta(o)
			spec, _ := o["spec"].(map[string]any)
			status, _ := o["status"].(map[string]any)
			gen := num(m["generation"], 1)
			replicas := num(spec["replicas"], 1)
			if kind == "daemonsets" {
				replicas = 1 // one node
			}
			if m["deletionTimestamp"] != nil || num(status["observedGeneration"], 0) >= gen &&
				(kind == "daemonsets" && num(status["numberReady"], -1) == 1 || kind != "daemonsets" && num(status["readyReplicas"], 0) == replicas) {
				continue
			}
			var st map[string]any
			switch kind {
			case "deployments":
				st = map[string]any{"observedGeneration": gen, "replicas": replicas, "updatedReplicas": replicas,
					"readyReplicas": replicas, "availableReplicas": replicas, "conditions": []any{
						map[string]any{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable", "message": "simulated", "lastUpdateTime": now, "lastTransitionTime": now},
						map[string]any{"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable", "message": "simulated", "lastUpdateTime": now, "lastTransitionTime": now}}}
			case "statefulsets":
				st = map[string]any{"observedGeneration": gen, "replicas": replicas, "updatedReplicas": replicas,
					"readyReplicas": replicas, "availableReplicas": replicas, "currentReplicas": replicas,
					"currentRevision": "rev", "updateRevision": "rev"}
			case "daemonsets":
				st = map[string]any{"observedGeneration": gen, "currentNumberScheduled": 1, "desiredNumberScheduled": 1,
					"numberReady": 1, "numberAvailable": 1, "updatedNumberScheduled": 1, "numberMisscheduled": 0}
			}
			if err := s.cp.patch(objectPath("apps/v1", kind, str(m["namespace"]), str(m["name"]))+"/status", map[string]any{"status": st}); err != nil {
				s.fail(err)
				continue
			}
			s.count(fmt.Sprintf("%s ready (kubelet and %s controller)", strings.TrimSuffix(kind, "s"), strings.TrimSuffix(kind, "s")))
			if os.Getenv("REHEARSAL_DEBUG") != "" {
				fmt.Fprintf(os.Stderr, "sim: %s %s/%s ready (generation %v, status %v)\n", kind, m["namespace"], m["name"], gen, status)
			}
		}
	}
	// Jobs.
	jobs, err := s.cp.list("/apis/batch/v1/jobs")
	if err != nil {
		s.fail(err)
	}
	for _, o := range jobs {
		m := meta(o)
		status, _ := o["status"].(map[string]any)
		if status["completionTime"] != nil || m["deletionTimestamp"] != nil {
			continue
		}
		spec, _ := o["spec"].(map[string]any)
		completions := num(spec["completions"], 1)
		st := map[string]any{"startTime": now, "completionTime": now, "succeeded": completions, "active": 0,
			"ready": 0, "terminating": 0, "conditions": []any{
				map[string]any{"type": "SuccessCriteriaMet", "status": "True", "reason": "CompletionsReached", "message": "simulated", "lastProbeTime": now, "lastTransitionTime": now},
				map[string]any{"type": "Complete", "status": "True", "reason": "CompletionsReached", "message": "simulated", "lastProbeTime": now, "lastTransitionTime": now}}}
		if err := s.cp.patch(objectPath("batch/v1", "jobs", str(m["namespace"]), str(m["name"]))+"/status", map[string]any{"status": st}); err != nil {
			s.fail(err)
			continue
		}
		s.count("Job complete (kubelet, Job controller: the build succeeded)")
	}
	// Load balancers.
	services, err := s.cp.list("/api/v1/services")
	if err != nil {
		s.fail(err)
	}
	for _, o := range services {
		m := meta(o)
		spec, _ := o["spec"].(map[string]any)
		if spec["type"] != "LoadBalancer" {
			continue
		}
		p := objectPath("v1", "services", str(m["namespace"]), str(m["name"]))
		finalizers, _ := m["finalizers"].([]any)
		const cleanup = "service.kubernetes.io/load-balancer-cleanup"
		if m["deletionTimestamp"] != nil {
			key := str(m["uid"])
			if s.deleted[key].IsZero() {
				s.deleted[key] = time.Now()
			} else if time.Since(s.deleted[key]) > time.Second {
				var rest []any
				for _, f := range finalizers {
					if f != cleanup {
						rest = append(rest, f)
					}
				}
				if err := s.cp.patch(p, map[string]any{"metadata": map[string]any{"finalizers": rest, "resourceVersion": m["resourceVersion"]}}); err != nil {
					s.fail(err)
				} else {
					s.count("load balancer deleted, its finalizer removed")
				}
			}
			continue
		}
		has := false
		for _, f := range finalizers {
			has = has || f == cleanup
		}
		if !has {
			if err := s.cp.patch(p, map[string]any{"metadata": map[string]any{"finalizers": append(finalizers, cleanup)}}); err != nil {
				s.fail(err)
			}
		}
		status, _ := o["status"].(map[string]any)
		lb, _ := status["loadBalancer"].(map[string]any)
		if ingress, _ := lb["ingress"].([]any); len(ingress) > 0 {
			continue
		}
		host := fmt.Sprintf("k8s-%s-%s.elb.us-east-1.amazonaws.com", str(m["name"]), shortHash(str(m["uid"])))
		if err := s.cp.patch(p+"/status", map[string]any{"status": map[string]any{"loadBalancer": map[string]any{
			"ingress": []any{map[string]any{"hostname": host}}}}}); err != nil {
			s.fail(err)
			continue
		}
		s.count("load balancer provisioned (hostname in the Service's status)")
	}
}

// objectPath is the REST path of a namespaced object or collection.
func objectPath(apiVersion, resource, namespace, name string) string {
	base := "/apis/" + apiVersion
	if !strings.Contains(apiVersion, "/") {
		base = "/api/" + apiVersion
	}
	if namespace != "" {
		base += "/namespaces/" + namespace
	}
	base += "/" + resource
	if name != "" {
		base += "/" + name
	}
	return base
}

// knativeOperator installs, as the Knative Operator would, what a KnativeServing or KnativeEventing asks for. It
// returns the CRDs it installed (so that ordering can be checked) and a note for the report.
func knativeOperator(cp *controlPlane, kodata string, cr map[string]any) ([]map[string]any, string, error) {
	kind := str(cr["kind"])
	m := meta(cr)
	ns, name := str(m["namespace"]), str(m["name"])
	op, err := cp.get("/apis/apps/v1/namespaces/knative-operator/deployments/knative-operator")
	if err != nil {
		return nil, "", err
	}
	if op == nil {
		return nil, "", fmt.Errorf("%s %s/%s: the Knative Operator (Deployment knative-operator/knative-operator) is not installed: nothing would reconcile it", kind, ns, name)
	}
	plural := strings.ToLower(kind) + "s"
	live, err := cp.get(objectPath("operator.knative.dev/v1beta1", plural, ns, name))
	if err != nil || live == nil {
		return nil, "", fmt.Errorf("%s %s/%s not found after apply: %v", kind, ns, name, err)
	}
	crds, objects, err := operatorRelease(kodata, cr)
	if err != nil {
		return nil, "", err
	}
	var rest []map[string]any
	for _, o := range objects {
		k := str(o["kind"])
		om := meta(o)
		if (k == "Deployment" || k == "Gateway") && str(om["namespace"]) == ns {
			om["ownerReferences"] = []any{map[string]any{"apiVersion": cr["apiVersion"], "kind": kind,
				"name": name, "uid": meta(live)["uid"], "controller": true, "blockOwnerDeletion": true}}
			rest = append(rest, o)
		}
	}
	component, version := releaseOf(cr)
	for _, o := range crds {
		if err := cp.apply("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"+str(meta(o)["name"]), o); err != nil {
			return nil, "", fmt.Errorf("Knative Operator (simulated) installing %s: %w", objectID(o), err)
		}
	}
	if err := waitEstablished(cp, crds, 30*time.Second); err != nil {
		return nil, "", err
	}
	for _, o := range rest {
		group := str(o["apiVersion"])
		resource := strings.ToLower(str(o["kind"])) + "s"
		if err := cp.apply(objectPath(group, resource, ns, str(meta(o)["name"])), o); err != nil {
			return nil, "", fmt.Errorf("Knative Operator (simulated) installing %s: %w", objectID(o), err)
		}
	}
	note := fmt.Sprintf("Knative Operator for %s %s/%s: %s %s's %d CRDs and %d Deployments/Gateways (owned by the CR)",
		kind, ns, name, component, version, len(crds), len(rest))
	return crds, note, nil
}

// releaseOf is the component and version a KnativeServing or KnativeEventing asks for.
func releaseOf(cr map[string]any) (string, string) {
	component := "knative-serving"
	if str(cr["kind"]) == "KnativeEventing" {
		component = "knative-eventing"
	}
	spec, _ := cr["spec"].(map[string]any)
	version := str(spec["version"])
	if version == "" {
		version = "1.23.0"
	}
	if strings.Count(version, ".") == 1 {
		version += ".0"
	}
	return component, version
}

// operatorRelease reads the release the operator installs for cr from its kodata: the CRDs and the other objects.
func operatorRelease(kodata string, cr map[string]any) (crds, objects []map[string]any, err error) {
	component, version := releaseOf(cr)
	files, _ := filepath.Glob(filepath.Join(kodata, component, version, "*.yaml"))
	if component == "knative-serving" {
		minor := version[:strings.LastIndex(version, ".")]
		more, _ := filepath.Glob(filepath.Join(kodata, "ingress", minor, "istio", "*.yaml"))
		files = append(files, more...)
	}
	if len(files) == 0 {
		return nil, nil, badf("%s: no release %s %s in the Knative Operator's kodata %s", objectID(cr), component, version, kodata)
	}
	for _, f := range files {
		list, err := readYAMLFile(f)
		if err != nil {
			return nil, nil, err
		}
		for _, o := range list {
			if str(o["kind"]) == "CustomResourceDefinition" {
				crds = append(crds, o)
			} else {
				objects = append(objects, o)
			}
		}
	}
	return crds, objects, nil
}

// waitEstablished waits until each CRD is Established (the API server serves it).
func waitEstablished(cp *controlPlane, crds []map[string]any, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for _, c := range crds {
		name := str(meta(c)["name"])
		for i := 0; ; i++ {
			o, err := cp.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + name)
			if err == nil && o != nil {
				status, _ := o["status"].(map[string]any)
				conds, _ := status["conditions"].([]any)
				ok := false
				for _, x := range conds {
					cm, _ := x.(map[string]any)
					ok = ok || (cm["type"] == "Established" && cm["status"] == "True")
				}
				if ok {
					break
				}
			}
			if time.Now().After(deadline) || i > 300 {
				return fmt.Errorf("CRD %s not established after %s", name, timeout)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return nil
}
