package main

// One scenario: a fresh control plane, the first assembly created resource by resource in CloudFormation's order,
// each further assembly applied over it as a CloudFormation UPDATE (only resources whose evaluated properties changed,
// new ones created, removed ones deleted in the cleanup phase, in reverse order), then the last one deleted in reverse
// order, after which nothing the templates created may remain.
//
// Besides the API server's own verdicts, each step is checked against the dependency graph: an object applied into a
// namespace, of a custom kind, or by an IAM role whose access comes from another resource must depend on that resource
// (directly or not), because CloudFormation runs resources without a dependency path between them in any order.

import (
	"encoding/json"
	"fmt"
	"os"
	pathpkg "path"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"knative-on-eks/test/cfn"
)

type step struct {
	Phase     string
	Stack, ID string
	Type      string
	Request   string
	Action    string
	Objects   int
	Result    string
	Note      string
	Output    string
	Simulated []string
	Dur       time.Duration
}

type provider struct {
	stack, id string
	what      string
}

type rehearsal struct {
	name                           string
	cp                             *controlPlane
	sim                            *simulator
	charts                         *charts
	kubectl                        string
	helm                           string
	python                         string
	readinessWait, readinessRunner string
	kodata                         string
	work                           string
	limit                          time.Duration
	toolEnv                        []string
	steps                          []*step
	rejections                     []string
	notes                          []string
	applied, updates, deletes      int
	providers                      map[string][]provider
	asm                            *cfn.Assembly
	builtin                        map[string]bool // API groups served before the app
	baseline                       map[string]map[string]any
	kubeconfigs                    map[string]string
	granted                        map[string][]string // access entry stack/id -> binding paths
	phase                          string
	live                           []liveResource // created and not deleted, in creation order
	unchanged                      bool           // the scenario's updates must change nothing
	leftBehind                     leftBehind
}

// leftBehind lists objects that stay after a delete on purpose: "PATTERN reason" lines, PATTERN a glob on
// "group/Kind namespace/name" (path.Match syntax).
type leftBehind []struct{ pattern, reason string }

func readLeftBehind(file string) (leftBehind, error) {
	if file == "" {
		return nil, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, badf("%v", err)
	}
	var out leftBehind
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		// The pattern is the key's two fields: "group/Kind" and "namespace/name".
		f := strings.Fields(line)
		if len(f) < 3 {
			return nil, badf("%s:%d: expected \"group/Kind namespace/name reason\"", file, i+1)
		}
		pattern := f[0] + " " + f[1]
		if _, err := pathpkg.Match(pattern, ""); err != nil {
			return nil, badf("%s:%d: %v", file, i+1, err)
		}
		out = append(out, struct{ pattern, reason string }{pattern, strings.Join(f[2:], " ")})
	}
	return out, nil
}

func (l leftBehind) allows(key string) string {
	for _, e := range l {
		if ok, _ := pathpkg.Match(e.pattern, key); ok {
			return e.reason
		}
	}
	return ""
}

type liveResource struct {
	a  *cfn.Assembly
	st *cfn.Stack
	id string
}

func (r *rehearsal) reject(q request, err error) {
	msg := fmt.Sprintf("%s (%s, %s): %v", q.name(), q.typ, q.kind, err)
	r.rejections = append(r.rejections, msg)
}

// eval is the fake deployment of stack st with the rehearsal's API server as its EKS cluster.
func (r *rehearsal) eval(st *cfn.Stack) cfn.Deployment {
	return r.evalIn(r.asm, st)
}

// evalIn is eval of stack st of assembly a.
func (r *rehearsal) evalIn(a *cfn.Assembly, st *cfn.Stack) cfn.Deployment {
	return cfn.Deployment{Assembly: a, Stack: st, Attributes: map[string]string{
		"AWS::EKS::Cluster.Endpoint": r.cp.endpoint, "AWS::EKS::Cluster.CertificateAuthorityData": r.cp.caData()}}
}

// principalOf is the IAM role a custom resource's handler runs as: ServiceToken -> the provider framework's function
// -> its USER_ON_EVENT_FUNCTION_ARN -> that function's role. A provider that is not in the template (an imported
// kubectl provider) acts with access granted outside the app.
func principalOf(a *cfn.Assembly, st *cfn.Stack, id string) (string, bool) {
	f := cfn.Deployment{Assembly: a, Stack: st}
	getAttID := func(v any) string {
		m, _ := v.(map[string]any)
		ga, _ := m["Fn::GetAtt"].([]any)
		if len(ga) == 2 && ga[1] == "Arn" {
			s, _ := ga[0].(string)
			return s
		}
		return ""
	}
	props, _ := st.Resources[id]["Properties"].(map[string]any)
	fw := getAttID(props["ServiceToken"])
	if fwr, ok := st.Resources[fw]; ok {
		fp, _ := fwr["Properties"].(map[string]any)
		handler := getAttID(path(fp, "Environment", "Variables", "USER_ON_EVENT_FUNCTION_ARN"))
		if handler == "" {
			handler = fw // a provider without the framework
		}
		if hr, ok := st.Resources[handler]; ok {
			hp, _ := hr["Properties"].(map[string]any)
			if role, err := f.Eval(hp["Role"]); err == nil {
				if s, ok := role.(string); ok {
					return s, false
				}
			}
		}
	}
	token, err := f.Eval(props["ServiceToken"])
	if err != nil {
		token = "unresolved"
	}
	return "imported-provider:" + shortHash(str(token)), true
}

func (r *rehearsal) principalOfReq(q request) string {
	p, _ := principalOf(r.asm, q.st, q.id)
	return p
}

func (r *rehearsal) principalOf(q request) string { return r.principalOfReq(q) }

func (r *rehearsal) kubeconfig(q request) string {
	p := r.principalOf(q)
	if path, ok := r.kubeconfigs[p]; ok {
		return path
	}
	path := filepath.Join(r.work, shortHash(p)+".kubeconfig")
	if err := r.cp.writeKubeconfig(p, path); err != nil {
		path = filepath.Join(r.work, "missing.kubeconfig")
	}
	r.kubeconfigs[p] = path
	return path
}

// --- ordering checks -------------------------------------------------------------------------------------------

func apiGroup(apiVersion string) string {
	if i := strings.Index(apiVersion, "/"); i >= 0 {
		return apiVersion[:i]
	}
	return ""
}

func (r *rehearsal) addProvider(key string, p provider) {
	for _, x := range r.providers[key] {
		if x.stack == p.stack && x.id == p.id {
			return
		}
	}
	r.providers[key] = append(r.providers[key], p)
}

func (r *rehearsal) provide(q request, o map[string]any) {
	switch str(o["kind"]) {
	case "Namespace":
		r.addProvider("ns:"+str(meta(o)["name"]), provider{q.st.Name, q.id, "namespace " + str(meta(o)["name"])})
	case "CustomResourceDefinition":
		r.provideCRD(q, o)
	}
}

func (r *rehearsal) provideCRD(q request, crd map[string]any) {
	spec, _ := crd["spec"].(map[string]any)
	names, _ := spec["names"].(map[string]any)
	key := "crd:" + str(spec["group"]) + "/" + str(names["kind"])
	r.addProvider(key, provider{q.st.Name, q.id, "CRD " + str(meta(crd)["name"])})
}

func (r *rehearsal) provideNamespace(q request, ns string) {
	if !r.baselineNamespace(ns) {
		r.addProvider("ns:"+ns, provider{q.st.Name, q.id, "namespace " + ns})
	}
}

func (r *rehearsal) baselineNamespace(ns string) bool {
	_, ok := r.baseline["/Namespace "+ns]
	return ok
}

// staticProviders finds, before anything runs, which resource of a provides each namespace, CRD and access entry:
// namespaces and CRDs in manifests, namespaces Helm creates, the CRDs of charts and of the Knative Operator's
// releases, access entries' principals. The ordering check is then independent of the order resources happen to run
// in: a resource that needs one of them must depend on a provider whether or not that provider ran before it.
func (r *rehearsal) staticProviders(a *cfn.Assembly) error {
	r.providers = map[string][]provider{}
	saved := r.asm
	r.asm = a
	defer func() { r.asm = saved }()
	for _, st := range a.Stacks {
		for _, id := range st.Order {
			t := str(st.Resources[id]["Type"])
			if t != typeResource && t != typeHelm && t != typeAccessEntry {
				continue
			}
			props, err := r.eval(st).Props(id)
			if err != nil {
				return badf("%s/%s: %v", st.Name, id, err)
			}
			q := request{st: st, id: id, typ: t, props: props}
			switch t {
			case typeResource:
				objects, err := manifestObjects(props)
				if err != nil {
					return badf("%s/%s: %v", st.Name, id, err)
				}
				for _, o := range objects {
					r.provide(q, o)
					if isKnativeCR(o) {
						crds, _, err := operatorRelease(r.kodata, o)
						if err != nil {
							return err
						}
						for _, c := range crds {
							r.provideCRD(q, c)
						}
					}
				}
			case typeHelm:
				if ns := str(props["Namespace"]); ns != "" && truthy(props["CreateNamespace"]) {
					r.provideNamespace(q, ns)
				}
				crds, err := chartCRDs(str(props["Repository"]), str(props["Chart"]), str(props["Version"]))
				if err != nil {
					return err
				}
				for _, c := range crds {
					r.provideCRD(q, c)
				}
			case typeAccessEntry:
				principal := str(props["PrincipalArn"])
				if u := str(props["Username"]); u != "" {
					principal = u
				}
				r.addProvider("access:"+principal, provider{st.Name, id, "the access entry of " + principal})
			}
		}
	}
	return nil
}

func isKnativeCR(o map[string]any) bool {
	return apiGroup(str(o["apiVersion"])) == "operator.knative.dev" && (o["kind"] == "KnativeServing" || o["kind"] == "KnativeEventing")
}

// requireProvider checks that q itself, or something q depends on, provides key (when anything in the app does).
func (r *rehearsal) requireProvider(q request, key, needer string) error {
	list := r.providers[key]
	if len(list) == 0 {
		return nil // built in, or created by nothing in the app: the API server has the last word
	}
	var names []string
	for _, p := range list {
		if p.stack == q.st.Name && (p.id == q.id || q.st.Ancestors(q.id)[p.id]) || p.stack != q.st.Name && r.stackDependsOn(q.st.Name, p.stack) {
			return nil
		}
		names = append(names, p.stack+"/"+p.id)
	}
	return fmt.Errorf("ordering: %s needs %s, which %s creates, but %s depends on none of them: CloudFormation may run it first",
		needer, list[0].what, strings.Join(names, " and "), q.id)
}

func (r *rehearsal) stackDependsOn(a, b string) bool {
	seen := map[string]bool{}
	var visit func(string) bool
	visit = func(x string) bool {
		s := r.asm.Stack(x)
		if s == nil || seen[x] {
			return false
		}
		seen[x] = true
		for _, d := range s.StackDeps {
			if d == b || visit(d) {
				return true
			}
		}
		return false
	}
	return visit(a)
}

func (r *rehearsal) checkNeeds(q request, objects []map[string]any) error {
	own := map[string]bool{}
	for _, o := range objects {
		switch str(o["kind"]) {
		case "Namespace":
			own["ns:"+str(meta(o)["name"])] = true
		case "CustomResourceDefinition":
			spec, _ := o["spec"].(map[string]any)
			names, _ := spec["names"].(map[string]any)
			own["crd:"+str(spec["group"])+"/"+str(names["kind"])] = true
		}
	}
	for _, o := range objects {
		needer := objectID(o)
		if ns := str(meta(o)["namespace"]); ns != "" && !own["ns:"+ns] {
			if err := r.requireProvider(q, "ns:"+ns, needer); err != nil {
				return err
			}
		}
		if g := apiGroup(str(o["apiVersion"])); g != "" && !r.builtin[g] {
			key := "crd:" + g + "/" + str(o["kind"])
			if !own[key] {
				if err := r.requireProvider(q, key, needer); err != nil {
					return err
				}
			}
		}
	}
	return r.checkAccess(q, r.principalOf(q))
}

func (r *rehearsal) checkNamespace(q request, ns, needer string) error {
	if err := r.requireProvider(q, "ns:"+ns, needer); err != nil {
		return err
	}
	return r.checkAccess(q, r.principalOf(q))
}

func (r *rehearsal) checkAccess(q request, principal string) error {
	return r.requireProvider(q, "access:"+principal, "its handler's role "+principal)
}

// afterApply runs the controllers that react to an applied manifest at once (the Knative Operator).
func (r *rehearsal) afterApply(q request, objects []map[string]any, s *step) {
	for _, o := range objects {
		if isKnativeCR(o) {
			crds, note, err := knativeOperator(r.cp, r.kodata, o)
			if err != nil {
				r.reject(q, err)
				s.Result = "rejected"
				continue
			}
			for _, c := range crds {
				r.provideCRD(q, c)
			}
			s.Simulated = append(s.Simulated, note)
		}
	}
}

// --- access entries ------------------------------------------------------------------------------------------------

var accessPolicies = map[string]string{
	"AmazonEKSClusterAdminPolicy": "cluster-admin", "AmazonEKSAdminPolicy": "admin",
	"AmazonEKSEditPolicy": "edit", "AmazonEKSViewPolicy": "view",
}

// accessEntry plays EKS's access entry: its policies become RBAC bindings of the principal (as a user name).
func (r *rehearsal) accessEntry(kind string, st *cfn.Stack, id string) error {
	key := st.Name + "/" + id
	for _, p := range r.granted[key] {
		if err := r.cp.remove(p); err != nil {
			return err
		}
	}
	delete(r.granted, key)
	if kind == "Delete" {
		return nil
	}
	props, err := r.eval(st).Props(id)
	if err != nil {
		return err
	}
	principal := str(props["PrincipalArn"])
	if u := str(props["Username"]); u != "" {
		principal = u
	}
	policies, _ := props["AccessPolicies"].([]any)
	for _, x := range policies {
		pm, _ := x.(map[string]any)
		arn := str(pm["PolicyArn"])
		role, ok := accessPolicies[arn[strings.LastIndex(arn, "/")+1:]]
		if !ok {
			return badf("%s: access policy %s is not emulated", key, arn)
		}
		scope, _ := pm["AccessScope"].(map[string]any)
		subject := []any{map[string]any{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": principal}}
		labels := map[string]any{"rehearsal.knative-on-eks/simulated": "access-entry"}
		if str(scope["Type"]) == "namespace" {
			nss, _ := scope["Namespaces"].([]any)
			for _, ns := range nss {
				name := "eks-access-" + shortHash(key+arn)
				p := objectPath("rbac.authorization.k8s.io/v1", "rolebindings", str(ns), name)
				if err := r.cp.apply(p, map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
					"metadata": map[string]any{"name": name, "namespace": str(ns), "labels": labels},
					"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
					"subjects": subject}); err != nil {
					r.notes = append(r.notes, fmt.Sprintf("%s: namespace-scoped access to %s not granted yet: %v", key, ns, err))
					continue
				}
				r.granted[key] = append(r.granted[key], p)
			}
			continue
		}
		name := "eks-access-" + shortHash(key+arn)
		p := "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/" + name
		if err := r.cp.apply(p, map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
			"metadata": map[string]any{"name": name, "labels": labels},
			"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
			"subjects": subject}); err != nil {
			return err
		}
		r.granted[key] = append(r.granted[key], p)
	}
	return nil
}

// --- CloudFormation's requests -------------------------------------------------------------------------------------

func isKubernetesType(t string) bool {
	return t == typeResource || t == typeHelm || t == typePatch || t == typeObjectValue || t == typeReadiness
}

// checkTypes rejects a type of the kubectl provider's family the rehearsal does not know.
func checkTypes(a *cfn.Assembly) error {
	n := 0
	for _, st := range a.Stacks {
		for id, res := range st.Resources {
			t := str(res["Type"])
			if strings.HasPrefix(t, "Custom::AWSCDK-EKS-") && !isKubernetesType(t) {
				return badf("%s/%s: resource type %s is not emulated", st.Name, id, t)
			}
			if isKubernetesType(t) {
				n++
			}
		}
	}
	if n == 0 {
		return badf("%s: no Kubernetes resources (%s, %s, %s, %s, %s) in any template: nothing to rehearse",
			a.Dir, typeResource, typeHelm, typePatch, typeObjectValue, typeReadiness)
	}
	return nil
}

// request runs one custom resource request and records it.
func (r *rehearsal) request(kind string, st *cfn.Stack, id string, oldProps map[string]any) error {
	res := st.Resources[id]
	typ := str(res["Type"])
	s := &step{Phase: r.phase, Stack: st.Name, ID: id, Type: strings.TrimPrefix(strings.TrimPrefix(typ, "Custom::AWSCDK-EKS-"), "Custom::"), Request: kind}
	start := time.Now()
	defer func() { s.Dur = time.Since(start) }()
	if typ == typeAccessEntry {
		s.Type = "AccessEntry"
		s.Action = "RBAC binding of the principal (EKS access entry, simulated)"
		err := r.accessEntry(kind, st, id)
		if _, bad := err.(badInput); bad {
			return err
		}
		if err != nil {
			r.rejections = append(r.rejections, fmt.Sprintf("%s/%s (%s): %v", st.Name, id, typ, err))
			s.Result = "rejected"
		} else {
			s.Result = "ok"
		}
		r.steps = append(r.steps, s)
		switch kind {
		case "Create":
			r.live = append(r.live, liveResource{r.asm, st, id})
		case "Delete":
			for i, l := range r.live {
				if l.st.Name == st.Name && l.id == id {
					r.live = append(r.live[:i:i], r.live[i+1:]...)
					break
				}
			}
		}
		return nil
	}
	props, err := r.eval(st).Props(id)
	if err != nil {
		return badf("%s/%s: %v", st.Name, id, err)
	}
	if err := checkProps(typ, st.Name+"/"+id, props); err != nil {
		return err
	}
	q := request{kind: kind, st: st, id: id, typ: typ, props: props, oldProps: oldProps}
	r.steps = append(r.steps, s)
	switch typ {
	case typeResource:
		err = r.doResource(q, s)
	case typeHelm:
		err = r.doHelm(q, s)
	case typePatch:
		err = r.doPatch(q, s)
	case typeObjectValue:
		err = r.doObjectValue(q, s)
	case typeReadiness:
		err = r.doReadiness(q, s)
	}
	if _, bad := err.(badInput); bad {
		return err
	}
	switch {
	case err != nil:
		r.reject(q, err)
		s.Result = "rejected"
	case s.Result == "":
		s.Result = "ok"
	}
	switch kind {
	case "Create":
		r.live = append(r.live, liveResource{r.asm, st, id})
	case "Update":
		r.updates++
	case "Delete":
		r.deletes++
		for i, l := range r.live {
			if l.st.Name == st.Name && l.id == id {
				r.live = append(r.live[:i:i], r.live[i+1:]...)
				break
			}
		}
	}
	if r.unchanged && r.phase != "create" && r.phase != "delete" {
		r.rejections = append(r.rejections, fmt.Sprintf("%s/%s: the same input synthesized again changed it (%s request: %s)", st.Name, id, kind, s.Action))
	}
	return nil
}

// rollback deletes what was created, in reverse order, after a rejection (CloudFormation rolls a failed deploy back).
func (r *rehearsal) rollback() error {
	for i := len(r.live) - 1; i >= 0; i-- {
		l := r.live[i]
		r.asm = l.a
		if retained(l.st.Resources[l.id]) {
			continue
		}
		if err := r.request("Delete", l.st, l.id, nil); err != nil {
			return err
		}
	}
	return nil
}

func handled(t string) bool { return isKubernetesType(t) || t == typeAccessEntry }

func retained(res map[string]any) bool {
	p := str(res["DeletionPolicy"])
	return p == "Retain" || p == "RetainExceptOnCreate"
}

func (r *rehearsal) create(a *cfn.Assembly) error {
	r.asm = a
	for _, st := range a.Stacks {
		for _, id := range st.Order {
			if handled(str(st.Resources[id]["Type"])) {
				if err := r.request("Create", st, id, nil); err != nil {
					return err
				}
				if len(r.rejections) > 0 {
					return nil
				}
			}
		}
	}
	return nil
}

// update applies b over a as CloudFormation's UPDATE of each stack.
func (r *rehearsal) update(a, b *cfn.Assembly) error {
	r.asm = b
	for _, st := range b.Stacks {
		old := a.Stack(st.Name)
		for _, id := range st.Order {
			t := str(st.Resources[id]["Type"])
			if !handled(t) {
				continue
			}
			if old == nil || old.Resources[id] == nil || str(old.Resources[id]["Type"]) != t {
				if err := r.request("Create", st, id, nil); err != nil {
					return err
				}
				if len(r.rejections) > 0 {
					return nil
				}
				continue
			}
			newProps, err1 := r.eval(st).Props(id)
			oldProps, err2 := r.evalIn(a, old).Props(id)
			if err1 != nil || err2 != nil {
				return badf("%s/%s: %v %v", st.Name, id, err1, err2)
			}
			if reflect.DeepEqual(normalize(newProps), normalize(oldProps)) {
				continue
			}
			if err := r.request("Update", st, id, oldProps); err != nil {
				return err
			}
			if len(r.rejections) > 0 {
				return nil
			}
		}
		if old != nil { // cleanup: what the new template no longer has, in the old template's reverse order
			r.phase = "update cleanup"
			for i := len(old.Order) - 1; i >= 0; i-- {
				id := old.Order[i]
				t := str(old.Resources[id]["Type"])
				if !handled(t) || (st.Resources[id] != nil && str(st.Resources[id]["Type"]) == t) || retained(old.Resources[id]) {
					continue
				}
				r.asm = a
				err := r.request("Delete", old, id, nil)
				r.asm = b
				if err != nil {
					return err
				}
			}
			r.phase = "update"
		}
	}
	// Stacks the new assembly no longer has are deleted after the update.
	for i := len(a.Stacks) - 1; i >= 0; i-- {
		if b.Stack(a.Stacks[i].Name) == nil {
			r.asm = a
			if err := r.deleteStack(a.Stacks[i]); err != nil {
				return err
			}
			r.asm = b
		}
	}
	return nil
}

func normalize(v any) any {
	b, _ := json.Marshal(v)
	var out any
	json.Unmarshal(b, &out)
	return out
}

func (r *rehearsal) deleteStack(st *cfn.Stack) error {
	for i := len(st.Order) - 1; i >= 0; i-- {
		id := st.Order[i]
		if handled(str(st.Resources[id]["Type"])) && !retained(st.Resources[id]) {
			if err := r.request("Delete", st, id, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *rehearsal) destroy(a *cfn.Assembly) error {
	r.asm = a
	for i := len(a.Stacks) - 1; i >= 0; i-- {
		if err := r.deleteStack(a.Stacks[i]); err != nil {
			return err
		}
	}
	return nil
}

// --- the cluster's objects -----------------------------------------------------------------------------------------

// skipped resources: written by the API server or controllers for their own bookkeeping.
var skipResources = map[string]bool{"events": true, "leases": true, "endpoints": true, "endpointslices": true,
	"apiservices": true, "flowschemas": true, "prioritylevelconfigurations": true, "componentstatuses": true,
	"serviceaccounts": false, "ipaddresses": true, "servicecidrs": true}

type apiResource struct {
	path, kind, group string
}

func (r *rehearsal) discover() ([]apiResource, map[string]bool, error) {
	groups := map[string]bool{}
	var out []apiResource
	add := func(prefix, group string) error {
		o, err := r.cp.get(prefix)
		if err != nil || o == nil {
			return err
		}
		list, _ := o["resources"].([]any)
		for _, x := range list {
			m, _ := x.(map[string]any)
			name := str(m["name"])
			verbs, _ := m["verbs"].([]any)
			canList := false
			for _, v := range verbs {
				canList = canList || v == "list"
			}
			if strings.Contains(name, "/") || !canList || skipResources[name] {
				continue
			}
			out = append(out, apiResource{prefix + "/" + name, str(m["kind"]), group})
		}
		return nil
	}
	if err := add("/api/v1", ""); err != nil {
		return nil, nil, err
	}
	o, err := r.cp.get("/apis")
	if err != nil {
		return nil, nil, err
	}
	gl, _ := o["groups"].([]any)
	for _, g := range gl {
		gm, _ := g.(map[string]any)
		groups[str(gm["name"])] = true
		pv, _ := gm["preferredVersion"].(map[string]any)
		if err := add("/apis/"+str(pv["groupVersion"]), str(gm["name"])); err != nil {
			return nil, nil, err
		}
	}
	return out, groups, nil
}

// snapshot lists every object, keyed "group/Kind namespace/name".
func (r *rehearsal) snapshot() (map[string]map[string]any, map[string]bool, error) {
	resources, groups, err := r.discover()
	if err != nil {
		return nil, nil, err
	}
	out := map[string]map[string]any{}
	for _, res := range resources {
		items, err := r.cp.list(res.path)
		if err != nil {
			continue // a CRD being deleted
		}
		for _, o := range items {
			m := meta(o)
			key := res.group + "/" + res.kind + " " + str(m["name"])
			if ns := str(m["namespace"]); ns != "" {
				key = res.group + "/" + res.kind + " " + ns + "/" + str(m["name"])
			}
			out[key] = o
		}
	}
	return out, groups, nil
}

func managers(o map[string]any) []string {
	var out []string
	mf, _ := meta(o)["managedFields"].([]any)
	for _, x := range mf {
		m, _ := x.(map[string]any)
		out = append(out, str(m["manager"]))
	}
	sort.Strings(out)
	return out
}

// afterDelete waits for namespaces to terminate and reports what is left.
func (r *rehearsal) afterDelete() error {
	deadline := time.Now().Add(2 * r.limit)
	var remaining []string
	for i := 0; i < 600 && time.Now().Before(deadline); i++ {
		remaining = nil
		nss, err := r.cp.list("/api/v1/namespaces")
		if err != nil {
			return err
		}
		for _, ns := range nss {
			if name := str(meta(ns)["name"]); !r.baselineNamespace(name) && meta(ns)["deletionTimestamp"] != nil {
				remaining = append(remaining, name)
			}
		}
		if len(remaining) == 0 {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	after, _, err := r.snapshot()
	if err != nil {
		return err
	}
	var left, simulated, allowed []string
	for key, o := range after {
		if _, ok := r.baseline[key]; ok {
			continue
		}
		if reason := r.leftBehind.allows(key); reason != "" {
			allowed = append(allowed, key+" ("+reason+")")
			continue
		}
		ms := managers(o)
		fromTemplate := false
		for _, m := range ms {
			fromTemplate = fromTemplate || m != "rehearsal-simulation"
		}
		if fromTemplate {
			state := ""
			if meta(o)["deletionTimestamp"] != nil {
				state = fmt.Sprintf(" (terminating, finalizers %v)", meta(o)["finalizers"])
			}
			left = append(left, fmt.Sprintf("%s%s, written by %s", key, state, strings.Join(ms, ", ")))
		} else {
			simulated = append(simulated, key)
		}
	}
	// Objects that were there before (the default namespace) must be as they were.
	for key, before := range r.baseline {
		if o, ok := after[key]; ok && strings.HasPrefix(key, "/Namespace ") {
			if !reflect.DeepEqual(normalize(meta(before)["labels"]), normalize(meta(o)["labels"])) {
				left = append(left, fmt.Sprintf("%s: labels %v, before the app %v", key, meta(o)["labels"], meta(before)["labels"]))
			}
		}
	}
	sort.Strings(left)
	sort.Strings(simulated)
	for _, l := range left {
		r.rejections = append(r.rejections, "left behind after delete: "+l)
	}
	byReason := map[string][]string{}
	for _, a := range allowed {
		key, reason, _ := strings.Cut(a, " (")
		byReason[strings.TrimSuffix(reason, ")")] = append(byReason[strings.TrimSuffix(reason, ")")], key)
	}
	var reasons []string
	for reason := range byReason {
		reasons = append(reasons, reason)
	}
	sort.Strings(reasons)
	for _, reason := range reasons {
		r.notes = append(r.notes, fmt.Sprintf("left behind on purpose (test/rehearsal/left-behind): %d object(s), %s: %s",
			len(byReason[reason]), reason, strings.Join(byReason[reason], ", ")))
	}
	if len(simulated) > 0 {
		r.notes = append(r.notes, fmt.Sprintf("left behind by simulated controllers, not by the templates (%d): %s",
			len(simulated), summarize(simulated)))
	}
	return nil
}

func summarize(keys []string) string {
	counts := map[string]int{}
	for _, k := range keys {
		counts[strings.SplitN(k, " ", 2)[0]]++
	}
	var parts []string
	for k, n := range counts {
		parts = append(parts, fmt.Sprintf("%d %s", n, k))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// --- the report ----------------------------------------------------------------------------------------------------

func (r *rehearsal) writeTable(dir string, started time.Time) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Rehearsal: %s\n\n", r.name)
	fmt.Fprintf(&b, "%d objects applied in order, %d updates, %d deletes, %d rejected; %.0f s\n\n", r.applied, r.updates,
		r.deletes, len(r.rejections), time.Since(started).Seconds())
	b.WriteString("| # | phase | resource | type | request | what ran | objects | result | s |\n|---|---|---|---|---|---|---|---|---|\n")
	for i, s := range r.steps {
		result := s.Result
		if s.Note != "" {
			result += ": " + s.Note
		}
		fmt.Fprintf(&b, "| %d | %s | %s/%s | %s | %s | `%s` | %d | %s | %.1f |\n", i+1, s.Phase, s.Stack, s.ID, s.Type,
			s.Request, strings.ReplaceAll(s.Action, "|", "\\|"), s.Objects, strings.ReplaceAll(result, "|", "\\|"), s.Dur.Seconds())
	}
	b.WriteString("\n## Simulated\n\n")
	for _, s := range r.steps {
		for _, x := range s.Simulated {
			fmt.Fprintf(&b, "- %s/%s: %s\n", s.Stack, s.ID, x)
		}
	}
	if r.sim != nil {
		var keys []string
		for k := range r.sim.counts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "- controllers: %s (%d times)\n", k, r.sim.counts[k])
		}
		for _, e := range r.sim.errors {
			fmt.Fprintf(&b, "- simulation error: %s\n", e)
		}
	}
	if len(r.notes) > 0 {
		b.WriteString("\n## Notes\n\n")
		for _, n := range r.notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	if len(r.rejections) > 0 {
		b.WriteString("\n## Rejected\n\n")
		for _, x := range r.rejections {
			fmt.Fprintf(&b, "- %s\n", strings.ReplaceAll(x, "\n", " "))
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, r.name+".md"), []byte(b.String()), 0o644)
}

// str is a property as CloudFormation hands it to a custom resource: every scalar becomes a string.
func str(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		if v {
			return "true"
		}
		return "false"
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
