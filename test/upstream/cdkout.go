package main

// Reading the Kubernetes objects of a CDK cloud assembly (cdk.out).
//
// eks_v2 puts every manifest inline into its stack template, as the JSON string property Manifest of a
// Custom::AWSCDK-EKS-KubernetesResource. A manifest that mentions a deploy-time value (an ECR repository's name or
// ARN) is not a string but a CloudFormation expression (Fn::Join of strings, Ref, Fn::GetAtt, Fn::Select,
// Fn::Split, and Fn::Sub, as in the bootstrap's asset bucket name). Those are evaluated against a fake deployment by
// knative-on-eks/test/cfn (test/cfn/eval.go), shared with test/rehearsal: an image built into an ECR repository
// becomes 123456789012.dkr.ecr.us-east-1.amazonaws.com/helloworldrepository296cb744:git-..., a reference of the
// real shape. Any other intrinsic function is an error, never a guess.

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"knative-on-eks/test/cfn"
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

// readTemplates reads every stack template of a cloud assembly, nested stacks and stages included, as one assembly
// (so that one stack's Fn::ImportValue finds another's export). A stack is named by its template's file name.
func readTemplates(dir string) (*cfn.Assembly, error) {
	files, err := cfn.TemplatesIn(dir)
	if err != nil {
		return nil, err
	}
	a := &cfn.Assembly{Dir: dir}
	for _, file := range files {
		s, err := cfn.ReadTemplate(strings.TrimSuffix(filepath.Base(file), ".template.json"), file)
		if err != nil {
			return nil, err
		}
		a.Stacks = append(a.Stacks, s)
	}
	return a, nil
}

// objectsIn returns every Kubernetes object stack s of assembly a applies through eks_v2, in logical-id order.
func objectsIn(a *cfn.Assembly, s *cfn.Stack) ([]k8sObject, error) {
	ids := make([]string, 0, len(s.Resources))
	for id := range s.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var objects []k8sObject
	for _, id := range ids {
		r := s.Resources[id]
		if r["Type"] != manifestResourceType {
			continue
		}
		source := fmt.Sprintf("%s %s", filepath.Base(s.File), id)
		props, _ := r["Properties"].(map[string]any)
		raw, ok := props["Manifest"]
		if !ok {
			return nil, fmt.Errorf("%s: %s has no inline Manifest property; manifests elsewhere are not supported", source, manifestResourceType)
		}
		value, err := cfn.Deployment{Assembly: a, Stack: s}.Eval(raw)
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
