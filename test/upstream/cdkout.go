package main

// Reading the Kubernetes objects of a CDK cloud assembly (cdk.out).
//
// eks_v2 puts every manifest inline into its stack template, as the JSON string property Manifest of a
// Custom::AWSCDK-EKS-KubernetesResource. A manifest that mentions a deploy-time value (an ECR repository's name or
// ARN) is not a string but a CloudFormation expression (Fn::Join of strings, Ref, Fn::GetAtt, Fn::Select,
// Fn::Split, and Fn::Sub of a string, as in the bootstrap's asset bucket name). Those are evaluated here against a fake deployment: account 123456789012, region us-east-1,
// partition aws, URL suffix amazonaws.com; Ref of a resource is its logical id in lower case (a valid ECR repository
// or Kubernetes name), Fn::GetAtt Arn is an ARN of the resource's service
// (arn:aws:ecr:us-east-1:123456789012:repository/<logical id in lower case>), and any other attribute is
// "<logical id>-<attribute>" in lower case. An image built into an ECR repository therefore becomes
// 123456789012.dkr.ecr.us-east-1.amazonaws.com/helloworldrepository296cb744:git-..., a reference of the real
// shape. Any other intrinsic function is an error, never a guess.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

const manifestResourceType = "Custom::AWSCDK-EKS-KubernetesResource"

// k8sObject is one Kubernetes object and where it was found.
type k8sObject struct {
	Source string         // template file and logical id
	Object map[string]any // the object as applied
}

// id is how findings name the object: kind/namespace/name.
func (o k8sObject) id() string {
	meta, _ := o.Object["metadata"].(map[string]any)
	ns, _ := meta["namespace"].(string)
	name, _ := meta["name"].(string)
	kind, _ := o.Object["kind"].(string)
	if ns != "" {
		return kind + " " + ns + "/" + name
	}
	return kind + " " + name
}

// templatesIn lists the stack templates of a cloud assembly, nested stacks and stages included.
func templatesIn(dir string) ([]string, error) {
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

// readTemplate parses a CloudFormation template.
func readTemplate(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t map[string]any
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("%s: not a JSON template: %w", path, err)
	}
	if _, ok := t["Resources"].(map[string]any); !ok {
		return nil, fmt.Errorf("%s: no Resources section", path)
	}
	return t, nil
}

// objectsIn returns every Kubernetes object the template applies through eks_v2, in logical-id order.
func objectsIn(path string) ([]k8sObject, error) {
	t, err := readTemplate(path)
	if err != nil {
		return nil, err
	}
	resources := t["Resources"].(map[string]any)
	ids := make([]string, 0, len(resources))
	for id := range resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var objects []k8sObject
	for _, id := range ids {
		r, _ := resources[id].(map[string]any)
		if r["Type"] != manifestResourceType {
			continue
		}
		source := fmt.Sprintf("%s %s", filepath.Base(path), id)
		props, _ := r["Properties"].(map[string]any)
		raw, ok := props["Manifest"]
		if !ok {
			return nil, fmt.Errorf("%s: %s has no inline Manifest property; manifests elsewhere are not supported", source, manifestResourceType)
		}
		value, err := fakeDeployment{resources}.eval(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: Manifest: %w", source, err)
		}
		text, ok := value.(string)
		if !ok {
			return nil, fmt.Errorf("%s: Manifest is %T, not a JSON string", source, value)
		}
		var list []map[string]any
		if err := json.Unmarshal([]byte(text), &list); err != nil {
			return nil, fmt.Errorf("%s: Manifest is not a JSON list of objects: %w", source, err)
		}
		for _, o := range list {
			objects = append(objects, k8sObject{Source: source, Object: o})
		}
	}
	return objects, nil
}

// fakeDeployment evaluates CloudFormation intrinsic functions as if the stack were deployed (see the file comment).
type fakeDeployment struct {
	resources map[string]any
}

var pseudoParameters = map[string]string{
	"AWS::AccountId": "123456789012", "AWS::Region": "us-east-1", "AWS::Partition": "aws",
	"AWS::URLSuffix": "amazonaws.com", "AWS::StackName": "stack", "AWS::NoValue": "",
}

func (f fakeDeployment) eval(v any) (any, error) {
	switch v := v.(type) {
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			r, err := f.eval(e)
			if err != nil {
				return nil, err
			}
			out[i] = r
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
			return f.sub(template)
		}
		return nil, fmt.Errorf("Fn::Sub %v: only the string form (no variable map) is evaluated", arg)
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
	}
	return nil, fmt.Errorf("%s is not evaluated by this oracle (only Ref, Fn::GetAtt, Fn::Join, Fn::Split, Fn::Select and Fn::Sub, which CDK uses for tokens inside a string)", name)
}

// subVariable is a ${Name} or ${LogicalId.Attribute} of Fn::Sub (${!Literal} is written as ${Literal}).
var subVariable = regexp.MustCompile(`\$\{(!?)([^}]*)\}`)

// sub evaluates the string form of Fn::Sub: ${Ref} and ${LogicalId.Attribute}.
func (f fakeDeployment) sub(template string) (any, error) {
	var failure error
	out := subVariable.ReplaceAllStringFunc(template, func(m string) string {
		parts := subVariable.FindStringSubmatch(m)
		if parts[1] == "!" {
			return "${" + parts[2] + "}"
		}
		var v any
		var err error
		if id, attribute, ok := strings.Cut(parts[2], "."); ok {
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
	if v, ok := pseudoParameters[ref]; ok {
		return v, nil
	}
	if _, ok := f.resources[ref]; ok {
		return strings.ToLower(ref), nil
	}
	return nil, fmt.Errorf("Ref %q names neither a pseudo parameter nor a resource of this template (parameters are not evaluated)", ref)
}

func (f fakeDeployment) getAtt(id, attribute string) (any, error) {
	r, ok := f.resources[id].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("Fn::GetAtt %s.%s: no such resource", id, attribute)
	}
	if attribute != "Arn" {
		return strings.ToLower(id + "-" + attribute), nil
	}
	typ, _ := r["Type"].(string)
	parts := strings.Split(typ, "::") // AWS::ECR::Repository
	if len(parts) != 3 {
		return nil, fmt.Errorf("Fn::GetAtt %s.Arn: resource type %q has no service", id, typ)
	}
	return fmt.Sprintf("arn:aws:%s:us-east-1:123456789012:%s/%s", strings.ToLower(parts[1]), strings.ToLower(parts[2]),
		strings.ToLower(id)), nil
}
