package cfn

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeFiles writes name -> content files under a new temporary directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const manifest = `{"artifacts": {
	"App": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "App.template.json"}, "dependencies": ["Base", "App.assets"]},
	"Base": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Base.template.json"}},
	"App.assets": {"type": "cdk:asset-manifest"}
}}`

func TestReadAssembly(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"manifest.json":      manifest,
		"Base.template.json": `{"Resources": {"Z": {"Type": "AWS::S3::Bucket"}}, "Outputs": {"O": {"Value": "v"}}}`,
		"App.template.json": `{"Parameters": {"P": {"Type": "String"}}, "Resources": {
			"A": {"Type": "T", "Properties": {"X": {"Fn::Sub": "${B.Arn}-${P}-${AWS::Region}-${!C}"}}},
			"B": {"Type": "T", "DependsOn": "C"},
			"C": {"Type": "T", "Properties": {"Y": {"Fn::GetAtt": "D.Arn"}}},
			"D": {"Type": "T", "Properties": {"Z": [{"Ref": "P"}]}},
			"E": {"Type": "T"}
		}}`,
	})
	a, err := ReadAssembly(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range a.Stacks {
		names = append(names, s.Name)
	}
	if !reflect.DeepEqual(names, []string{"Base", "App"}) {
		t.Fatalf("stacks %v, want Base before App", names)
	}
	app := a.Stack("App")
	if app == nil || a.Stack("None") != nil {
		t.Fatal("Stack(name) finds App and nothing else")
	}
	if want := []string{"D", "C", "B", "A", "E"}; !reflect.DeepEqual(app.Order, want) {
		t.Errorf("order %v, want %v", app.Order, want)
	}
	if want := []string{"Base"}; !reflect.DeepEqual(app.StackDeps, want) {
		t.Errorf("stack deps %v, want %v", app.StackDeps, want)
	}
	if got, want := app.Ancestors("A"), map[string]bool{"B": true, "C": true, "D": true}; !reflect.DeepEqual(got, want) {
		t.Errorf("ancestors of A %v, want %v", got, want)
	}
	if a.Stack("Base").Outputs["O"] == nil {
		t.Error("Base's outputs not read")
	}
}

func TestReadAssemblyErrors(t *testing.T) {
	for name, c := range map[string]struct {
		files map[string]string
		want  string
	}{
		"no manifest": {map[string]string{"x": ""}, "not a cloud assembly"},
		"no stacks":   {map[string]string{"manifest.json": `{"artifacts": {}}`}, "no stacks in manifest.json"},
		"stage": {map[string]string{"manifest.json": `{"artifacts": {"S": {"type": "cdk:cloud-assembly"}}}`},
			"nested assembly S (a stage) is not supported"},
		"not JSON": {map[string]string{"manifest.json": manifest, "Base.template.json": "{", "App.template.json": `{"Resources": {}}`},
			"not a JSON template"},
		"no resources": {map[string]string{"manifest.json": manifest, "Base.template.json": "{}", "App.template.json": `{"Resources": {}}`},
			"no Resources section"},
		"cycle": {map[string]string{"manifest.json": manifest, "Base.template.json": `{"Resources": {}}`,
			"App.template.json": `{"Resources": {"A": {"DependsOn": "B"}, "B": {"Properties": {"X": {"Ref": "A"}}}, "C": {}}}`},
			"circular dependency among A, B"},
		"self": {map[string]string{"manifest.json": manifest, "Base.template.json": `{"Resources": {}}`,
			"App.template.json": `{"Resources": {"A": {"DependsOn": ["A"]}}}`}, "A depends on itself"},
		"missing DependsOn": {map[string]string{"manifest.json": manifest, "Base.template.json": `{"Resources": {}}`,
			"App.template.json": `{"Resources": {"A": {"DependsOn": ["Gone"]}}}`}, "A depends on Gone, which is not a resource"},
		"stack cycle": {map[string]string{"manifest.json": `{"artifacts": {
			"X": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "t.json"}, "dependencies": ["Y"]},
			"Y": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "t.json"}, "dependencies": ["X"]}}}`,
			"t.json": `{"Resources": {}}`}, "depend on each other in a cycle"},
	} {
		_, err := ReadAssembly(writeFiles(t, c.files))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, c.want)
		}
	}
}

func TestTemplatesIn(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"manifest.json":                  "{}",
		"B.template.json":                "{}",
		"A.template.json":                "{}",
		"A.nested.template.json":         "{}",
		"assembly-Stage/S.template.json": "{}",
		"asset.abc/inner.template.json":  "{}",
		"A.assets.json":                  "{}",
	})
	got, err := TemplatesIn(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i], _ = filepath.Rel(dir, got[i])
	}
	want := []string{"A.nested.template.json", "A.template.json", "B.template.json", "assembly-Stage/S.template.json"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("TemplatesIn = %v, want %v", got, want)
	}
	if _, err := TemplatesIn(writeFiles(t, map[string]string{"manifest.json": "{}"})); err == nil ||
		!strings.Contains(err.Error(), "holds no *.template.json") {
		t.Errorf("empty assembly: %v", err)
	}
	if _, err := TemplatesIn(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a cloud assembly") {
		t.Errorf("no manifest: %v", err)
	}
}
