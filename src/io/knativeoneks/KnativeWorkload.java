package io.knativeoneks;

import io.knativeoneks.k8s.GitSource;
import io.knativeoneks.k8s.KnativeChart;
import io.knativeoneks.k8s.KnativeDomainMapping;
import io.knativeoneks.k8s.KnativeService;
import io.knativeoneks.k8s.KnativeServiceProps;
import io.knativeoneks.k8s.Validate;
import org.cdk8s.App;
import org.cdk8s.Chart;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.constructs.Construct;

/**
 * A Knative Service on a {@link KnativePlatform}, with its image from an {@link ImageSource}: by default built in the
 * cluster from this checkout or git and pushed to ECR without static credentials, as the 2019 walkthrough did with
 * Knative Build.
 * The service is applied after the image exists and after Knative Serving's webhook runs; its URL and the exact curl
 * command are stack outputs.
 */
public final class KnativeWorkload extends Construct {
    private final KnativePlatform platform;
    private final String name;
    private final String namespace;
    private final String buildServiceAccount;
    private final String host;
    private final KubernetesManifest service;
    private final KubernetesManifest namespaceReady;

    public KnativeWorkload(Construct scope, String id, KnativeWorkloadProps props) {
        super(scope, id);
        Validate.required(this, "props", props, "pass KnativeWorkloadProps.builder()...build()");
        Validate.check(props.platform != null, this, "platform", null, "is required",
                "pass the KnativePlatform to run on");
        Validate.check(props.name != null, this, "name", null, "is required", "name the service, e.g. \"hello\"");
        Validate.check(props.image != null, this, "image", null, "is required",
                "use ImageSource.fromLocalDirectory(...), fromGit(...), fromImage(...) or fromDirectory(...)");
        props.nulls.check(this, "");
        this.platform = props.platform;
        this.name = props.name;
        Validate.literal(this, "name", name);
        KnativeService.checkName(this, "name", name);
        this.namespace = props.namespace != null ? props.namespace : platform.getAppNamespace();
        ApplicationNamespace.check(this, "namespace", namespace);
        Validate.check(!KnativeChart.BUILT_IN_NAMESPACES.contains(namespace)
                        || namespace.equals(platform.getAppNamespace()), this, "namespace", "\"" + namespace + "\"",
                "is a namespace Kubernetes creates itself but not the platform's appNamespace (\""
                        + platform.getAppNamespace() + "\"), so nothing labels it for Istio sidecar injection",
                "use the platform's appNamespace, or a namespace of your own (it is created for you)");
        this.buildServiceAccount = props.buildServiceAccount;
        Validate.literal(this, "buildServiceAccount", buildServiceAccount);
        Validate.dnsLabel(this, "buildServiceAccount", buildServiceAccount);
        Validate.check(!buildServiceAccount.equals("default"), this, "buildServiceAccount", "\"default\"",
                "must not be the namespace's default service account (every pod without its own would get the "
                        + "build's push access)", "use a service account of its own, e.g. \"build-bot\"");
        // knative/serving pkg/reconciler/route/domains/domains.go DomainNameFromTemplate: the route host must be a
        // fully qualified domain name; ServiceUrls checks its labels and length
        ServiceUrls urls = new ServiceUrls(this, platform, name, namespace, props.clusterLocal, props.traffic,
                props.customDomains);
        this.host = urls.getHost();
        if (props.scale != null && Integer.valueOf(0).equals(props.scale.getInitialScale())) {
            // knative/serving pkg/apis/autoscaling/annotation_validation.go validateInitialScale
            Validate.check(platform.allowsZeroInitialScale(), this, "scale.initialScale", 0,
                    "needs Knative's cluster-wide allow-zero-initial-scale",
                    "set initialScale(0) on the platform's autoscaler too, or use 1 or more here");
        }
        namespaceReady = platform.workloadNamespace(namespace);

        ImageSource.Image image = props.image.bind(this);
        KnativeServiceProps.Builder serviceProps = KnativeServiceProps.builder()
                .name(name)
                .namespace(namespace)
                .image(image.reference())
                .env(props.env)
                .containerPort(props.containerPort != null ? props.containerPort : 8080);
        if (props.scale != null) {
            serviceProps.scale(props.scale);
        }
        if (image.pullSecret() != null) {
            serviceProps.imagePullSecret(image.pullSecret());
        }
        if (props.traffic != null) {
            serviceProps.traffic(props.traffic);
        }
        KnativeServiceProps serviceSpec = serviceProps.clusterLocal(props.clusterLocal).build();
        KnativeService.check(this, serviceSpec);
        Chart chart = new Chart(new App(), name);
        new KnativeService(chart, "Service", serviceSpec);
        urls.getCustomHosts().forEach(host -> new KnativeDomainMapping(chart, "DomainMapping-" + host, host,
                namespace, name));
        this.service = apply("Service", chart);
        service.getNode().addDependency(platform.getServingReady());
        image.prerequisites().forEach(p -> service.getNode().addDependency(p));

        urls.addOutputs(this);
    }

    /**
     * Applies a cdk8s chart to the platform's cluster as a manifest owned by this workload, after its namespace, and
     * refuses objects another workload or event flow already creates.
     */
    KubernetesManifest apply(String id, Chart chart) {
        platform.claimObjects(this, "name", name, chart);
        KubernetesManifest manifest = platform.getCluster().applyChart(this, id, chart);
        if (namespaceReady != null) {
            manifest.getNode().addDependency(namespaceReady);
        }
        return manifest;
    }

    /**
     * Checks what an in-cluster build is given, naming this workload in errors, and warns about settings that have
     * no effect.
     */
    void checkBuildInputs(GitSource source, ImageRegistry registry) {
        Validate.check(source != null, this, "image.git", null, "must not be null",
                "pass a GitSource to ImageSource.fromGit");
        checkRegistry(registry, "fromGit");
        source.validate(this);
        source.warnings().forEach((id, message) -> Annotations.of(this).addWarningV2(id, message));
    }

    /** Checks what an in-cluster build of a local directory is given, naming this workload in errors. */
    void checkBuildInputs(LocalSource source, ImageRegistry registry) {
        Validate.check(source != null, this, "image.local", null, "must not be null",
                "pass a LocalSource to ImageSource.fromLocalSource, or use ImageSource.fromLocalDirectory");
        checkRegistry(registry, "fromLocalSource");
    }

    private void checkRegistry(ImageRegistry registry, String factory) {
        Validate.check(registry != null, this, "image.registry", null, "must not be null",
                "pass an ImageRegistry, or use ImageSource." + factory + "(source) for a new ECR repository");
    }

    /** @return the platform */
    public KnativePlatform getPlatform() {
        return platform;
    }

    /** @return the Knative Service name */
    public String getName() {
        return name;
    }

    /** @return the namespace */
    public String getNamespace() {
        return namespace;
    }

    /** @return the service account an in-cluster build runs as */
    public String getBuildServiceAccount() {
        return buildServiceAccount;
    }

    /**
     * @return the host name the service answers on, e.g. helloworld-python.default.example.com, or
     *     helloworld-python-default.apps.example.org with a hosted zone, or
     *     helloworld-python.default.svc.cluster.local when cluster-local
     */
    public String getHost() {
        return host;
    }

    /** @return the manifest with the Knative Service */
    public KubernetesManifest getService() {
        return service;
    }

    /** Builds a {@link KnativeWorkload}: {@code KnativeWorkload.Builder.create(scope, id).platform(p)...build()}. */
    public static final class Builder extends KnativeWorkloadProps.AbstractBuilder<Builder, KnativeWorkload> {
        private final Construct scope;
        private final String id;

        private Builder(Construct scope, String id) {
            this.scope = scope;
            this.id = id;
        }

        /** @return a builder of a workload with the given scope and id */
        public static Builder create(Construct scope, String id) {
            return new Builder(scope, id);
        }

        @Override
        public KnativeWorkload build() {
            return new KnativeWorkload(scope, id, new KnativeWorkloadProps(this));
        }
    }
}
