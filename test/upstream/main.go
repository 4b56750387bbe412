// Command upstream-oracle judges what this project synthesizes with Knative's own validation code.
//
//	upstream-oracle knative CDK_OUT_DIR...
//	    every Knative object of each cloud assembly must pass (see knative.go); prints "knative objects valid: N"
//	upstream-oracle agree AGREEMENT_FILE JAVA_TEST_FILE... -- CDK_OUT_DIR
//	    our Java rules and Knative's agree (see agree.go); prints "agreement rows judged: N"
//	    (UPSTREAM_VERBOSE=1 also prints Knative's verdict on each row)
//
// Exit status 1 on findings, 2 on bad input (no Knative objects, an unknown kind, an unreadable template).
// GOMODCACHE must be set (CRDs and the operator's releases are read from the modules this binary is built with).
package main

import (
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	if len(os.Args) < 3 {
		usage()
	}
	o, err := newOracle()
	if err != nil {
		fail(2, err)
	}
	switch os.Args[1] {
	case "knative":
		total := 0
		var findings []string
		for _, dir := range os.Args[2:] {
			objects, err := assemblyObjects(dir)
			if err != nil {
				fail(2, err)
			}
			n, f, err := o.judge(objects)
			if err != nil {
				fail(2, err)
			}
			if n == 0 {
				fail(2, fmt.Errorf("%s: no Knative objects (kinds of *.knative.dev) in any template: nothing to judge", dir))
			}
			total += n
			findings = append(findings, f...)
		}
		for _, w := range dedupe(o.warnings) {
			fmt.Fprintln(os.Stderr, "warning (Knative admits it, with this warning):", w)
		}
		report(findings)
		fmt.Printf("knative objects valid: %d\n", total)
	case "agree":
		args := os.Args[2:]
		sep := len(args) - 2
		if len(args) < 4 || args[sep] != "--" {
			usage()
		}
		findings, judged, err := agree(o, args[0], args[1:sep], args[sep+1])
		if err != nil {
			fail(2, err)
		}
		report(findings)
		fmt.Printf("agreement rows judged: %d\n", judged)
	default:
		usage()
	}
}

func newOracle() (*oracle, error) {
	schemas, err := loadCRDs()
	if err != nil {
		return nil, err
	}
	operator, err := moduleDir("knative.dev/operator")
	if err != nil {
		return nil, err
	}
	return &oracle{schemas: schemas, kodata: filepath.Join(operator, "cmd", "operator", "kodata")}, nil
}

// assemblyObjects reads every Kubernetes object of every template of a cloud assembly.
func assemblyObjects(dir string) ([]k8sObject, error) {
	a, err := readTemplates(dir)
	if err != nil {
		return nil, err
	}
	var objects []k8sObject
	for _, s := range a.Stacks {
		o, err := objectsIn(a, s)
		if err != nil {
			return nil, err
		}
		objects = append(objects, o...)
	}
	return objects, nil
}

func report(findings []string) {
	if len(findings) == 0 {
		return
	}
	for _, f := range findings {
		fmt.Fprintln(os.Stderr, "FAIL", f)
	}
	fmt.Fprintf(os.Stderr, "%d finding(s)\n", len(findings))
	os.Exit(1)
}

func fail(code int, err error) {
	fmt.Fprintln(os.Stderr, "upstream-oracle:", err)
	os.Exit(code)
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: upstream-oracle knative CDK_OUT_DIR...\n       upstream-oracle agree AGREEMENT_FILE JAVA_TEST_FILE... -- CDK_OUT_DIR")
	os.Exit(2)
}
