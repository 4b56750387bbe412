package main

// Agreement between our synth-time rules (test/io/knativeoneks/ValidationTest.java) and Knative's own code.
//
// test/upstream/agreement.jsonl has one JSON object a line (blank lines and lines starting with # are comments):
//
//   {"rule": "<name in ValidationTest's bad(...)>", "object": "<Kind>/<name>", "patch": [<RFC 6902 operations>],
//    "expect": "rejected"}
//       Knative must reject the object we synthesize once the patch puts the bad value in: our rule and theirs agree.
//   {... "expect": "accepted", "reason": "..."}
//       we are deliberately stricter; Knative must accept the patched object (so the row stays true), and the
//       reason says why we reject it anyway.
//   {... "upcoming": "<issue>"}
//       a value Knative rejects that no Java rule catches yet: judged like any row, but needs no Java rule of that
//       name; once the rule exists, name the row after it and drop "upcoming".
//   {"rules": ["<name>", ...], "outOfScope": "<reason>"}
//       rules about no Knative object (cluster sizing, git, IAM...), or that only a live cluster could judge.
//
// Every bad(...) name of ValidationTest.java must be covered by exactly one row, and every row must name one.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	jsonpatch "github.com/evanphx/json-patch/v5"
)

type agreementRow struct {
	Rule       string          `json:"rule"`
	Object     string          `json:"object"`
	Patch      json.RawMessage `json:"patch"`
	Expect     string          `json:"expect"`
	Reason     string          `json:"reason"`
	Rules      []string        `json:"rules"`
	OutOfScope string          `json:"outOfScope"`
	Upcoming   string          `json:"upcoming"`
	line       int
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
		case row.Expect == "accepted" && row.Reason == "":
			return nil, fmt.Errorf("%s:%d: a deliberately stricter rule (expect accepted) needs a \"reason\"", path, n)
		case row.Expect != "accepted" && row.Expect != "rejected":
			return nil, fmt.Errorf("%s:%d: expect is \"rejected\" or \"accepted\", not %q", path, n, row.Expect)
		}
		rows = append(rows, row)
	}
	return rows, scanner.Err()
}

var javaRule = regexp.MustCompile(`\bbad\(\s*"((?:[^"\\]|\\.)*)"`)

// javaRules are the names of the bad inputs in the Java validation tests.
func javaRules(paths []string) (map[string]bool, error) {
	names := map[string]bool{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		for _, m := range javaRule.FindAllSubmatch(data, -1) {
			names[string(m[1])] = true
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no bad(\"...\") rules found in %v", paths)
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
	covered := map[string]int{}
	judged := 0
	for _, row := range rows {
		rules := row.Rules
		if row.Rule != "" {
			rules = []string{row.Rule}
		}
		for _, r := range rules {
			covered[r]++
			if row.Upcoming != "" {
				if names[r] {
					findings = append(findings, fmt.Sprintf("%s:%d: %q is a Java rule now: drop \"upcoming\"", rowsPath, row.line, r))
				}
			} else if !names[r] {
				findings = append(findings, fmt.Sprintf("%s:%d: %q is not a bad(...) rule of %v", rowsPath, row.line, r, javaFiles))
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
		if covered[name] == 0 {
			findings = append(findings, fmt.Sprintf("%s: Java rule %q has no row: add one (expect rejected, accepted with a reason, or outOfScope)", rowsPath, name))
		} else if covered[name] > 1 {
			findings = append(findings, fmt.Sprintf("%s: Java rule %q has %d rows", rowsPath, name, covered[name]))
		}
	}
	sort.Strings(findings)
	return findings, judged, nil
}

// judgePatched applies the row's patch to its object and judges the whole assembly: the verdict is Knative's
// complaint, empty when Knative accepts it.
func judgePatched(o *oracle, objects []k8sObject, row agreementRow) (string, error) {
	kind, name, _ := strings.Cut(row.Object, "/")
	patched := make([]k8sObject, len(objects))
	copy(patched, objects)
	found := false
	for i, obj := range patched {
		meta, _ := obj.Object["metadata"].(map[string]any)
		if obj.Object["kind"] != kind || meta["name"] != name {
			continue
		}
		patch, err := jsonpatch.DecodePatch(row.Patch)
		if err != nil {
			return "", fmt.Errorf("patch: %w", err)
		}
		original, _ := json.Marshal(obj.Object)
		result, err := patch.Apply(original)
		if err != nil {
			return "", fmt.Errorf("patch does not apply to %s: %w", row.Object, err)
		}
		var changed map[string]any
		if err := json.NewDecoder(bytes.NewReader(result)).Decode(&changed); err != nil {
			return "", err
		}
		patched[i] = k8sObject{Source: obj.Source + " patched by " + row.Rule, Object: changed}
		found = true
	}
	if !found {
		return "", fmt.Errorf("no %s in the assembly", row.Object)
	}
	// The unpatched assembly is valid (checked before), so any finding is the patch's.
	_, findings, err := o.judge(patched)
	if err != nil {
		return "", err
	}
	return strings.Join(findings, "; "), nil
}
