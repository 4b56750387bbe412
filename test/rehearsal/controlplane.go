package main

// A throwaway Kubernetes control plane on loopback: etcd, kube-apiserver (RBAC on; ServiceAccount and webhook
// admission off, since no pod ever runs and no webhook server exists) and kube-controller-manager running only the
// namespace and garbage-collector controllers (namespaces terminate, owned objects go) and the cluster-role
// aggregation controller (the view, edit and admin roles that EKS access policies map to are aggregated). Certificates, the
// service-account signing key and the users' tokens are generated at start and live in a temporary directory.

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

type controlPlane struct {
	dir      string
	binDir   string
	endpoint string // https://127.0.0.1:port
	caPEM    []byte
	tokens   map[string]string // user -> bearer token
	procs    []*exec.Cmd
	logs     []string
	http     *http.Client
	admin    string // the admin's token
}

// adminUser is the rehearsal's own identity (system:masters): it sets up simulations and reads state. The kubectl
// handler and the readiness wait act as their IAM roles, with the rights their EKS access entries give.
const adminUser = "rehearsal-admin"

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func writePEM(path, typ string, der []byte) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600)
}

// startControlPlane starts etcd, the API server and the controller manager, and waits (at most 90 s) until the API
// server is ready. users are the identities that get a token (IAM principals of the app's access entries).
func startControlPlane(binDir string, users []string) (*controlPlane, error) {
	dir, err := os.MkdirTemp("", "rehearsal-")
	if err != nil {
		return nil, err
	}
	cp := &controlPlane{dir: dir, binDir: binDir, tokens: map[string]string{}}
	if err := cp.certificates(); err != nil {
		cp.stop()
		return nil, err
	}
	var tokenFile strings.Builder
	for i, u := range append([]string{adminUser}, users...) {
		if _, dup := cp.tokens[u]; dup {
			continue
		}
		b := make([]byte, 16)
		rand.Read(b)
		token := hex.EncodeToString(b)
		cp.tokens[u] = token
		groups := ""
		if u == adminUser {
			groups = ",\"system:masters\""
		}
		fmt.Fprintf(&tokenFile, "%s,%q,\"uid-%d\"%s\n", token, u, i, groups)
	}
	cp.admin = cp.tokens[adminUser]
	if err := os.WriteFile(filepath.Join(dir, "tokens.csv"), []byte(tokenFile.String()), 0o600); err != nil {
		cp.stop()
		return nil, err
	}

	etcdPort, _ := freePort()
	peerPort, _ := freePort()
	apiPort, _ := freePort()
	etcdURL := fmt.Sprintf("http://127.0.0.1:%d", etcdPort)
	peerURL := fmt.Sprintf("http://127.0.0.1:%d", peerPort)
	if err := cp.start("etcd", "--name=rehearsal", "--data-dir="+filepath.Join(dir, "etcd"),
		"--listen-client-urls="+etcdURL, "--advertise-client-urls="+etcdURL,
		"--listen-peer-urls="+peerURL, "--initial-advertise-peer-urls="+peerURL,
		"--initial-cluster=rehearsal="+peerURL, "--unsafe-no-fsync", "--log-level=error",
		"--listen-metrics-urls="); err != nil {
		cp.stop()
		return nil, err
	}
	cp.endpoint = fmt.Sprintf("https://127.0.0.1:%d", apiPort)
	if err := cp.start("kube-apiserver",
		"--etcd-servers="+etcdURL,
		"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", fmt.Sprintf("--secure-port=%d", apiPort),
		"--tls-cert-file="+filepath.Join(dir, "serving.crt"), "--tls-private-key-file="+filepath.Join(dir, "serving.key"),
		"--client-ca-file="+filepath.Join(dir, "ca.crt"),
		"--token-auth-file="+filepath.Join(dir, "tokens.csv"),
		"--authorization-mode=RBAC",
		"--disable-admission-plugins=ServiceAccount,MutatingAdmissionWebhook,ValidatingAdmissionWebhook",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file="+filepath.Join(dir, "sa.pub"),
		"--service-account-signing-key-file="+filepath.Join(dir, "sa.key"),
		"--service-cluster-ip-range=10.96.0.0/16",
		"--cert-dir="+filepath.Join(dir, "certs"),
		"--profiling=false", "--v=0"); err != nil {
		cp.stop()
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(cp.caPEM)
	cp.http = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if err := cp.waitReady(90 * time.Second); err != nil {
		cp.stop()
		return nil, err
	}
	if err := cp.writeKubeconfig(adminUser, filepath.Join(dir, "admin.kubeconfig")); err != nil {
		cp.stop()
		return nil, err
	}
	if err := cp.start("kube-controller-manager",
		"--kubeconfig="+filepath.Join(dir, "admin.kubeconfig"),
		"--controllers=namespace-controller,garbage-collector-controller,clusterrole-aggregation-controller",
		"--leader-elect=false", "--use-service-account-credentials=false",
		"--bind-address=127.0.0.1", "--secure-port=0",
		"--namespace-sync-period=10s", "--concurrent-gc-syncs=5",
		"--profiling=false", "--v=0"); err != nil {
		cp.stop()
		return nil, err
	}
	return cp, nil
}

func (cp *controlPlane) start(name string, args ...string) error {
	bin := filepath.Join(cp.binDir, name)
	if _, err := os.Stat(bin); err != nil {
		return badf("%s is missing in %s (test/rehearsal/run builds it)", name, cp.binDir)
	}
	logPath := filepath.Join(cp.dir, name+".log")
	log, err := os.Create(logPath)
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", name, err)
	}
	cp.procs = append(cp.procs, cmd)
	cp.logs = append(cp.logs, logPath)
	go func() { cmd.Wait(); log.Close() }()
	return nil
}

// waitReady polls /readyz until it answers ok, a process exits, or the timeout passes.
func (cp *controlPlane) waitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var last string
	for i := 0; time.Now().Before(deadline) && i < 1000; i++ {
		for j, p := range cp.procs {
			if p.ProcessState != nil {
				return fmt.Errorf("%s exited: %s", filepath.Base(p.Path), tailFile(cp.logs[j], 2000))
			}
		}
		code, body, err := cp.do("GET", "/readyz", "", nil)
		if err == nil && code == 200 {
			return nil
		}
		last = fmt.Sprint(code, " ", string(body), err)
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("the API server was not ready after %s: %s\n%s", timeout, last, tailFile(cp.logs[len(cp.logs)-1], 2000))
}

func tailFile(path string, n int) string {
	b, _ := os.ReadFile(path)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

func (cp *controlPlane) stop() {
	for i := len(cp.procs) - 1; i >= 0; i-- {
		p := cp.procs[i]
		if p.Process != nil && p.ProcessState == nil {
			p.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() {
				for k := 0; k < 50 && p.ProcessState == nil; k++ {
					time.Sleep(100 * time.Millisecond)
				}
				close(done)
			}()
			<-done
			if p.ProcessState == nil {
				p.Process.Kill()
			}
		}
	}
	if os.Getenv("REHEARSAL_KEEP") == "" {
		os.RemoveAll(cp.dir)
	}
}

// certificates writes a CA, the API server's serving certificate and the service-account key pair.
func (cp *controlPlane) certificates() error {
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "rehearsal-ca"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	ca, _ := x509.ParseCertificate(caDER)
	cp.caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	if err := os.WriteFile(filepath.Join(cp.dir, "ca.crt"), cp.caPEM, 0o600); err != nil {
		return err
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "kube-apiserver"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("10.96.0.1")}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return err
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	if err := writePEM(filepath.Join(cp.dir, "serving.crt"), "CERTIFICATE", der); err != nil {
		return err
	}
	if err := writePEM(filepath.Join(cp.dir, "serving.key"), "EC PRIVATE KEY", keyDER); err != nil {
		return err
	}
	sa, _ := rsa.GenerateKey(rand.Reader, 2048)
	if err := writePEM(filepath.Join(cp.dir, "sa.key"), "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(sa)); err != nil {
		return err
	}
	pub, _ := x509.MarshalPKIXPublicKey(&sa.PublicKey)
	return writePEM(filepath.Join(cp.dir, "sa.pub"), "PUBLIC KEY", pub)
}

// caData is the CA certificate as EKS reports it (CertificateAuthorityData: base64 of the PEM).
func (cp *controlPlane) caData() string { return base64.StdEncoding.EncodeToString(cp.caPEM) }

// writeKubeconfig writes a kubeconfig for user (as `aws eks update-kubeconfig` would, with a token instead of the
// exec plugin).
func (cp *controlPlane) writeKubeconfig(user, path string) error {
	token, ok := cp.tokens[user]
	if !ok {
		return fmt.Errorf("no token for %s", user)
	}
	cfg := map[string]any{
		"apiVersion": "v1", "kind": "Config", "current-context": "rehearsal",
		"clusters": []any{map[string]any{"name": "rehearsal", "cluster": map[string]any{
			"server": cp.endpoint, "certificate-authority-data": cp.caData()}}},
		"users":    []any{map[string]any{"name": "u", "user": map[string]any{"token": token}}},
		"contexts": []any{map[string]any{"name": "rehearsal", "context": map[string]any{"cluster": "rehearsal", "user": "u"}}},
	}
	b, _ := json.Marshal(cfg)
	return os.WriteFile(path, b, 0o600)
}

// do is one request as the admin. contentType "" sends no body type (GET, DELETE).
func (cp *controlPlane) do(method, path, contentType string, body []byte) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, cp.endpoint+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+cp.admin)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := cp.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// get returns the object at path, or nil when it does not exist.
func (cp *controlPlane) get(path string) (map[string]any, error) {
	code, body, err := cp.do("GET", path, "", nil)
	if err != nil {
		return nil, err
	}
	if code == 404 {
		return nil, nil
	}
	if code != 200 {
		return nil, fmt.Errorf("GET %s: %d %s", path, code, body)
	}
	var o map[string]any
	return o, json.Unmarshal(body, &o)
}

// list returns the items at path (a collection), none when the resource does not exist (yet).
func (cp *controlPlane) list(path string) ([]map[string]any, error) {
	o, err := cp.get(path)
	if err != nil || o == nil {
		return nil, err
	}
	var out []map[string]any
	items, _ := o["items"].([]any)
	for _, i := range items {
		if m, ok := i.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// patch merges patch into the object at path (a subresource path for status).
func (cp *controlPlane) patch(path string, patch any) error {
	b, _ := json.Marshal(patch)
	code, body, err := cp.do("PATCH", path, "application/merge-patch+json", b)
	if err != nil {
		return err
	}
	if code != 200 && code != 201 {
		return fmt.Errorf("PATCH %s: %d %s", path, code, strings.TrimSpace(string(body)))
	}
	return nil
}

// apply server-side-applies one object as the field manager "rehearsal-simulation".
func (cp *controlPlane) apply(path string, object map[string]any) error {
	b, _ := json.Marshal(object)
	code, body, err := cp.do("PATCH", path+"?fieldManager=rehearsal-simulation&force=true", "application/apply-patch+yaml", b)
	if err != nil {
		return err
	}
	if code != 200 && code != 201 {
		return fmt.Errorf("apply %s: %d %s", path, code, strings.TrimSpace(string(body)))
	}
	return nil
}

func (cp *controlPlane) remove(path string) error {
	code, body, err := cp.do("DELETE", path, "application/json", []byte(`{"propagationPolicy":"Background"}`))
	if err != nil {
		return err
	}
	if code != 200 && code != 202 && code != 404 {
		return fmt.Errorf("DELETE %s: %d %s", path, code, strings.TrimSpace(string(body)))
	}
	return nil
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])[:10]
}
