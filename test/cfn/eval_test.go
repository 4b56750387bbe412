package cfn

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// fixture is an assembly of two stacks: Producer exports a value that Consumer imports.
func fixture(t *testing.T) (*Assembly, *Stack) {
	t.Helper()
	var producer, consumer Stack
	for text, s := range map[string]*Stack{`{
		"Resources": {"Repo": {"Type": "AWS::ECR::Repository"}},
		"Outputs": {
			"RepoName": {"Value": {"Ref": "Repo"}, "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-repo"}}},
			"RepoArn": {"Value": {"Fn::GetAtt": ["Repo", "Arn"]}}
		}}`: &producer, `{
		"Parameters": {"Tag": {"Type": "String", "Default": "v1"}, "NoDefault": {"Type": "String"}},
		"Resources": {
			"Cluster": {"Type": "AWS::EKS::Cluster"},
			"Role": {"Type": "AWS::IAM::Role"},
			"Untyped": {}
		}}`: &consumer} {
		if err := json.Unmarshal([]byte(text), &struct {
			Resources  *map[string]map[string]any
			Outputs    *map[string]any
			Parameters *map[string]any
		}{&s.Resources, &s.Outputs, &s.Params}); err != nil {
			t.Fatal(err)
		}
	}
	producer.Name, consumer.Name = "Producer", "Consumer"
	return &Assembly{Stacks: []*Stack{&producer, &consumer}}, &consumer
}

// evalJSON evaluates a template value written as JSON in the consumer stack.
func evalJSON(t *testing.T, f Deployment, text string) (any, error) {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return f.Eval(v)
}

func TestEvalIntrinsics(t *testing.T) {
	a, consumer := fixture(t)
	f := Deployment{Assembly: a, Stack: consumer}
	for _, c := range []struct{ in, want string }{
		{`"plain"`, `"plain"`},
		{`{"a": [1, true, null]}`, `{"a": [1, true, null]}`},
		{`{"Ref": "AWS::AccountId"}`, `"123456789012"`},
		{`{"Ref": "AWS::Region"}`, `"us-east-1"`},
		{`{"Ref": "AWS::Partition"}`, `"aws"`},
		{`{"Ref": "AWS::URLSuffix"}`, `"amazonaws.com"`},
		{`{"Ref": "AWS::NoValue"}`, `""`},
		{`{"Ref": "AWS::StackName"}`, `"Consumer"`},
		{`{"Ref": "Role"}`, `"role"`},
		{`{"Ref": "Tag"}`, `"v1"`},
		{`{"Fn::GetAtt": ["Role", "Arn"]}`, `"arn:aws:iam:us-east-1:123456789012:role/role"`},
		{`{"Fn::GetAtt": "Role.Arn"}`, `"arn:aws:iam:us-east-1:123456789012:role/role"`},
		{`{"Fn::GetAtt": ["Cluster", "Endpoint"]}`, `"cluster-endpoint"`},
		{`{"Fn::Join": ["-", ["a", {"Ref": "Role"}, "b"]]}`, `"a-role-b"`},
		{`{"Fn::Join": ["", []]}`, `""`},
		{`{"Fn::Split": [",", "a,b,,c"]}`, `["a", "b", "", "c"]`},
		{`{"Fn::Select": [1, ["a", "b"]]}`, `"b"`},
		{`{"Fn::Select": ["0", {"Fn::Split": [":", {"Fn::GetAtt": ["Role", "Arn"]}]}]}`, `"arn"`},
		{`{"Fn::Sub": "${AWS::Region}/${Role}/${Role.Arn}/${!Literal}"}`,
			`"us-east-1/role/arn:aws:iam:us-east-1:123456789012:role/role/${Literal}"`},
		{`{"Fn::Sub": ["${Name}.${AWS::URLSuffix}", {"Name": {"Ref": "Role"}}]}`, `"role.amazonaws.com"`},
		{`{"Fn::Base64": "text"}`, `"text"`},
		{`{"Fn::ImportValue": "Producer-repo"}`, `"repo"`},
		{`{"Fn::GetStackOutput": {"StackName": "Producer", "OutputName": "RepoArn"}}`,
			`"arn:aws:ecr:us-east-1:123456789012:repository/repo"`},
		{`{"Ref": "Role", "Other": 1}`, `{"Ref": "Role", "Other": 1}`}, // two keys: not a function
	} {
		got, err := evalJSON(t, f, c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		var want any
		if err := json.Unmarshal([]byte(c.want), &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", c.in, got, want)
		}
	}
}

func TestEvalRealAttributes(t *testing.T) {
	a, consumer := fixture(t)
	f := Deployment{Assembly: a, Stack: consumer, Attributes: map[string]string{
		"AWS::EKS::Cluster.Endpoint": "https://127.0.0.1:6443", "AWS::EKS::Cluster.CertificateAuthorityData": ""}}
	for in, want := range map[string]string{
		`{"Fn::GetAtt": ["Cluster", "Endpoint"]}`:                 "https://127.0.0.1:6443",
		`{"Fn::GetAtt": ["Cluster", "CertificateAuthorityData"]}`: "cluster-certificateauthoritydata", // empty: none
		`{"Fn::GetAtt": ["Role", "Endpoint"]}`:                    "role-endpoint",                    // another type
	} {
		if got, err := evalJSON(t, f, in); err != nil || got != want {
			t.Errorf("%s = %v, %v; want %q", in, got, err, want)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	a, consumer := fixture(t)
	for _, c := range []struct {
		name     string
		f        Deployment
		in, want string
	}{
		{"unknown intrinsic", Deployment{Assembly: a, Stack: consumer}, `{"Fn::FindInMap": ["M", "k", "v"]}`, "Fn::FindInMap is not evaluated"},
		{"unknown intrinsic nested", Deployment{Assembly: a, Stack: consumer}, `{"Fn::Join": ["", [{"Fn::If": ["C", "a", "b"]}]]}`, "Fn::If is not evaluated"},
		{"Base64 of a list", Deployment{Assembly: a, Stack: consumer}, `{"Fn::Base64": ["a"]}`, "Fn::Base64 is not evaluated"},
		{"Ref of nothing", Deployment{Assembly: a, Stack: consumer}, `{"Ref": "Missing"}`, `Ref "Missing" names neither`},
		{"Ref of a parameter without default", Deployment{Assembly: a, Stack: consumer}, `{"Ref": "NoDefault"}`, `Ref "NoDefault"`},
		{"GetAtt of nothing", Deployment{Assembly: a, Stack: consumer}, `{"Fn::GetAtt": ["Missing", "Arn"]}`, "Fn::GetAtt Missing.Arn: no such resource"},
		{"GetAtt malformed", Deployment{Assembly: a, Stack: consumer}, `{"Fn::GetAtt": ["Role"]}`, "expected [logicalId, attribute]"},
		{"Arn of a typeless resource", Deployment{Assembly: a, Stack: consumer}, `{"Fn::GetAtt": ["Untyped", "Arn"]}`, "has no service"},
		{"Join of a list", Deployment{Assembly: a, Stack: consumer}, `{"Fn::Join": ["", [["a"]]]}`, "item 0 is []interface {}"},
		{"Split malformed", Deployment{Assembly: a, Stack: consumer}, `{"Fn::Split": [","]}`, "expected [separator, string]"},
		{"Select out of range", Deployment{Assembly: a, Stack: consumer}, `{"Fn::Select": [2, ["a", "b"]]}`, "with the index inside the list"},
		{"Sub of an unknown variable", Deployment{Assembly: a, Stack: consumer}, `{"Fn::Sub": "x-${Missing}"}`, `Ref "Missing"`},
		{"Sub of a non-string", Deployment{Assembly: a, Stack: consumer}, `{"Fn::Sub": ["${N}", {"N": ["a"]}]}`, "${N} is not a string"},
		{"Sub malformed", Deployment{Assembly: a, Stack: consumer}, `{"Fn::Sub": [1, 2, 3]}`, "expected a string or [string, {variables}]"},
		{"token left in a string", Deployment{Assembly: a, Stack: consumer}, `{"k": ["x-${Token[TOKEN.123]}"]}`, "unresolved CDK token ${Token[TOKEN.123]}"},
		{"list token left in a string", Deployment{Assembly: a, Stack: consumer}, `"#{Token[TOKEN.7]}"`, "unresolved CDK token #{Token[TOKEN.7]}"},
		{"token left in Fn::Sub", Deployment{Assembly: a, Stack: consumer}, `{"Fn::Sub": "a-${Token[TOKEN.9]}"}`, "unresolved CDK token ${Token[TOKEN.9]}"},
		{"import of no export", Deployment{Assembly: a, Stack: consumer}, `{"Fn::ImportValue": "nothing"}`, "Fn::ImportValue nothing: no stack of the assembly has that output"},
		{"import without an assembly", Deployment{Stack: consumer}, `{"Fn::ImportValue": "Producer-repo"}`, "no stack of the assembly has that output"},
		{"stack output of no stack", Deployment{Assembly: a, Stack: consumer}, `{"Fn::GetStackOutput": {"StackName": "X", "OutputName": "Y"}}`, "no stack of the assembly has that output"},
	} {
		got, err := evalJSON(t, c.f, c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %s = %#v, %v; want an error containing %q", c.name, c.in, got, err, c.want)
		}
	}
}

func TestCrossStackDepth(t *testing.T) {
	// An export whose value imports itself never ends: the evaluator stops.
	s := &Stack{Name: "Loop", Resources: map[string]map[string]any{}, Outputs: map[string]any{
		"O": map[string]any{"Value": map[string]any{"Fn::ImportValue": "loop"}, "Export": map[string]any{"Name": "loop"}}}}
	_, err := Deployment{Assembly: &Assembly{Stacks: []*Stack{s}}, Stack: s}.Eval(map[string]any{"Fn::ImportValue": "loop"})
	if err == nil || !strings.Contains(err.Error(), "nest too deep") {
		t.Errorf("self-import: %v, want nest too deep", err)
	}
}

func TestProps(t *testing.T) {
	a, consumer := fixture(t)
	consumer.Resources["Role"]["Properties"] = map[string]any{"RoleName": map[string]any{"Ref": "Role"}}
	consumer.Resources["Bad"] = map[string]any{"Properties": map[string]any{"X": map[string]any{"Fn::If": []any{}}}}
	f := Deployment{Assembly: a, Stack: consumer}
	if p, err := f.Props("Role"); err != nil || p["RoleName"] != "role" {
		t.Errorf("Props(Role) = %v, %v", p, err)
	}
	if p, err := f.Props("Cluster"); err != nil || p == nil || len(p) != 0 {
		t.Errorf("Props(Cluster) = %#v, %v; want an empty map", p, err)
	}
	if _, err := f.Props("Bad"); err == nil || !strings.HasPrefix(err.Error(), "Bad: Fn::If") {
		t.Errorf("Props(Bad) error = %v, want one naming Bad and Fn::If", err)
	}
}
