// Command rehearsal applies what CDK synthesized to a real Kubernetes API server, resource by resource in
// CloudFormation's order, the way aws-cdk-lib's kubectl handler does, on create, update and delete.
//
//	rehearsal [flags] SCENARIO...
//	    SCENARIO is NAME=DIR[,DIR...] or DIR: create the first cloud assembly, update to each next one, delete.
//
// Prints one line per scenario and a total, "rehearsal: N objects applied in order, U updates, D deletes, R
// rejected", and writes a table per scenario into -out. Exit 1 on a rejection, 2 on bad input (no Kubernetes
// resources, no creation order, a handler flag or property the rehearsal does not emulate, a chart it does not know).
// test/rehearsal/run builds the tools and passes the flags.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"knative-on-eks/test/cfn"
)

func main() {
	bin := flag.String("bin", "", "directory with etcd, kube-apiserver, kube-controller-manager")
	kubectl := flag.String("kubectl", "", "the kubectl layer's kubectl")
	helm := flag.String("helm", "", "the kubectl layer's helm")
	handler := flag.String("handler", "", "aws-cdk-lib's eks-v2 kubectl-handler directory")
	readinessWait := flag.String("readiness-wait", "", "src/io/knativeoneks/readiness_wait.py")
	runner := flag.String("runner", "", "test/rehearsal/readiness.py")
	out := flag.String("out", "target/rehearsal", "where the tables go")
	limit := flag.Duration("limit", 90*time.Second, "longest any one handler call may take")
	python := flag.String("python", "python3", "Python 3")
	leftBehindFile := flag.String("left-behind", "", "test/rehearsal/left-behind: objects that stay after delete on purpose")
	unchanged := flag.String("unchanged", "", "comma-separated scenarios whose updates must change nothing (the same input synthesized again)")
	serve := flag.Bool("serve", false, "only start the control plane, print an admin kubeconfig's path and wait (debugging)")
	flag.Parse()
	if *serve {
		cp, err := startControlPlane(*bin, flag.Args())
		if err != nil {
			fail(err)
		}
		for _, u := range flag.Args() {
			cp.writeKubeconfig(u, filepath.Join(cp.dir, shortHash(u)+".kubeconfig"))
			fmt.Printf("%s: %s\n", u, filepath.Join(cp.dir, shortHash(u)+".kubeconfig"))
		}
		fmt.Println("admin:", filepath.Join(cp.dir, "admin.kubeconfig"))
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		<-sig
		cp.stop()
		return
	}
	if flag.NArg() == 0 || *bin == "" || *kubectl == "" || *helm == "" || *handler == "" {
		fmt.Fprintln(os.Stderr, "usage: rehearsal -bin DIR -kubectl FILE -helm FILE -handler DIR -readiness-wait FILE -runner FILE [-out DIR] NAME=CDK_OUT[,CDK_OUT...]...")
		os.Exit(2)
	}
	if err := checkHandler(*handler); err != nil {
		fail(err)
	}
	type scenario struct {
		name string
		dirs []string
	}
	var scenarios []scenario
	for _, arg := range flag.Args() {
		name, list, ok := strings.Cut(arg, "=")
		if !ok {
			list, name = arg, filepath.Base(filepath.Clean(arg))
		}
		scenarios = append(scenarios, scenario{name, strings.Split(list, ",")})
	}
	// Read and check every input before starting anything.
	assemblies := map[string]*cfn.Assembly{}
	for _, sc := range scenarios {
		for _, d := range sc.dirs {
			if assemblies[d] != nil {
				continue
			}
			a, err := cfn.ReadAssembly(d)
			if err != nil {
				fail(badf("%v", err))
			}
			if err := checkTypes(a); err != nil {
				fail(err)
			}
			assemblies[d] = a
		}
	}
	allowed, err := readLeftBehind(*leftBehindFile)
	if err != nil {
		fail(err)
	}
	kodataDir, err := moduleDir("knative.dev/operator", "v0.50.0")
	if err != nil {
		fail(err)
	}
	total := &rehearsal{}
	failed := false
	for _, sc := range scenarios {
		var list []*cfn.Assembly
		for _, d := range sc.dirs {
			list = append(list, assemblies[d])
		}
		work, err := os.MkdirTemp("", "rehearsal-work-")
		if err != nil {
			fail(err)
		}
		r := &rehearsal{name: sc.name, kubectl: *kubectl, helm: *helm, python: *python, readinessWait: *readinessWait,
			readinessRunner: *runner, kodata: filepath.Join(kodataDir, "cmd", "operator", "kodata"), work: work,
			limit: *limit, kubeconfigs: map[string]string{},
			granted: map[string][]string{}, charts: &charts{dir: filepath.Join(work, "charts")}}
		r.leftBehind = allowed
		r.unchanged = strings.Contains(","+*unchanged+",", ","+sc.name+",")
		r.toolEnv = []string{"HOME=" + work, "KUBECACHEDIR=" + filepath.Join(work, "kube-cache")}
		err = r.rehearse(*bin, list, *out)
		os.RemoveAll(work)
		if err != nil {
			fail(err)
		}
		fmt.Printf("rehearsal %s: %d objects applied in order, %d updates, %d deletes, %d rejected (%s)\n", sc.name,
			r.applied, r.updates, r.deletes, len(r.rejections), filepath.Join(*out, sc.name+".md"))
		for _, x := range r.rejections {
			fmt.Fprintf(os.Stderr, "REJECTED %s: %s\n", sc.name, x)
			failed = true
		}
		total.applied += r.applied
		total.updates += r.updates
		total.deletes += r.deletes
		total.rejections = append(total.rejections, r.rejections...)
	}
	fmt.Printf("rehearsal: %d objects applied in order, %d updates, %d deletes, %d rejected\n", total.applied,
		total.updates, total.deletes, len(total.rejections))
	if failed {
		os.Exit(1)
	}
}

func (r *rehearsal) rehearse(bin string, list []*cfn.Assembly, out string) error {
	started := time.Now()
	users := map[string]bool{}
	imported := map[string]bool{}
	for _, a := range list {
		for _, st := range a.Stacks {
			for id, res := range st.Resources {
				t := str(res["Type"])
				if isKubernetesType(t) {
					p, imp := principalOf(a, st, id)
					users[p] = true
					if imp {
						imported[p] = true
					}
				}
				if t == typeAccessEntry {
					props, err := (cfn.Deployment{Assembly: a, Stack: st}).Props(id)
					if err != nil {
						return badf("%s/%s: %v", st.Name, id, err)
					}
					users[str(props["PrincipalArn"])] = true
				}
			}
		}
	}
	var names []string
	for u := range users {
		names = append(names, u)
	}
	sort.Strings(names)
	t0 := time.Now()
	cp, err := startControlPlane(bin, names)
	if err != nil {
		return err
	}
	defer cp.stop()
	r.cp = cp
	fmt.Fprintf(os.Stderr, "rehearsal %s: control plane ready in %.1f s\n", r.name, time.Since(t0).Seconds())
	r.baseline, r.builtin, err = r.snapshot()
	if err != nil {
		return err
	}
	// A kubectl provider imported into the app acts with access granted outside it.
	for p := range imported {
		name := "imported-" + shortHash(p)
		if err := cp.apply("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/"+name, map[string]any{
			"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
			"metadata": map[string]any{"name": name},
			"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
			"subjects": []any{map[string]any{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": p}}}); err != nil {
			return err
		}
		r.notes = append(r.notes, "an imported kubectl provider acts as cluster admin (its access is granted outside the app)")
	}
	r.baseline, _, _ = r.snapshot()
	r.sim = startSimulator(cp)
	r.phase = "create"
	if err := r.staticProviders(list[0]); err != nil {
		r.sim.halt()
		return err
	}
	err = r.create(list[0])
	last := list[0]
	for i := 1; err == nil && len(r.rejections) == 0 && i < len(list); i++ {
		r.phase = "update"
		if err := r.staticProviders(list[i]); err != nil {
			r.sim.halt()
			return err
		}
		err = r.update(list[i-1], list[i])
		last = list[i]
	}
	if err == nil && len(r.rejections) > 0 {
		// CloudFormation stops at a failed resource; what exists is deleted (in reverse order of creation).
		r.phase = "rollback"
		r.notes = append(r.notes, "stopped at the first rejection; what had been created was deleted in reverse order")
		err = r.rollback()
	} else if err == nil {
		r.phase = "delete"
		err = r.destroy(last)
	}
	if err == nil {
		err = r.afterDelete()
	}
	r.sim.halt()
	if err != nil {
		return err
	}
	return r.writeTable(out, started)
}

// badInput is an error about the input (exit 2), not a finding about what it deploys.
type badInput struct{ msg string }

func (e badInput) Error() string { return e.msg }

// badf is a badInput error, formatted as fmt.Sprintf does.
func badf(format string, args ...any) error { return badInput{fmt.Sprintf(format, args...)} }

// fail prints err and exits 2.
func fail(err error) {
	fmt.Fprintln(os.Stderr, "rehearsal:", err)
	if _, bad := err.(badInput); bad {
		os.Exit(2)
	}
	os.Exit(2) // an error of the rehearsal itself (a process that does not start) is not a finding either
}
