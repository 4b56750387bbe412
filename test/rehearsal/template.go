package main

// Reading a CDK cloud assembly as CloudFormation would deploy it: its stacks in dependency order, each stack's
// resources in dependency order (DependsOn, Ref, Fn::GetAtt, Fn::Sub variables), and the resources' properties with
// their intrinsic functions evaluated against a fake deployment (account 123456789012, region us-east-1, as
// test/upstream/cdkout.go does; the ideas are reused, the code is not imported across modules).
//
// Ref of a resource is its logical id in lower case, Fn::GetAtt Arn is an ARN of the resource's service naming that
// id, any other attribute "<logical id>-<attribute>" in lower case. Two attributes are real: an EKS cluster's
// Endpoint and CertificateAuthorityData are the rehearsal's API server, so that code reading the cluster with them
// (the readiness wait) reaches it. Any other intrinsic function is an error, never a guess.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// badInput is an error about the input (exit 2), not a finding about what it deploys.
type badInput struct{ msg string }

func (e badInput) Error() string { return e.msg }

func badf(format string, args ...any) error { return badInput{fmt.Sprintf(format, args...)} }

// stack is one CloudFormation stack of an assembly.
type stack struct {
	Name      string
	File      string
	Resources map[string]map[string]any
	Outputs   map[string]any
	Params    map[string]any
	deps      map[string][]string // logical id -> logical ids it depends on
	order     []string            // creation order
	stackDeps []string            // stacks deployed before this one
}

// assembly is a cloud assembly: its stacks in deployment order.
type assembly struct {
	Dir    string
	Stacks []*stack
}

func (a *assembly) stack(name string) *stack {
	for _, s := range a.Stacks {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// readAssembly reads a cdk.out directory: the stacks its manifest.json lists, in the order cdk deploy deploys them.
func readAssembly(dir string) (*assembly, error) {
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, badf("%s is not a cloud assembly (no manifest.json): run a synth first", dir)
	}
	var manifest struct {
		Artifacts map[string]struct {
			Type         string         `json:"type"`
			Dependencies []string       `json:"dependencies"`
			Properties   map[string]any `json:"properties"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		return nil, badf("%s/manifest.json: %v", dir, err)
	}
	a := &assembly{Dir: dir}
	byName := map[string]*stack{}
	for name, art := range manifest.Artifacts {
		if art.Type == "cdk:cloud-assembly" {
			return nil, badf("%s: nested assembly %s (a stage) is not supported: pass its directory", dir, name)
		}
		if art.Type != "aws:cloudformation:stack" {
			continue
		}
		file, _ := art.Properties["templateFile"].(string)
		s, err := readStack(name, filepath.Join(dir, file))
		if err != nil {
			return nil, err
		}
		for _, d := range art.Dependencies {
			if t, ok := manifest.Artifacts[d]; ok && t.Type == "aws:cloudformation:stack" {
				s.stackDeps = append(s.stackDeps, d)
			}
		}
		byName[name] = s
	}
	if len(byName) == 0 {
		return nil, badf("%s: no stacks in manifest.json", dir)
	}
	// Stacks in dependency order, ties by name.
	done := map[string]bool{}
	for len(done) < len(byName) {
		var ready []string
		for name, s := range byName {
			if done[name] {
				continue
			}
			ok := true
			for _, d := range s.stackDeps {
				ok = ok && done[d]
			}
			if ok {
				ready = append(ready, name)
			}
		}
		if len(ready) == 0 {
			return nil, badf("%s: the stacks depend on each other in a cycle", dir)
		}
		sort.Strings(ready)
		done[ready[0]] = true
		a.Stacks = append(a.Stacks, byName[ready[0]])
	}
	return a, nil
}

func readStack(name, file string) (*stack, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, badf("stack %s: %v", name, err)
	}
	var t struct {
		Resources  map[string]map[string]any `json:"Resources"`
		Outputs    map[string]any            `json:"Outputs"`
		Parameters map[string]any            `json:"Parameters"`
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, badf("%s: not a JSON template: %v", file, err)
	}
	if t.Resources == nil {
		return nil, badf("%s: no Resources section", file)
	}
	s := &stack{Name: name, File: file, Resources: t.Resources, Outputs: t.Outputs, Params: t.Parameters,
		deps: map[string][]string{}}
	for id, r := range t.Resources {
		seen := map[string]bool{}
		switch d := r["DependsOn"].(type) {
		case string:
			seen[d] = true
		case []any:
			for _, x := range d {
				if s, ok := x.(string); ok {
					seen[s] = true
				}
			}
		}
		collectRefs(r["Properties"], seen)
		for dep := range seen {
			if _, ok := t.Resources[dep]; !ok {
				if _, param := t.Parameters[dep]; param || strings.HasPrefix(dep, "AWS::") {
					continue
				}
				if _, dependsOn := r["DependsOn"]; dependsOn && contains(r["DependsOn"], dep) {
					return nil, badf("%s: %s depends on %s, which is not a resource of the template", file, id, dep)
				}
				continue
			}
			if dep == id {
				return nil, badf("%s: %s depends on itself", file, id)
			}
			s.deps[id] = append(s.deps[id], dep)
		}
		sort.Strings(s.deps[id])
	}
	order, err := topoOrder(s.deps, t.Resources)
	if err != nil {
		return nil, badf("%s: %v", file, err)
	}
	s.order = order
	return s, nil
}

func contains(v any, s string) bool {
	switch d := v.(type) {
	case string:
		return d == s
	case []any:
		for _, x := range d {
			if x == s {
				return true
			}
		}
	}
	return false
}

// collectRefs adds every logical id v references (Ref, Fn::GetAtt, ${...} of Fn::Sub) to seen.
func collectRefs(v any, seen map[string]bool) {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			collectRefs(e, seen)
		}
	case map[string]any:
		for k, e := range v {
			switch k {
			case "Ref":
				if s, ok := e.(string); ok {
					seen[s] = true
				}
			case "Fn::GetAtt":
				switch a := e.(type) {
				case []any:
					if len(a) > 0 {
						if s, ok := a[0].(string); ok {
							seen[s] = true
						}
					}
				case string:
					seen[strings.SplitN(a, ".", 2)[0]] = true
				}
			case "Fn::Sub":
				tmpl := e
				if a, ok := e.([]any); ok && len(a) > 0 {
					tmpl = a[0]
					if len(a) > 1 {
						collectRefs(a[1], seen)
					}
				}
				if s, ok := tmpl.(string); ok {
					for _, m := range subVariable.FindAllStringSubmatch(s, -1) {
						if m[1] == "" {
							seen[strings.SplitN(m[2], ".", 2)[0]] = true
						}
					}
				}
			}
			collectRefs(e, seen)
		}
	}
}

// topoOrder is a creation order: Kahn's algorithm, ties broken by logical id. A cycle is an error naming its members.
func topoOrder(deps map[string][]string, resources map[string]map[string]any) ([]string, error) {
	indegree := map[string]int{}
	dependents := map[string][]string{}
	for id := range resources {
		indegree[id] += 0
		for _, d := range deps[id] {
			indegree[id]++
			dependents[d] = append(dependents[d], id)
		}
	}
	var ready, order []string
	for id, n := range indegree {
		if n == 0 {
			ready = append(ready, id)
		}
	}
	for len(ready) > 0 {
		sort.Strings(ready)
		id := ready[0]
		ready = ready[1:]
		order = append(order, id)
		for _, d := range dependents[id] {
			indegree[d]--
			if indegree[d] == 0 {
				ready = append(ready, d)
			}
		}
	}
	if len(order) < len(resources) {
		var stuck []string
		for id, n := range indegree {
			if n > 0 {
				stuck = append(stuck, id)
			}
		}
		sort.Strings(stuck)
		return nil, fmt.Errorf("no creation order: circular dependency among %s", strings.Join(stuck, ", "))
	}
	return order, nil
}

// ancestors is every resource id transitively depends on.
func (s *stack) ancestors(id string) map[string]bool {
	out := map[string]bool{}
	var visit func(string)
	visit = func(x string) {
		for _, d := range s.deps[x] {
			if !out[d] {
				out[d] = true
				visit(d)
			}
		}
	}
	visit(id)
	return out
}

// fakeDeployment evaluates intrinsic functions (see the file comment).
type fakeDeployment struct {
	a        *assembly
	s        *stack
	endpoint string // the API server, for AWS::EKS::Cluster Endpoint
	caData   string // base64 of its CA certificate, for CertificateAuthorityData
	depth    int
}

var pseudoParameters = map[string]string{
	"AWS::AccountId": "123456789012", "AWS::Region": "us-east-1", "AWS::Partition": "aws",
	"AWS::URLSuffix": "amazonaws.com", "AWS::NoValue": "",
}

func (f fakeDeployment) eval(v any) (any, error) {
	switch v := v.(type) {
	case []any:
		out := make([]any, 0, len(v))
		for _, e := range v {
			r, err := f.eval(e)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	case map[string]any:
		if len(v) == 1 {
			for key, arg := range v {
				if key == "Ref" || strings.HasPrefix(key, "Fn::") {
					return f.function(key, arg)
				}
			}
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			r, err := f.eval(e)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	}
	return v, nil
}

func (f fakeDeployment) function(name string, arg any) (any, error) {
	switch name {
	case "Ref":
		ref, _ := arg.(string)
		return f.ref(ref)
	case "Fn::GetAtt":
		var parts []string
		switch a := arg.(type) {
		case string:
			parts = strings.SplitN(a, ".", 2)
		case []any:
			for _, p := range a {
				s, _ := p.(string)
				parts = append(parts, s)
			}
		}
		if len(parts) != 2 {
			return nil, fmt.Errorf("Fn::GetAtt %v: expected [logicalId, attribute]", arg)
		}
		return f.getAtt(parts[0], parts[1])
	case "Fn::Sub":
		if template, ok := arg.(string); ok {
			return f.sub(template, nil)
		}
		if a, ok := arg.([]any); ok && len(a) == 2 {
			template, _ := a[0].(string)
			vars, err := f.eval(a[1])
			if m, ok := vars.(map[string]any); ok && err == nil {
				return f.sub(template, m)
			}
		}
		return nil, fmt.Errorf("Fn::Sub %v: expected a string or [string, {variables}]", arg)
	case "Fn::GetStackOutput", "Fn::ImportValue":
		return f.crossStack(name, arg)
	}
	args, err := f.eval(arg)
	if err != nil {
		return nil, err
	}
	list, _ := args.([]any)
	switch name {
	case "Fn::Join":
		if len(list) == 2 {
			sep, ok1 := list[0].(string)
			items, ok2 := list[1].([]any)
			if ok1 && ok2 {
				strs := make([]string, len(items))
				for i, item := range items {
					if strs[i], ok1 = item.(string); !ok1 {
						return nil, fmt.Errorf("Fn::Join: item %d is %T, not a string", i, item)
					}
				}
				return strings.Join(strs, sep), nil
			}
		}
		return nil, fmt.Errorf("Fn::Join %v: expected [separator, [strings]]", arg)
	case "Fn::Split":
		if len(list) == 2 {
			sep, ok1 := list[0].(string)
			s, ok2 := list[1].(string)
			if ok1 && ok2 {
				var out []any
				for _, p := range strings.Split(s, sep) {
					out = append(out, p)
				}
				return out, nil
			}
		}
		return nil, fmt.Errorf("Fn::Split %v: expected [separator, string]", arg)
	case "Fn::Select":
		if len(list) == 2 {
			items, ok := list[1].([]any)
			var index int
			switch i := list[0].(type) {
			case float64:
				index = int(i)
			case string:
				_, err := fmt.Sscan(i, &index)
				ok = ok && err == nil
			}
			if ok && index >= 0 && index < len(items) {
				return items[index], nil
			}
		}
		return nil, fmt.Errorf("Fn::Select %v: expected [index, list] with the index inside the list", arg)
	case "Fn::Base64":
		if s, ok := args.(string); ok {
			return s, nil // only carried, never decoded by a handler
		}
	}
	return nil, fmt.Errorf("%s is not evaluated by the rehearsal (only Ref, Fn::GetAtt, Fn::Join, Fn::Split, Fn::Select, Fn::Sub, Fn::GetStackOutput and Fn::ImportValue)", name)
}

// crossStack evaluates another stack's output: Fn::GetStackOutput {StackName, OutputName} (weak references) or
// Fn::ImportValue of an export name.
func (f fakeDeployment) crossStack(name string, arg any) (any, error) {
	if f.depth > 8 {
		return nil, fmt.Errorf("%s: references between stacks nest too deep", name)
	}
	v, err := f.eval(arg)
	if err != nil {
		return nil, err
	}
	for _, s := range f.a.Stacks {
		for outName, o := range s.Outputs {
			out, _ := o.(map[string]any)
			match := false
			if name == "Fn::ImportValue" {
				export, _ := out["Export"].(map[string]any)
				if export != nil {
					exportName, err := fakeDeployment{a: f.a, s: s, endpoint: f.endpoint, caData: f.caData, depth: f.depth + 1}.eval(export["Name"])
					match = err == nil && exportName == v
				}
			} else if m, ok := v.(map[string]any); ok {
				match = m["StackName"] == s.Name && m["OutputName"] == outName
			}
			if match {
				return fakeDeployment{a: f.a, s: s, endpoint: f.endpoint, caData: f.caData, depth: f.depth + 1}.eval(out["Value"])
			}
		}
	}
	return nil, fmt.Errorf("%s %v: no stack of the assembly has that output", name, v)
}

var subVariable = regexp.MustCompile(`\$\{(!?)([^}]*)\}`)

func (f fakeDeployment) sub(template string, vars map[string]any) (any, error) {
	var failure error
	out := subVariable.ReplaceAllStringFunc(template, func(m string) string {
		parts := subVariable.FindStringSubmatch(m)
		if parts[1] == "!" {
			return "${" + parts[2] + "}"
		}
		var v any
		var err error
		if value, ok := vars[parts[2]]; ok {
			v = value
		} else if id, attribute, ok := strings.Cut(parts[2], "."); ok {
			v, err = f.getAtt(id, attribute)
		} else {
			v, err = f.ref(parts[2])
		}
		s, isString := v.(string)
		if err == nil && !isString {
			err = fmt.Errorf("Fn::Sub %q: ${%s} is not a string", template, parts[2])
		}
		if err != nil && failure == nil {
			failure = err
		}
		return s
	})
	return out, failure
}

func (f fakeDeployment) ref(ref string) (any, error) {
	if ref == "AWS::StackName" {
		return f.s.Name, nil
	}
	if v, ok := pseudoParameters[ref]; ok {
		return v, nil
	}
	if _, ok := f.s.Resources[ref]; ok {
		return strings.ToLower(ref), nil
	}
	if p, ok := f.s.Params[ref].(map[string]any); ok {
		if d, ok := p["Default"]; ok {
			return d, nil
		}
	}
	return nil, fmt.Errorf("Ref %q names neither a pseudo parameter, a resource nor a parameter with a default", ref)
}

func (f fakeDeployment) getAtt(id, attribute string) (any, error) {
	r, ok := f.s.Resources[id]
	if !ok {
		return nil, fmt.Errorf("Fn::GetAtt %s.%s: no such resource", id, attribute)
	}
	typ, _ := r["Type"].(string)
	if typ == "AWS::EKS::Cluster" && attribute == "Endpoint" && f.endpoint != "" {
		return f.endpoint, nil
	}
	if typ == "AWS::EKS::Cluster" && attribute == "CertificateAuthorityData" && f.caData != "" {
		return f.caData, nil
	}
	if attribute != "Arn" {
		return strings.ToLower(id + "-" + attribute), nil
	}
	parts := strings.Split(typ, "::")
	if len(parts) != 3 {
		return nil, fmt.Errorf("Fn::GetAtt %s.Arn: resource type %q has no service", id, typ)
	}
	return fmt.Sprintf("arn:aws:%s:us-east-1:123456789012:%s/%s", strings.ToLower(parts[1]), strings.ToLower(parts[2]),
		strings.ToLower(id)), nil
}

// props evaluates a resource's properties.
func (f fakeDeployment) props(id string) (map[string]any, error) {
	p, err := f.eval(f.s.Resources[id]["Properties"])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", id, err)
	}
	m, _ := p.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
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
