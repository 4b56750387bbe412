package cfn

// A fake deployment: account 123456789012, region us-east-1, partition aws, URL suffix amazonaws.com, AWS::StackName
// the stack's name. Ref of a resource is its logical id in lower case (a valid ECR repository or Kubernetes name), Ref
// of a parameter its default; Fn::GetAtt Arn is an ARN of the resource's service naming that id
// (arn:aws:ecr:us-east-1:123456789012:repository/<logical id in lower case>), any other attribute
// "<logical id>-<attribute>" in lower case, unless Deployment.Attributes has a real value for it. An image built into
// an ECR repository therefore becomes 123456789012.dkr.ecr.us-east-1.amazonaws.com/helloworldrepository296cb744:...,
// a reference of the real shape. Fn::ImportValue and Fn::GetStackOutput read another stack's output. Any other
// intrinsic function, and a CDK token left unresolved in a string, is an error, never a guess.

import (
	"fmt"
	"regexp"
	"strings"
)

// Deployment evaluates intrinsic functions as if Stack, one of Assembly's stacks, were deployed.
type Deployment struct {
	Assembly *Assembly // the stacks Fn::ImportValue and Fn::GetStackOutput read; nil: none
	Stack    *Stack
	// Attributes are real Fn::GetAtt values by resource type and attribute, "AWS::EKS::Cluster.Endpoint": "https://...";
	// an empty value counts as none.
	Attributes map[string]string
	depth      int // cross-stack references followed
}

var pseudoParameters = map[string]string{
	"AWS::AccountId": "123456789012", "AWS::Region": "us-east-1", "AWS::Partition": "aws",
	"AWS::URLSuffix": "amazonaws.com", "AWS::NoValue": "",
}

// unresolvedToken matches a CDK token that reached the template as text (${Token[...]} or #{Token[...]}).
var unresolvedToken = regexp.MustCompile(`[$#]\{Token\[[^\]]*\]\}`)

// Eval evaluates every intrinsic function in v (a template value) and returns the result.
func (f Deployment) Eval(v any) (any, error) {
	switch v := v.(type) {
	case string:
		if t := unresolvedToken.FindString(v); t != "" {
			return nil, fmt.Errorf("unresolved CDK token %s in %q", t, v)
		}
	case []any:
		out := make([]any, 0, len(v))
		for _, e := range v {
			r, err := f.Eval(e)
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
			r, err := f.Eval(e)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	}
	return v, nil
}

// Props evaluates the properties of resource id (an empty map when it has none).
func (f Deployment) Props(id string) (map[string]any, error) {
	p, err := f.Eval(f.Stack.Resources[id]["Properties"])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", id, err)
	}
	m, _ := p.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// function evaluates one intrinsic function: name applied to arg.
func (f Deployment) function(name string, arg any) (any, error) {
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
			vars, err := f.Eval(a[1])
			if m, ok := vars.(map[string]any); ok && err == nil {
				return f.sub(template, m)
			}
		}
		return nil, fmt.Errorf("Fn::Sub %v: expected a string or [string, {variables}]", arg)
	case "Fn::GetStackOutput", "Fn::ImportValue":
		return f.crossStack(name, arg)
	}
	args, err := f.Eval(arg)
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
			return s, nil // only carried, never decoded
		}
	}
	return nil, fmt.Errorf("%s is not evaluated (only Ref, Fn::GetAtt, Fn::Join, Fn::Split, Fn::Select, Fn::Sub, Fn::Base64 of a string, Fn::GetStackOutput and Fn::ImportValue)", name)
}

// crossStack evaluates another stack's output: Fn::GetStackOutput {StackName, OutputName} (weak references) or
// Fn::ImportValue of an export name.
func (f Deployment) crossStack(name string, arg any) (any, error) {
	if f.depth > 8 {
		return nil, fmt.Errorf("%s: references between stacks nest too deep", name)
	}
	v, err := f.Eval(arg)
	if err != nil {
		return nil, err
	}
	var stacks []*Stack
	if f.Assembly != nil {
		stacks = f.Assembly.Stacks
	}
	for _, s := range stacks {
		at := Deployment{Assembly: f.Assembly, Stack: s, Attributes: f.Attributes, depth: f.depth + 1}
		for outName, o := range s.Outputs {
			out, _ := o.(map[string]any)
			match := false
			if name == "Fn::ImportValue" {
				export, _ := out["Export"].(map[string]any)
				if export != nil {
					exportName, err := at.Eval(export["Name"])
					match = err == nil && exportName == v
				}
			} else if m, ok := v.(map[string]any); ok {
				match = m["StackName"] == s.Name && m["OutputName"] == outName
			}
			if match {
				return at.Eval(out["Value"])
			}
		}
	}
	return nil, fmt.Errorf("%s %v: no stack of the assembly has that output", name, v)
}

// subVariable is a ${Name} or ${LogicalId.Attribute} of Fn::Sub (${!Literal} is written as ${Literal}).
var subVariable = regexp.MustCompile(`\$\{(!?)([^}]*)\}`)

// sub evaluates Fn::Sub: ${Variable} from vars, else ${LogicalId.Attribute} or ${Ref}.
func (f Deployment) sub(template string, vars map[string]any) (any, error) {
	if t := unresolvedToken.FindString(template); t != "" {
		return nil, fmt.Errorf("Fn::Sub %q: unresolved CDK token %s", template, t)
	}
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

// ref evaluates Ref: a pseudo parameter, a resource (its logical id in lower case) or a parameter's default.
func (f Deployment) ref(ref string) (any, error) {
	if ref == "AWS::StackName" {
		return f.Stack.Name, nil
	}
	if v, ok := pseudoParameters[ref]; ok {
		return v, nil
	}
	if _, ok := f.Stack.Resources[ref]; ok {
		return strings.ToLower(ref), nil
	}
	if p, ok := f.Stack.Params[ref].(map[string]any); ok {
		if d, ok := p["Default"]; ok {
			return d, nil
		}
	}
	return nil, fmt.Errorf("Ref %q names neither a pseudo parameter, a resource nor a parameter with a default", ref)
}

// getAtt evaluates Fn::GetAtt of a resource: a real value from Attributes, an ARN, or "<id>-<attribute>".
func (f Deployment) getAtt(id, attribute string) (any, error) {
	r, ok := f.Stack.Resources[id]
	if !ok {
		return nil, fmt.Errorf("Fn::GetAtt %s.%s: no such resource", id, attribute)
	}
	typ, _ := r["Type"].(string)
	if v := f.Attributes[typ+"."+attribute]; v != "" {
		return v, nil
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
