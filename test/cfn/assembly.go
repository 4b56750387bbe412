// Package cfn reads what CDK synthesizes (a cloud assembly, its CloudFormation templates) and evaluates the
// templates' intrinsic functions against a fake deployment. test/upstream and test/rehearsal both use it.
package cfn

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Stack is one CloudFormation stack: its template and, when read by ReadAssembly, its creation order.
type Stack struct {
	Name      string
	File      string
	Resources map[string]map[string]any
	Outputs   map[string]any
	Params    map[string]any
	Deps      map[string][]string // logical id -> logical ids it depends on (ReadAssembly)
	Order     []string            // creation order of the logical ids (ReadAssembly)
	StackDeps []string            // stacks deployed before this one (ReadAssembly)
}

// Assembly is a cloud assembly: its stacks in deployment order.
type Assembly struct {
	Dir    string
	Stacks []*Stack
}

// Stack returns the stack named name, or nil.
func (a *Assembly) Stack(name string) *Stack {
	for _, s := range a.Stacks {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// ReadAssembly reads a cdk.out directory: the stacks its manifest.json lists, in the order cdk deploy deploys them,
// each with its resources' dependencies and creation order.
func ReadAssembly(dir string) (*Assembly, error) {
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("%s is not a cloud assembly (no manifest.json): run a synth first", dir)
	}
	var manifest struct {
		Artifacts map[string]struct {
			Type         string         `json:"type"`
			Dependencies []string       `json:"dependencies"`
			Properties   map[string]any `json:"properties"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		return nil, fmt.Errorf("%s/manifest.json: %v", dir, err)
	}
	a := &Assembly{Dir: dir}
	byName := map[string]*Stack{}
	for name, art := range manifest.Artifacts {
		if art.Type == "cdk:cloud-assembly" {
			return nil, fmt.Errorf("%s: nested assembly %s (a stage) is not supported: pass its directory", dir, name)
		}
		if art.Type != "aws:cloudformation:stack" {
			continue
		}
		file, _ := art.Properties["templateFile"].(string)
		s, err := ReadTemplate(name, filepath.Join(dir, file))
		if err != nil {
			return nil, err
		}
		if err := s.order(); err != nil {
			return nil, err
		}
		for _, d := range art.Dependencies {
			if t, ok := manifest.Artifacts[d]; ok && t.Type == "aws:cloudformation:stack" {
				s.StackDeps = append(s.StackDeps, d)
			}
		}
		byName[name] = s
	}
	if len(byName) == 0 {
		return nil, fmt.Errorf("%s: no stacks in manifest.json", dir)
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
			for _, d := range s.StackDeps {
				ok = ok && done[d]
			}
			if ok {
				ready = append(ready, name)
			}
		}
		if len(ready) == 0 {
			return nil, fmt.Errorf("%s: the stacks depend on each other in a cycle", dir)
		}
		sort.Strings(ready)
		done[ready[0]] = true
		a.Stacks = append(a.Stacks, byName[ready[0]])
	}
	return a, nil
}

// TemplatesIn lists the stack templates under a cloud assembly directory, nested stacks and stages included.
func TemplatesIn(dir string) ([]string, error) {
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err != nil {
		return nil, fmt.Errorf("%s is not a cloud assembly (no manifest.json): run a synth first", dir)
	}
	var found []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), "asset.") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".template.json") {
			found = append(found, path)
		}
		return nil
	})
	if err == nil && len(found) == 0 {
		err = fmt.Errorf("%s holds no *.template.json", dir)
	}
	sort.Strings(found)
	return found, err
}

// ReadTemplate parses the CloudFormation template file of stack name (no dependencies or order).
func ReadTemplate(name, file string) (*Stack, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("stack %s: %v", name, err)
	}
	var t struct {
		Resources  map[string]map[string]any `json:"Resources"`
		Outputs    map[string]any            `json:"Outputs"`
		Parameters map[string]any            `json:"Parameters"`
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("%s: not a JSON template: %v", file, err)
	}
	if t.Resources == nil {
		return nil, fmt.Errorf("%s: no Resources section", file)
	}
	return &Stack{Name: name, File: file, Resources: t.Resources, Outputs: t.Outputs, Params: t.Parameters}, nil
}

// order fills Deps (DependsOn, Ref, Fn::GetAtt, Fn::Sub variables) and Order.
func (s *Stack) order() error {
	s.Deps = map[string][]string{}
	for id, r := range s.Resources {
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
			if _, ok := s.Resources[dep]; !ok {
				if _, param := s.Params[dep]; param || strings.HasPrefix(dep, "AWS::") {
					continue
				}
				if _, dependsOn := r["DependsOn"]; dependsOn && contains(r["DependsOn"], dep) {
					return fmt.Errorf("%s: %s depends on %s, which is not a resource of the template", s.File, id, dep)
				}
				continue
			}
			if dep == id {
				return fmt.Errorf("%s: %s depends on itself", s.File, id)
			}
			s.Deps[id] = append(s.Deps[id], dep)
		}
		sort.Strings(s.Deps[id])
	}
	order, err := topoOrder(s.Deps, s.Resources)
	if err != nil {
		return fmt.Errorf("%s: %v", s.File, err)
	}
	s.Order = order
	return nil
}

// contains reports whether a DependsOn value (a string or a list) names s.
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

// Ancestors is every resource id transitively depends on.
func (s *Stack) Ancestors(id string) map[string]bool {
	out := map[string]bool{}
	var visit func(string)
	visit = func(x string) {
		for _, d := range s.Deps[x] {
			if !out[d] {
				out[d] = true
				visit(d)
			}
		}
	}
	visit(id)
	return out
}
