package io.knativeoneks;

import io.knativeoneks.k8s.KnativeDomainMapping;
import io.knativeoneks.k8s.KnativeService;
import io.knativeoneks.k8s.KnativeServiceProps;
import io.knativeoneks.k8s.Validate;
import org.cdk8s.App;
import org.cdk8s.Chart;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.constructs.Construct;

/**
 * A Knative Service on a {@link KnativePlatform}, with its image from an {@link ImageSource}: by default built in the
 * cluster from git and pushed to ECR without static credentials, as the 2019 walkthrough did with Knative Build.
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

    public KnativeWorkload(Construct scope, String id, KnativeWorkloadProps props) {
        super(scope, id);
        Validate.check(props.platform != null, this, "platform", null, "is required",
                "pass the KnativePlatform to run on");
        Validate.check(props.name != null, this, "name", null, "is required", "name the service, e.g. \"hello\"");
        Validate.check(props.image != null, this, "image", null, "is required",
                "use ImageSource.fromLocalDirectory(...), fromGit(...), fromImage(...) or fromDirectory(...)");
        this.platform = props.platform;
        this.name = props.name;
        this.namespace = props.namespace != null ? props.namespace : platform.getAppNamespace();
        this.buildServiceAccount = props.buildServiceAccount;
        Validate.dnsLabel(this, "buildServiceAccount", buildServiceAccount);

        Validate.matches(this, "name", name, Validate.DNS_1035_LABEL,
                "a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, at most 63 characters)",
                "helloworld-python");
        ServiceUrls urls = new ServiceUrls(this, platform, name, namespace, props.clusterLocal, props.traffic,
                props.customDomains);
        this.host = urls.getHost();

        ImageSource.Image image = props.image.bind(this);
        Chart chart = new Chart(new App(), name);
        new KnativeService(chart, "Service", KnativeServiceProps.builder()
                .name(name)
                .namespace(namespace)
                .image(image.reference())
                .env(props.env)
                .containerPort(props.containerPort != null ? props.containerPort : 8080)
                .scale(props.scale)
                .imagePullSecret(image.pullSecret())
                .clusterLocal(props.clusterLocal)
                .traffic(props.traffic)
                .build());
        urls.getCustomHosts().forEach(host -> new KnativeDomainMapping(chart, "DomainMapping-" + host, host,
                namespace, name));
        service = apply("Service", chart);
        service.getNode().addDependency(platform.getServingReady());
        image.prerequisites().forEach(p -> service.getNode().addDependency(p));

        urls.addOutputs(this);
    }

    /** Applies a cdk8s chart to the platform's cluster as a manifest owned by this workload. */
    KubernetesManifest apply(String id, Chart chart) {
        return platform.getCluster().applyChart(this, id, chart);
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
