package main

// Judging Knative objects with Knative's own code, the way a cluster running the release would.
//
// For every object of a *.knative.dev API group:
//   - the Kubernetes API server's checks for custom resources: object metadata (name and namespace), the CRD's
//     OpenAPI schema of that version (from the Serving, Eventing and Operator modules' CRD files), and no field the
//     schema does not know (kubectl's server-side field validation rejects those);
//   - ClusterDomainClaim (Knative networking's, which a DomainMapping needs) has no webhook: its CRD is all there is;
//   - for Serving and Eventing kinds, their admission webhooks: decode (Eventing's rejects unknown fields),
//     SetDefaults, then Validate in a create context, with the configuration our KnativeServing/KnativeEventing
//     give the cluster;
//   - for the operator's KnativeServing and KnativeEventing (its webhook only converts versions): the operator's
//     own steps that can fail on our input: spec.version must name a release it ships, and spec.config is merged
//     into that release's ConfigMaps (and its ingresses') by the operator's transformer, after which each ConfigMap must pass the
//     Serving or Eventing config-validation webhook and load into the stores their webhooks use. A spec.config
//     key that matches no ConfigMap of the release is reported too (the operator would silently ignore it).
//
// Not covered: CEL rules that compare with the old object (only updates have one), Serving's pod-spec dry run
// (off unless a request asks for dry run), checks that need a live cluster (Kubernetes version, referenced objects).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	mf "github.com/manifestival/manifestival"
	"go.uber.org/zap"
	"golang.org/x/mod/semver"
	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"knative.dev/pkg/apis"
	"knative.dev/pkg/configmap"
	"knative.dev/pkg/leaderelection"
	"knative.dev/pkg/logging"
	"knative.dev/pkg/webhook/resourcesemantics"

	eventingconfig "knative.dev/eventing/pkg/apis/config"
	eventingv1 "knative.dev/eventing/pkg/apis/eventing/v1"
	"knative.dev/eventing/pkg/apis/feature"
	flowsv1 "knative.dev/eventing/pkg/apis/flows/v1"
	channelconfig "knative.dev/eventing/pkg/apis/messaging/config"
	messagingv1 "knative.dev/eventing/pkg/apis/messaging/v1"
	sinksv1alpha1 "knative.dev/eventing/pkg/apis/sinks/v1alpha1"
	pingconfig "knative.dev/eventing/pkg/apis/sources/config"
	sourcesv1 "knative.dev/eventing/pkg/apis/sources/v1"
	sourcesv1alpha1 "knative.dev/eventing/pkg/apis/sources/v1alpha1"
	"knative.dev/eventing/pkg/apis/sugar"
	eventingo11y "knative.dev/eventing/pkg/observability/configmap"

	netcfg "knative.dev/networking/pkg/config"
	servingconfig "knative.dev/serving/pkg/apis/config"
	servingv1 "knative.dev/serving/pkg/apis/serving/v1"
	servingv1beta1 "knative.dev/serving/pkg/apis/serving/v1beta1"
	autoscalerconfig "knative.dev/serving/pkg/autoscaler/config"
	"knative.dev/serving/pkg/deployment"
	"knative.dev/serving/pkg/gc"
	servingo11y "knative.dev/serving/pkg/observability/configmap"
	certconfig "knative.dev/serving/pkg/reconciler/certificate/config"
	domainconfig "knative.dev/serving/pkg/reconciler/route/config"

	"knative.dev/operator/pkg/apis/operator/base"
	operatorv1beta1 "knative.dev/operator/pkg/apis/operator/v1beta1"
	"knative.dev/operator/pkg/reconciler/common"
	eventingcommon "knative.dev/operator/pkg/reconciler/knativeeventing/common"
)

// webhookKind is a kind judged by a Serving or Eventing admission webhook.
type webhookKind struct {
	component string // "serving" or "eventing": whose configuration goes into the context
	strict    bool   // the webhook decodes with unknown fields disallowed (Eventing's does, Serving's leaves it to the CRD schema)
	new       func() resourcesemantics.GenericCRD
}

// webhookKinds are the kinds of the Serving and Eventing webhooks (their cmd/webhook type maps) that this project
// emits or is likely to; any other *.knative.dev kind is an error until added here.
var webhookKinds = map[schema.GroupVersionKind]webhookKind{
	servingv1.SchemeGroupVersion.WithKind("Service"):            {"serving", false, func() resourcesemantics.GenericCRD { return &servingv1.Service{} }},
	servingv1.SchemeGroupVersion.WithKind("Configuration"):      {"serving", false, func() resourcesemantics.GenericCRD { return &servingv1.Configuration{} }},
	servingv1.SchemeGroupVersion.WithKind("Route"):              {"serving", false, func() resourcesemantics.GenericCRD { return &servingv1.Route{} }},
	servingv1beta1.SchemeGroupVersion.WithKind("DomainMapping"): {"serving", false, func() resourcesemantics.GenericCRD { return &servingv1beta1.DomainMapping{} }},
	eventingv1.SchemeGroupVersion.WithKind("Broker"):            {"eventing", true, func() resourcesemantics.GenericCRD { return &eventingv1.Broker{} }},
	eventingv1.SchemeGroupVersion.WithKind("Trigger"):           {"eventing", true, func() resourcesemantics.GenericCRD { return &eventingv1.Trigger{} }},
	sourcesv1.SchemeGroupVersion.WithKind("PingSource"):         {"eventing", true, func() resourcesemantics.GenericCRD { return &sourcesv1.PingSource{} }},
	sourcesv1.SchemeGroupVersion.WithKind("ApiServerSource"):    {"eventing", true, func() resourcesemantics.GenericCRD { return &sourcesv1.ApiServerSource{} }},
	sourcesv1.SchemeGroupVersion.WithKind("ContainerSource"):    {"eventing", true, func() resourcesemantics.GenericCRD { return &sourcesv1.ContainerSource{} }},
	sourcesv1.SchemeGroupVersion.WithKind("SinkBinding"):        {"eventing", true, func() resourcesemantics.GenericCRD { return &sourcesv1.SinkBinding{} }},
	messagingv1.SchemeGroupVersion.WithKind("Channel"):          {"eventing", true, func() resourcesemantics.GenericCRD { return &messagingv1.Channel{} }},
	messagingv1.SchemeGroupVersion.WithKind("Subscription"):     {"eventing", true, func() resourcesemantics.GenericCRD { return &messagingv1.Subscription{} }},
	flowsv1.SchemeGroupVersion.WithKind("Sequence"):             {"eventing", true, func() resourcesemantics.GenericCRD { return &flowsv1.Sequence{} }},
	flowsv1.SchemeGroupVersion.WithKind("Parallel"):             {"eventing", true, func() resourcesemantics.GenericCRD { return &flowsv1.Parallel{} }},
	// AwsEvents: IntegrationSource (SQS, S3, DynamoDB Streams in) and IntegrationSink (SQS, SNS, S3 out).
	sourcesv1alpha1.SchemeGroupVersion.WithKind("IntegrationSource"): {"eventing", true, func() resourcesemantics.GenericCRD { return &sourcesv1alpha1.IntegrationSource{} }},
	sinksv1alpha1.SchemeGroupVersion.WithKind("IntegrationSink"):     {"eventing", true, func() resourcesemantics.GenericCRD { return &sinksv1alpha1.IntegrationSink{} }},
}

// schemaOnlyKinds have no admission webhook (Serving's webhook does not register them): the API server checks them
// against their CRD only.
var schemaOnlyKinds = map[schema.GroupVersionKind]bool{
	{Group: "networking.internal.knative.dev", Version: "v1alpha1", Kind: "ClusterDomainClaim"}: true,
}

var (
	knativeServingKind  = operatorv1beta1.SchemeGroupVersion.WithKind("KnativeServing")
	knativeEventingKind = operatorv1beta1.SchemeGroupVersion.WithKind("KnativeEventing")
)

// configValidation is each component's config-validation webhook: ConfigMap name to its constructor (the
// Serving and Eventing cmd/webhook constructor maps).
func configValidation(ctx context.Context, component string) configmap.Constructors {
	if component == "serving" {
		return configmap.Constructors{
			autoscalerconfig.ConfigName:      autoscalerconfig.NewConfigFromConfigMap,
			gc.ConfigName:                    gc.NewConfigFromConfigMapFunc(ctx),
			netcfg.ConfigMapName:             netcfg.NewConfigFromConfigMap,
			deployment.ConfigName:            deployment.NewConfigFromConfigMap,
			servingconfig.FeaturesConfigName: servingconfig.NewFeaturesConfigFromConfigMap,
			servingo11y.Name():               servingo11y.Parse,
			logging.ConfigMapName():          logging.NewConfigFromConfigMap,
			leaderelection.ConfigMapName():   leaderelection.NewConfigFromConfigMap,
			domainconfig.DomainConfigName:    domainconfig.NewDomainFromConfigMap,
			servingconfig.DefaultsConfigName: servingconfig.NewDefaultsConfigFromConfigMap,
			certconfig.CertManagerConfigName: certconfig.NewCertManagerConfigFromConfigMap,
		}
	}
	return configmap.Constructors{
		eventingo11y.Name():            eventingo11y.Parse,
		logging.ConfigMapName():        logging.NewConfigFromConfigMap,
		leaderelection.ConfigMapName(): leaderelection.NewConfigFromConfigMap,
		sugar.ConfigName:               sugar.NewConfigFromConfigMap,
	}
}

// store is a configuration store of an admission webhook: it loads ConfigMaps and puts them into the context.
type store interface {
	WatchConfigs(configmap.Watcher)
	ToContext(context.Context) context.Context
}

// webhookStores are the stores each component's defaulting and validation webhooks decorate the context with.
func webhookStores(component string, log configmap.Logger) []store {
	if component == "serving" {
		return []store{servingconfig.NewStore(log)}
	}
	return []store{eventingconfig.NewStore(log), channelconfig.NewStore(log), pingconfig.NewStore(log), feature.NewStore(log)}
}

// oracle judges Knative objects; see the file comment.
type oracle struct {
	schemas  *crdSchemas
	kodata   string   // the operator module's cmd/operator/kodata: the releases it ships
	warnings []string // admission warnings: the client sees them, the object is created
}

// judge returns the findings for the Knative objects among objects (one cloud assembly) and how many there were.
// An object of a *.knative.dev group this oracle does not know is an error.
func (o *oracle) judge(objects []k8sObject) (int, []string, error) {
	var findings []string
	contexts := map[string]context.Context{}
	// The operator CRs first: they configure the context the other kinds are judged in.
	for _, component := range []struct {
		name string
		gvk  schema.GroupVersionKind
	}{{"serving", knativeServingKind}, {"eventing", knativeEventingKind}} {
		var cr *k8sObject
		for i := range objects {
			if gvkOf(objects[i].Object) == component.gvk {
				if cr != nil {
					findings = append(findings, fmt.Sprintf("%s (%s): a second %s; the operator installs one", objects[i].id(), objects[i].Source, component.gvk.Kind))
				}
				cr = &objects[i]
			}
		}
		ctx, crFindings := o.configure(component.name, cr)
		findings = append(findings, crFindings...)
		contexts[component.name] = ctx
	}
	count := 0
	for _, obj := range objects {
		gvk := gvkOf(obj.Object)
		if !strings.HasSuffix(gvk.Group, "knative.dev") {
			continue
		}
		count++
		kind, ok := webhookKinds[gvk]
		if _, served := o.schemas.versions[gvk]; !served || !ok && !schemaOnlyKinds[gvk] && gvk != knativeServingKind && gvk != knativeEventingKind {
			return 0, nil, fmt.Errorf("%s (%s): %s is not a Knative kind and version this oracle judges (Serving, Eventing and operator CRDs of the release, and webhookKinds or schemaOnlyKinds in test/upstream/knative.go)", obj.id(), obj.Source, gvk)
		}
		if msgs := o.schemas.validate(gvk, obj.Object); len(msgs) > 0 {
			for _, m := range msgs {
				findings = append(findings, fmt.Sprintf("%s (%s): %s", obj.id(), obj.Source, m))
			}
			continue
		}
		if !ok {
			continue // the operator CRs were judged above; schema-only kinds have no webhook
		}
		var w warning
		if err := admit(contexts[kind.component], kind, obj.Object); errors.As(err, &w) {
			o.warnings = append(o.warnings, fmt.Sprintf("%s (%s): %v", obj.id(), obj.Source, w.error))
		} else if err != nil {
			findings = append(findings, fmt.Sprintf("%s (%s): %v", obj.id(), obj.Source, err))
		}
	}
	return count, findings, nil
}

func gvkOf(obj map[string]any) schema.GroupVersionKind {
	apiVersion, _ := obj["apiVersion"].(string)
	kind, _ := obj["kind"].(string)
	return schema.FromAPIVersionAndKind(apiVersion, kind)
}

// admit runs the defaulting then the validating admission webhook on a create request, as knative.dev/pkg's
// webhooks do.
func admit(ctx context.Context, kind webhookKind, obj map[string]any) error {
	ctx = apis.WithUserInfo(apis.WithinCreate(ctx), &authenticationv1.UserInfo{Username: "kubernetes-admin"})
	typed := kind.new()
	if err := decode(obj, typed, kind.strict); err != nil {
		return fmt.Errorf("webhook cannot decode it: %w", err)
	}
	typed.SetDefaults(ctx)
	// The validating webhook sees the defaulted object, decoded afresh.
	defaulted, err := json.Marshal(typed)
	if err != nil {
		return err
	}
	again := kind.new()
	if err := json.Unmarshal(defaulted, again); err != nil {
		return err
	}
	// Like knative.dev/pkg's webhook: errors reject the request, warnings are only passed back to the client.
	if fe := again.Validate(ctx); fe != nil {
		if errs := fe.Filter(apis.ErrorLevel); errs != nil {
			return errs
		}
		return warning{fe.Filter(apis.WarningLevel)}
	}
	return nil
}

// warning is an admission warning: shown, not a rejection.
type warning struct{ error }

func decode(obj map[string]any, into any, strict bool) error {
	data, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(data))
	if strict {
		d.DisallowUnknownFields()
	}
	return d.Decode(into)
}

// configure judges the operator CR of one component (nil when the cloud assembly has none: then the newest release
// the operator ships, with its defaults) and returns the context its webhooks would decorate requests with.
func (o *oracle) configure(component string, cr *k8sObject) (context.Context, []string) {
	var instance base.KComponent
	var decodeErr error
	label := "(none: the operator's newest release with its defaults)"
	if component == "serving" {
		ks := &operatorv1beta1.KnativeServing{}
		if cr != nil {
			decodeErr = decode(cr.Object, ks, true)
		}
		instance = ks
	} else {
		ke := &operatorv1beta1.KnativeEventing{}
		if cr != nil {
			decodeErr = decode(cr.Object, ke, true)
		}
		instance = ke
	}
	var findings []string
	report := func(format string, args ...any) {
		findings = append(findings, fmt.Sprintf("%s: %s", label, fmt.Sprintf(format, args...)))
	}
	if cr != nil {
		label = fmt.Sprintf("%s (%s)", cr.id(), cr.Source)
	}
	if decodeErr != nil {
		report("%v", decodeErr)
	}
	ctx := logging.WithLogger(context.Background(), zap.NewNop().Sugar())

	os.Setenv(common.KoEnvKey, o.kodata)
	manifest, err := common.TargetManifest(instance)
	if err != nil {
		report("spec.version %q: %v", instance.GetSpec().GetVersion(), err)
		return ctx, findings // without a release there are no ConfigMaps to judge against
	}
	if component == "serving" {
		// The ConfigMaps of the ingresses (config-istio...) take spec.config too. The operator's own lookup
		// (ingress.AppendTargetIngress) would pull Istio's Go client into the build, so read the release's ingress
		// manifests directly: kodata/ingress/<major.minor>/<ingress>/.
		version := strings.TrimPrefix(semver.MajorMinor(common.SanitizeSemver(common.TargetVersion(instance))), "v")
		dirs, _ := filepath.Glob(filepath.Join(o.kodata, "ingress", version, "*"))
		if len(dirs) == 0 {
			report("the operator ships no ingress for %s", version)
		}
		for _, dir := range dirs {
			ingress, err := common.FetchManifest(dir)
			if err != nil {
				report("ingress manifests %s: %v", dir, err)
			}
			manifest = manifest.Append(ingress)
		}
	}
	transformers := []mf.Transformer{common.ConfigMapTransform(instance.GetSpec().GetConfig(), zap.NewNop().Sugar())}
	if ke, ok := instance.(*operatorv1beta1.KnativeEventing); ok {
		transformers = append(transformers, eventingcommon.DefaultBrokerConfigMapTransform(ke, zap.NewNop().Sugar()))
	}
	manifest, err = manifest.Transform(transformers...)
	if err != nil {
		report("the operator cannot apply spec.config: %v", err)
		return ctx, findings
	}
	configMaps := map[string]*corev1.ConfigMap{}
	for _, u := range manifest.Filter(mf.ByKind("ConfigMap")).Resources() {
		cm := &corev1.ConfigMap{}
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, cm); err != nil {
			report("ConfigMap %s of the release: %v", u.GetName(), err)
			continue
		}
		configMaps[cm.Name] = cm
	}
	for _, key := range sortedKeys(instance.GetSpec().GetConfig()) {
		if configMaps[key] == nil && configMaps["config-"+key] == nil {
			report("spec.config.%s: the release has no ConfigMap %q or %q, so the operator ignores it", key, key, "config-"+key)
		}
	}
	constructors := configValidation(ctx, component)
	for _, name := range sortedKeys(configMaps) {
		if constructor, ok := constructors[name]; ok {
			if err := construct(constructor, configMaps[name]); err != nil {
				report("ConfigMap %s (from spec.config): %v", name, err)
			}
		}
	}
	log := &recordingLogger{}
	for _, s := range webhookStores(component, log) {
		before := len(log.errors)
		s.WatchConfigs(releaseWatcher(configMaps))
		if len(log.errors) == before { // a store that failed to load would have stopped the webhook
			ctx = s.ToContext(ctx)
		}
	}
	for _, m := range log.errors {
		report("the %s webhook cannot load its configuration: %s", component, m)
	}
	return ctx, dedupe(findings)
}

// construct calls a configmap.Constructors value: func(*corev1.ConfigMap) (T, error).
func construct(constructor any, cm *corev1.ConfigMap) error {
	log := &recordingLogger{}
	store := configmap.NewUntypedStore("validation", log, configmap.Constructors{cm.Name: constructor})
	store.OnConfigChanged(cm)
	if len(log.errors) > 0 {
		return fmt.Errorf("%s", strings.Join(log.errors, "; "))
	}
	return nil
}

// releaseWatcher hands each store the release's ConfigMap (after the operator's transformation), or an empty one
// when the release has none of that name.
type releaseWatcher map[string]*corev1.ConfigMap

func (w releaseWatcher) Watch(name string, observers ...configmap.Observer) {
	cm := w[name]
	if cm == nil {
		cm = &corev1.ConfigMap{}
		cm.Name = name
	}
	for _, observe := range observers {
		observe(cm)
	}
}

func (w releaseWatcher) Start(<-chan struct{}) error { return nil }

// recordingLogger keeps the errors a configmap store reports (a store's Fatalf would stop the webhook).
type recordingLogger struct{ errors []string }

func (l *recordingLogger) Debugf(string, ...any) {}
func (l *recordingLogger) Infof(string, ...any)  {}
func (l *recordingLogger) Errorf(f string, args ...any) {
	l.errors = append(l.errors, fmt.Sprintf(f, args...))
}
func (l *recordingLogger) Fatalf(f string, args ...any) {
	l.errors = append(l.errors, fmt.Sprintf(f, args...))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// moduleDir is where the Go module cache holds a module of this build, e.g. knative.dev/operator.
func moduleDir(path string) (string, error) {
	version, err := moduleVersion(path)
	if err != nil {
		return "", err
	}
	cache := os.Getenv("GOMODCACHE")
	if cache == "" {
		return "", fmt.Errorf("GOMODCACHE is not set (test/upstream/run sets it from `go env GOMODCACHE`)")
	}
	dir := filepath.Join(cache, path+"@"+version)
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("module %s@%s is not in the module cache: run `go mod download` in test/upstream", path, version)
	}
	return dir, nil
}
