package main

// Agreement between our synth-time rules (the bad(...) rows of the validation row files
// test/io/knativeoneks/*Rows.java, which ValidationTest runs) and Knative's own code.
//
// A Java row is bad("Owner.method", "<name>", build, "message"); rows here refer to it by <name>. (The reader also
// takes the older bad("<name>", build, ...) shape, which has no Owner.method.) test/upstream/agreement.jsonl has one JSON object a line
// (blank lines and lines starting with # are comments):
//
//   {"rule": "<name>", "object": "<Kind>/<name>", "patch": [<RFC 6902 operations>], "expect": "rejected"}
//       Knative must reject the object we synthesize once the patch puts the bad value in: our rule and theirs agree.
//   {... "expect": "accepted", "reason": "..."}
//       we are deliberately stricter; Knative must accept the patched object (so the row stays true), and the
//       reason says why we reject it anyway.
//   {... "also": [{"object": "<Kind>/<name>", "patch": [...]}, ...]}
//       a value that lands in several objects (a host is built from the Service's name and KnativeServing's domain):
//       these are patched too, and the verdict is on all of them together.
//   {"rules": ["<name>", ...], "outOfScope": "<reason>"}
//       rules about no Knative object (cluster sizing, git, IAM...), or that only a live cluster could judge.
//
// Every Java name must be covered: by exactly one outOfScope group, or by one or more judged rows with the same
// "expect" (several rows when the rule guards a list, such as the queue-proxy's reserved ports). Every row must
// name a Java rule.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	jsonpatch "github.com/evanphx/json-patch/v5"
)

type agreementRow struct {
	Rule string `json:"rule"`
	objectPatch
	Also       []objectPatch `json:"also"`
	Expect     string        `json:"expect"`
	Reason     string        `json:"reason"`
	Rules      []string      `json:"rules"`
	OutOfScope string        `json:"outOfScope"`
	line       int
}

// objectPatch is a JSON patch for one object of the assembly, named Kind/name.
type objectPatch struct {
	Object string          `json:"object"`
	Patch  json.RawMessage `json:"patch"`
}

func readAgreement(path string) ([]agreementRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []agreementRow
	scanner := bufio.NewScanner(f)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; scanner.Scan(); n++ {
		line := strings.TrimSpace(scanner.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var row agreementRow
		d := json.NewDecoder(strings.NewReader(line))
		d.DisallowUnknownFields()
		if err := d.Decode(&row); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		row.line = n
		switch {
		case row.OutOfScope != "":
			if len(row.Rules) == 0 || row.Rule != "" || row.Object != "" {
				return nil, fmt.Errorf("%s:%d: an outOfScope row lists \"rules\" and nothing else", path, n)
			}
		case row.Rule == "" || row.Object == "" || len(row.Patch) == 0:
			return nil, fmt.Errorf("%s:%d: a row needs \"rule\", \"object\" and \"patch\"", path, n)
		case slices.ContainsFunc(row.Also, func(p objectPatch) bool { return p.Object == "" || len(p.Patch) == 0 }):
			return nil, fmt.Errorf("%s:%d: each of \"also\" needs \"object\" and \"patch\"", path, n)
		case row.Expect == "accepted" && row.Reason == "":
			return nil, fmt.Errorf("%s:%d: a deliberately stricter rule (expect accepted) needs a \"reason\"", path, n)
		case row.Expect != "accepted" && row.Expect != "rejected":
			return nil, fmt.Errorf("%s:%d: expect is \"rejected\" or \"accepted\", not %q", path, n, row.Expect)
		}
		rows = append(rows, row)
	}
	return rows, scanner.Err()
}

// javaRule matches bad("Owner.method", "name", ...) and bad("name", s -> ...): the name is the second string when
// there is one.
var javaRule = regexp.MustCompile(`\bbad\(\s*"((?:[^"\\]|\\.)*)"\s*,\s*(?:"((?:[^"\\]|\\.)*)")?`)

// javaRules are the names of the bad inputs in the Java validation tests.
func javaRules(paths []string) (map[string]bool, error) {
	names := map[string]bool{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		found := javaRule.FindAllSubmatch(data, -1)
		if len(found) == 0 {
			return nil, fmt.Errorf("no bad(...) rows found in %s", p)
		}
		for _, m := range found {
			name := m[1]
			if m[2] != nil {
				name = m[2]
			}
			names[string(name)] = true
		}
	}
	return names, nil
}

// agree checks the agreement file against the Java rules and the oracle. It returns the findings and how many rows
// were judged by the oracle.
func agree(o *oracle, rowsPath string, javaFiles []string, assembly string) ([]string, int, error) {
	rows, err := readAgreement(rowsPath)
	if err != nil {
		return nil, 0, err
	}
	names, err := javaRules(javaFiles)
	if err != nil {
		return nil, 0, err
	}
	objects, err := assemblyObjects(assembly)
	if err != nil {
		return nil, 0, err
	}
	if _, f, err := o.judge(objects); err != nil || len(f) > 0 {
		return nil, 0, fmt.Errorf("%s must be valid before values are planted in it: %v %v", assembly, err, f)
	}
	var findings []string
	judgedRows := map[string][]agreementRow{}
	outOfScope := map[string]int{}
	judged := 0
	for _, row := range rows {
		rules := row.Rules
		if row.Rule != "" {
			rules = []string{row.Rule}
		}
		for _, r := range rules {
			if !names[r] {
				findings = append(findings, fmt.Sprintf("%s:%d: %q is not a bad(...) rule of %v", rowsPath, row.line, r, javaFiles))
			}
			if row.OutOfScope != "" {
				outOfScope[r]++
			} else {
				judgedRows[r] = append(judgedRows[r], row)
			}
		}
		if row.OutOfScope != "" {
			continue
		}
		judged++
		verdict, err := judgePatched(o, objects, row)
		if os.Getenv("UPSTREAM_VERBOSE") != "" {
			fmt.Fprintf(os.Stderr, "%s: %s\n", row.Rule, verdict)
		}
		if err != nil {
			findings = append(findings, fmt.Sprintf("%s:%d (%s): %v", rowsPath, row.line, row.Rule, err))
		} else if row.Expect == "rejected" && verdict == "" {
			findings = append(findings, fmt.Sprintf("%s:%d: rule %q: Knative accepts %s with %s, but our synth rejects it: our rule is stricter by accident (or the row's patch is wrong)", rowsPath, row.line, row.Rule, row.Object, row.Patch))
		} else if row.Expect == "accepted" && verdict != "" {
			findings = append(findings, fmt.Sprintf("%s:%d: rule %q is listed as deliberately stricter, but Knative rejects it too: %s; make the row \"expect\": \"rejected\"", rowsPath, row.line, row.Rule, verdict))
		}
	}
	for _, name := range sortedKeys(names) {
		rows := judgedRows[name]
		switch {
		case outOfScope[name] == 0 && len(rows) == 0:
			findings = append(findings, fmt.Sprintf("%s: Java rule %q has no row: add one (expect rejected, accepted with a reason, or outOfScope)", rowsPath, name))
		case outOfScope[name] > 1 || outOfScope[name] == 1 && len(rows) > 0:
			findings = append(findings, fmt.Sprintf("%s: Java rule %q is out of scope and also has other rows", rowsPath, name))
		case slices.ContainsFunc(rows, func(r agreementRow) bool { return r.Expect != rows[0].Expect }):
			findings = append(findings, fmt.Sprintf("%s: Java rule %q has rows that expect both rejected and accepted", rowsPath, name))
		}
	}
	sort.Strings(findings)
	return findings, judged, nil
}

// judgePatched applies the row's patches to their objects and judges the whole assembly: the verdict is Knative's
// complaint, empty when Knative accepts it.
func judgePatched(o *oracle, objects []k8sObject, row agreementRow) (string, error) {
	patched := make([]k8sObject, len(objects))
	copy(patched, objects)
	for _, p := range append([]objectPatch{row.objectPatch}, row.Also...) {
		if err := applyPatch(patched, p, row.Rule); err != nil {
			return "", err
		}
	}
	// The unpatched assembly is valid (checked before), so any finding is the patch's.
	_, findings, err := o.judge(patched)
	if err != nil {
		return "", err
	}
	return strings.Join(findings, "; "), nil
}

// applyPatch replaces the objects p names in objects with their patched copies.
func applyPatch(objects []k8sObject, p objectPatch, rule string) error {
	kind, name, _ := strings.Cut(p.Object, "/")
	found := false
	for i, obj := range objects {
		meta, _ := obj.Object["metadata"].(map[string]any)
		if obj.Object["kind"] != kind || meta["name"] != name {
			continue
		}
		patch, err := jsonpatch.DecodePatch(p.Patch)
		if err != nil {
			return fmt.Errorf("patch: %w", err)
		}
		original, _ := json.Marshal(obj.Object)
		result, err := patch.Apply(original)
		if err != nil {
			return fmt.Errorf("patch does not apply to %s: %w", p.Object, err)
		}
		var changed map[string]any
		if err := json.NewDecoder(bytes.NewReader(result)).Decode(&changed); err != nil {
			return err
		}
		objects[i] = k8sObject{Source: obj.Source + " patched by " + rule, Object: changed}
		found = true
	}
	if !found {
		return fmt.Errorf("no %s in the assembly", p.Object)
	}
	return nil
}
