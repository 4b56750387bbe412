package io.knativeoneks;

import io.knativeoneks.k8s.DomainTemplate;
import io.knativeoneks.k8s.KnativeChart;
import io.knativeoneks.internal.Validate;
import io.knativeoneks.common.Versions;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.services.eks_v2.Addon;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.eks_v2.HelmChart;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.constructs.Construct;
import software.constructs.IConstruct;
import software.constructs.IDependable;

/**
 * Istio and Knative Serving + Eventing on a {@link KnativeCluster} or any eks_v2 cluster, installed in a safe order
 * on deploy and removed in the reverse order on destroy:
 * <ol>
 * <li>Istio's {@code base} (CRDs), then {@code istiod} (control plane and webhooks), then {@code gateway} as release
 * {@code istio-ingressgateway} in {@code istio-system}, behind an internet-facing Network Load Balancer;</li>
 * <li>the Knative Operator (CRDs, controller and webhook), in parallel with Istio;</li>
 * <li>the {@link KnativeChart} (KnativeServing with Istio ingress, KnativeEventing), after the operator and istiod (in
 * parallel with the gateway and its load balancer), and after the EKS Pod Identity agent;</li>
 * <li>readiness gates that hold until the Serving and Eventing webhooks run and the application namespace is
 * labelled for sidecar injection, for workloads to depend on.</li>
 * </ol>
 * Every chart waits for its resources within {@link KnativeCluster#HELM_TIMEOUT}, on install and on uninstall: on
 * destroy, the gateway's uninstall waits until its load balancer is gone, and a {@link ReadinessWait} fails the
 * destroy with the reason if the gateway's Service is still there, before the cluster and the VPC go.
 *
 * <pre>{@code
 * KnativePlatform platform = KnativePlatform.Builder.create(this, "Platform")
 *         .cluster(cluster)
 *         .domain("apps.example.org")
 *         .hostedZone(zone)   // HTTPS on <service>-<namespace>.apps.example.org; without it, plain HTTP
 *         .metrics(MetricsOptions.builder().build())
 *         .build();
 * }</pre>
 */
public final class KnativePlatform extends PlatformBase {
    /** Istio's chart repository. */
    public static final String ISTIO_REPOSITORY = IstioMesh.REPOSITORY;
    /** The namespace of Istio and its ingress gateway. */
    public static final String ISTIO_NAMESPACE = IstioMesh.NAMESPACE;
    /** The gateway's release and Service name, which Knative's net-istio selects. */
    public static final String GATEWAY_NAME = IstioMesh.GATEWAY_NAME;
    /** The Knative Operator's chart repository. */
    public static final String OPERATOR_REPOSITORY = Versions.KNATIVE_OPERATOR_REPOSITORY;
    /** The Knative Operator chart version. */
    public static final String OPERATOR_CHART_VERSION = Versions.KNATIVE_OPERATOR;

    private final ClusterContext cluster;
    private final IstioMesh istio;
    private final KnativeInstall knative;
    private final String ingressHostname;
    private final String domain;
    private final String appNamespace;
    private final PublicDomain publicDomain;
    private final DomainTemplate domainTemplate;
    private final boolean allowsZeroInitialScale;
    private ExternalSecrets externalSecrets;
    private final Observability observability;

    /**
     * A platform; {@link Builder} is the shorter way to write it.
     *
     * @param scope the construct's parent
     * @param id the construct's id
     * @param props the properties; {@code cluster} is required
     */
    public KnativePlatform(Construct scope, String id, KnativePlatformProps props) {
        super(scope, id);
        Validate.required(this, "props", props, "pass KnativePlatformProps.builder().cluster(...).build()");
        Validate.check(props.cluster != null, this, "cluster", null, "is required",
                "pass the KnativeCluster to install on, or any eks_v2 ICluster (e.g. Cluster.fromClusterAttributes("
                        + "...) with its kubectlProvider)");
        props.nulls.check(this, "");
        KnativeCluster.checkRemovalPolicy(this, props.removalPolicy);
        ICluster eks = props.cluster;
        PlatformChecks.checkCluster(this, eks);
        checkOnlyPlatformOn(eks);
        PlatformChecks.checkNoSecondPodIdentityAgent(this, props);
        this.cluster = props.knativeCluster != null ? knativeClusterContext(props) : clusterContext(props);
        PlatformChecks.checkVersions(this, props, cluster.getKubernetesMinor());
        ApplicationNamespace.check(this, "appNamespace", props.appNamespace);
        Validate.domainName(this, "domain", props.domain);
        if (props.autoscaler != null) {
            props.autoscaler.toConfig(this);
        }
        this.allowsZeroInitialScale = props.autoscaler != null
                && Integer.valueOf(0).equals(props.autoscaler.getInitialScale());
        this.domain = props.domain;
        this.appNamespace = props.appNamespace;
        this.publicDomain = props.hostedZone != null
                ? new PublicDomain(this, "PublicDomain", props.hostedZone, props.domain) : null;
        this.domainTemplate = publicDomain != null ? DomainTemplate.ONE_LABEL : DomainTemplate.DOTTED;
        registry().addReference(this, "cluster", eks.getNode().getPath(), eks, "its cluster");
        if (props.hostedZone != null) {
            registry().addReference(this, "hostedZone", props.hostedZone.getNode().getPath(), props.hostedZone,
                    "its hostedZone");
        }
        if (publicDomain == null) {
            Annotations.of(this).addWarningV2("knative-on-eks:plainHttp", "Services answer plain HTTP on "
                    + "<service>.<namespace>." + props.domain + " through the load balancer, with a Host header. "
                    + "For HTTPS URLs on your own domain, pass hostedZone(...) (a Route 53 zone of the domain) and a "
                    + "domain in it: a certificate, TLS at the load balancer and DNS records follow.");
        }

        istio = new IstioMesh(this, cluster, props.istioVersion, publicDomain);
        knative = new KnativeInstall(this, cluster, props, domainTemplate, publicDomain != null, istio.getIstiod());
        observability = new Observability(this, cluster, props.metrics, props.logs, props.metricsSettingsIgnored);
        ingressHostname = istio.getIngressHostname();
        if (publicDomain != null) {
            publicDomain.pointAt(ingressHostname);
        }
        CfnOutput.Builder.create(this, "IngressLoadBalancer")
                .description("DNS name of the Istio ingress gateway's load balancer")
                .value(ingressHostname)
                .build();
        CfnOutput.Builder.create(this, "KnativeDomain")
                .description("Knative services answer on " + domainTemplate.getTemplate()
                        .replace("{{.Name}}", "<service>").replace("{{.Namespace}}", "<namespace>")
                        .replace("{{.Domain}}", "<this domain>"))
                .value(props.domain)
                .build();
    }


    /**
     * Refuses a second platform on the cluster: Istio, the Knative Operator and their namespaces are cluster-wide, so
     * a second install would collide at deploy time. Platforms are compared by the cluster object they were given.
     */
    private void checkOnlyPlatformOn(ICluster eks) {
        for (IConstruct c : getNode().getRoot().getNode().findAll()) {
            if (c != this && c instanceof KnativePlatform other && other.getClusterContext() != null
                    && other.getCluster() == eks) {
                Validate.check(false, this, "cluster", PlatformChecks.named(eks),
                        "already runs the platform " + other.getNode().getPath() + "; one cluster takes one "
                                + "KnativePlatform (Istio, the Knative Operator and their namespaces are cluster-wide)",
                        "use that platform, or give this one its own KnativeCluster");
            }
        }
    }

    /** A KnativeCluster: its nodes, Pod Identity agent, kubectl subnets, logs key and Kubernetes version are known. */
    private ClusterContext knativeClusterContext(KnativePlatformProps props) {
        return props.knativeCluster.context(props.removalPolicy, props.logRetention);
    }

    /**
     * Any other cluster: its nodes exist; its Pod Identity agent runs or is installed here; functions that call its
     * API server run outside the VPC; log groups get a key of this platform.
     */
    private ClusterContext clusterContext(KnativePlatformProps props) {
        Addon agent = !props.installPodIdentityAgent ? null : Addon.Builder.create(this, "PodIdentityAgent")
                .cluster(props.cluster)
                .addonName(PlatformChecks.POD_IDENTITY_AGENT)
                .build();
        return new ClusterContext(props.cluster, null, agent, null, props.removalPolicy, props.logRetention, null,
                null, this);
    }

    /** @return the metrics stack, or null when metrics are off */
    public PrometheusStack getMetrics() {
        return observability.getMetrics();
    }

    /** @return the logs add-on, or null when logs are off */
    public CloudWatchLogs getLogs() {
        return observability.getLogs();
    }

    @Override
    boolean allowsZeroInitialScale() {
        return allowsZeroInitialScale;
    }

    @Override
    boolean servesHttps() {
        return publicDomain != null;
    }

    @Override
    void grantImagePull(Construct from, IRepository repository) {
        knative.getServingControllerRole().grantEcrPull(from, repository);
    }

    /** @return the External Secrets Operator, installed on first use */
    @Override
    public ExternalSecrets externalSecrets() {
        if (externalSecrets == null) {
            externalSecrets = new ExternalSecrets(this, "ExternalSecrets", cluster);
        }
        return externalSecrets;
    }

    /** @return the role of Knative Serving's controller; grant it pull on the repositories services use */
    public PodIdentityRole getServingControllerRole() {
        return knative.getServingControllerRole();
    }

    /** @return the domain of Knative routes */
    @Override
    public String getDomain() {
        return domain;
    }

    /** @return how Knative builds service hosts: one label per service under the domain with a hosted zone */
    @Override
    public DomainTemplate getDomainTemplate() {
        return domainTemplate;
    }

    /** @return the certificate and DNS record of the public domain, or null without a hosted zone (plain HTTP) */
    @Override
    public PublicDomain getPublicDomain() {
        return publicDomain;
    }

    /** @return the application namespace */
    @Override
    public String getAppNamespace() {
        return appNamespace;
    }

    /** @return the EKS cluster the platform runs on */
    @Override
    public ICluster getCluster() {
        return cluster.getCluster();
    }

    @Override
    ClusterContext getClusterContext() {
        return cluster;
    }

    /** @return the Istio base chart (CRDs) */
    public HelmChart getIstioBase() {
        return istio.getBase();
    }

    /** @return the istiod chart (Istio's control plane) */
    public HelmChart getIstiod() {
        return istio.getIstiod();
    }

    /**
     * @return the cdk8s chart of the KnativeServing and KnativeEventing resources; changes to its objects reach
     *     {@link #getKnativeResources()}
     */
    public KnativeChart getKnativeChart() {
        return knative.getChart();
    }

    /** @return the Istio ingress gateway chart */
    public HelmChart getIstioGateway() {
        return istio.getGateway();
    }

    /** @return the Knative Operator chart */
    public HelmChart getKnativeOperator() {
        return knative.getOperator();
    }

    /** @return the manifest with the KnativeServing and KnativeEventing resources */
    public KubernetesManifest getKnativeResources() {
        return knative.getResources();
    }

    /**
     * @return what exists once the application namespace exists and is labelled for sidecar injection (its manifest
     *     or label patch); builds in it depend on it
     */
    @Override
    public IDependable getAppNamespaceReady() {
        return knative.getAppNamespaceReady();
    }

    /** @return what exists once Knative Serving's webhook runs (a readiness wait); workloads depend on it */
    @Override
    public IDependable getServingReady() {
        return knative.getServingReady();
    }

    /** @return what exists once Knative Eventing's webhook runs (a readiness wait); event sources depend on it */
    @Override
    public IDependable getEventingReady() {
        return knative.getEventingReady();
    }

    /** @return the DNS name of the ingress load balancer (a deploy-time value) */
    @Override
    public String getIngressHostname() {
        return ingressHostname;
    }

    /**
     * A platform another CDK app installed on a cluster this app imports: workloads and event flows of this app run
     * on it as on a {@link KnativePlatform}, with nothing to install or wait for. Clashes between this app's objects
     * are refused at synth; clashes with the other app's are not seen.
     *
     * <pre>{@code
     * IKnativePlatform platform = KnativePlatform.fromPlatformAttributes(this, "Platform",
     *         KnativePlatformAttributes.builder()
     *                 .cluster(Cluster.fromClusterAttributes(this, "Cluster", clusterAttributes))
     *                 .servingControllerRoleArn("arn:aws:iam::123456789012:role/ServingController")
     *                 .domain("apps.example.org")
     *                 .https(true)
     *                 .build());
     * }</pre>
     *
     * @param scope the construct's parent
     * @param id the construct's id
     * @param attributes the platform's attributes; {@code cluster} and {@code servingControllerRoleArn} are required
     * @return the platform
     */
    public static IKnativePlatform fromPlatformAttributes(Construct scope, String id,
            KnativePlatformAttributes attributes) {
        return new ImportedPlatform(scope, id, attributes);
    }

    /** Builds a {@link KnativePlatform}: {@code KnativePlatform.Builder.create(scope, id).cluster(c)...build()}. */
    public static final class Builder extends KnativePlatformProps.AbstractBuilder<Builder, KnativePlatform> {
        private final Construct scope;
        private final String id;

        private Builder(Construct scope, String id) {
            this.scope = scope;
            this.id = id;
        }

        /**
         * @param scope the construct's parent
         * @param id the construct's id
         * @return a builder of a platform with the given scope and id
         */
        public static Builder create(Construct scope, String id) {
            return new Builder(scope, id);
        }

        @Override
        public KnativePlatform build() {
            return new KnativePlatform(scope, id, new KnativePlatformProps(this));
        }
    }
}
