package io.knativeoneks;

import io.knativeoneks.k8s.DomainTemplate;
import io.knativeoneks.k8s.KnativeChart;
import io.knativeoneks.k8s.KnativeEventing;
import io.knativeoneks.k8s.KnativeMonitors;
import io.knativeoneks.k8s.KnativeServing;
import io.knativeoneks.k8s.KnativeServingProps;
import io.knativeoneks.internal.Validate;
import io.knativeoneks.common.Versions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cdk8s.App;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.eks.CfnAddon;
import software.amazon.awscdk.services.eks.CfnCluster;
import software.amazon.awscdk.services.eks_v2.Addon;
import software.amazon.awscdk.services.eks_v2.HelmChart;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.eks_v2.KubernetesObjectValue;
import software.amazon.awscdk.services.eks_v2.KubernetesPatch;
import software.amazon.awscdk.services.eks_v2.PatchType;
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
    public static final String ISTIO_REPOSITORY = Versions.ISTIO_REPOSITORY;
    /** The namespace of Istio and its ingress gateway. */
    public static final String ISTIO_NAMESPACE = "istio-system";
    /** The gateway's release and Service name, which Knative's net-istio selects. */
    public static final String GATEWAY_NAME = "istio-ingressgateway";
    /** The Knative Operator's chart repository. */
    public static final String OPERATOR_REPOSITORY = Versions.KNATIVE_OPERATOR_REPOSITORY;
    /** The Knative Operator chart version. */
    public static final String OPERATOR_CHART_VERSION = Versions.KNATIVE_OPERATOR;

    private static final int OPERATOR_MIN_KNATIVE_MINOR = Versions.KNATIVE_OPERATOR_MIN_KNATIVE_MINOR;
    private static final int OPERATOR_MAX_KNATIVE_MINOR = Versions.KNATIVE_OPERATOR_MAX_KNATIVE_MINOR;
    /** The Istio line of {@link Versions#ISTIO}: any patch release of it. */
    private static final String ISTIO_LINE = Versions.ISTIO.substring(0, Versions.ISTIO.lastIndexOf('.'));
    private static final Pattern ISTIO_RELEASE = Pattern.compile(Pattern.quote(ISTIO_LINE) + "\\.(\\d+)");
    private static final int ISTIO_MAX_KUBERNETES_MINOR = Versions.ISTIO_MAX_KUBERNETES_MINOR;
    /** The EKS add-on of the Pod Identity agent. */
    private static final String POD_IDENTITY_AGENT = "eks-pod-identity-agent";
    /** EKS's built-in service controller makes the gateway's load balancer a Network Load Balancer. */
    private static final Map<String, String> GATEWAY_LOAD_BALANCER =
            Map.of("service.beta.kubernetes.io/aws-load-balancer-type", "nlb");
    /** Where the gateway's Service holds its load balancer's DNS name. */
    static final String INGRESS_HOSTNAME_PATH = ".status.loadBalancer.ingress[0].hostname";
    /** Istio's status port, which the load balancer's health checks call. */
    private static final int GATEWAY_STATUS_PORT = 15021;

    private final PodIdentityRole servingControllerRole;
    private final HelmChart istioGateway;
    private final HelmChart knativeOperator;
    private final KubernetesManifest knativeResources;
    private final IDependable appNamespaceReady;
    private final ReadinessWait servingReady;
    private final ReadinessWait eventingReady;
    private final String ingressHostname;
    private final ClusterContext cluster;
    private final HelmChart istioBase;
    private final HelmChart istiod;
    private final KnativeChart knativeChart;
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
        checkCluster(eks);
        checkNoSecondPodIdentityAgent(props);
        this.cluster = props.knativeCluster != null ? knativeClusterContext(props) : clusterContext(props);
        checkVersions(props);
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
            registry().addReference(this, "hostedZone", props.hostedZone.getNode().getPath(), props.hostedZone, "its hostedZone");
        }
        if (publicDomain == null) {
            Annotations.of(this).addWarningV2("knative-on-eks:plainHttp", "Services answer plain HTTP on "
                    + "<service>.<namespace>." + props.domain + " through the load balancer, with a Host header. "
                    + "For HTTPS URLs on your own domain, pass hostedZone(...) (a Route 53 zone of the domain) and a "
                    + "domain in it: a certificate, TLS at the load balancer and DNS records follow.");
        }

        istioBase = cluster.addHelmChart(this, "IstioBase", ISTIO_REPOSITORY, "base",
                props.istioVersion, ISTIO_NAMESPACE, "istio-base", Map.of());
        istiod = cluster.addHelmChart(this, "Istiod", ISTIO_REPOSITORY, "istiod",
                props.istioVersion, ISTIO_NAMESPACE, "istiod", Map.of());
        istiod.getNode().addDependency(istioBase);
        // The EKS cloud controller creates an internet-facing NLB and deletes it (behind a Service finalizer, which
        // helm uninstall --wait waits for) when the Service goes: no extra controller, IAM policy or webhook needed.
        // With a public domain the chart references the certificate, so it is installed once the certificate is issued.
        istioGateway = cluster.addHelmChart(this, "IstioGateway", ISTIO_REPOSITORY, "gateway",
                props.istioVersion, ISTIO_NAMESPACE, GATEWAY_NAME, Map.of("service", gatewayService()));
        istioGateway.getNode().addDependency(istiod);
        // aws-cdk-lib's Helm handler only logs a failed uninstall: this fails the destroy, with the reason, while the
        // gateway's Service (and so its load balancer) is still there, before the nodes and the cluster go (and the
        // VPC could not).
        ReadinessWait gatewayDeleted = new ReadinessWait(this, "GatewayDeleted", this,
                ReadinessWait.Kind.LOAD_BALANCER_SERVICE, ISTIO_NAMESPACE, GATEWAY_NAME);
        cluster.afterNodes(gatewayDeleted);
        istioGateway.getNode().addDependency(gatewayDeleted);

        knativeOperator = cluster.addHelmChart(this, "KnativeOperator", OPERATOR_REPOSITORY,
                "knative-operator", OPERATOR_CHART_VERSION, "knative-operator", "knative-operator", Map.of());

        boolean builtInNamespace = KnativeChart.BUILT_IN_NAMESPACES.contains(props.appNamespace);
        KnativeServingProps.Builder serving = KnativeServingProps.builder()
                .version(props.knativeVersion)
                .domain(props.domain)
                .domainTemplate(domainTemplate)
                .externalHttps(publicDomain != null);
        if (props.autoscaler != null) {
            serving.autoscaler(props.autoscaler.toConfig(this));
        }
        if (props.metrics != null) {
            serving.observability(KnativeMonitors.OBSERVABILITY);
        }
        knativeChart = new KnativeChart(new App(), "knative", serving.build(), null);
        // The application namespace exists, labelled for injection, as soon as the API server answers: builds
        // in it need neither Istio nor Knative.
        appNamespaceReady = builtInNamespace ? labelForInjection(eks, props.appNamespace)
                : newNamespace("AppNamespace", props.appNamespace);
        // Knative Serving's controller resolves image tags to digests itself, so it needs registry credentials (the
        // 2019 ECR 401): an EKS Pod Identity that exists before the controller's pods start. Workloads grant it pull
        // on their repositories.
        servingControllerRole = new PodIdentityRole(this, "ServingController", eks, KnativeServing.NAMESPACE,
                "controller");
        knativeResources = cluster.applyChart(this, "KnativeResources", knativeChart);
        // net-istio's Gateway objects need Istio's CRDs and webhook (istiod), not the load balancer, which comes up
        // in parallel.
        knativeResources.getNode().addDependency(knativeOperator, istiod, servingControllerRole);
        cluster.afterPodIdentityAgent(knativeResources);
        servingReady = deploymentReady("ServingReady", KnativeServing.NAMESPACE, "webhook");
        servingReady.getNode().addDependency(appNamespaceReady);
        eventingReady = deploymentReady("EventingReady", KnativeEventing.NAMESPACE, "eventing-webhook");

        observability = new Observability(this, cluster, props.metrics, props.logs, props.metricsSettingsIgnored);

        KubernetesObjectValue hostname = cluster.waitForValue(this, "IngressHostname", "service", GATEWAY_NAME,
                ISTIO_NAMESPACE, INGRESS_HOSTNAME_PATH);
        hostname.getNode().addDependency(istioGateway);
        ingressHostname = hostname.getValue();
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
     * The gateway chart's {@code service} values: a Network Load Balancer with Istio's status port and the one port
     * requests come in on, plain HTTP on 80, or with a public domain 443, where the load balancer ends TLS and
     * forwards plain HTTP to the gateway's port 80 (the chart's default 443 to the gateway's 443 is not exposed). No
     * port changes its protocol between the modes: EKS's service controller matches listeners by port and protocol,
     * so a port whose protocol changed would become a second listener on that port, which AWS refuses; switching
     * modes removes one listener and adds the other.
     */
    private Map<String, Object> gatewayService() {
        Map<String, String> annotations = new TreeMap<>(GATEWAY_LOAD_BALANCER);
        int http = PublicDomain.GATEWAY_HTTP_PORT;
        Map<String, Object> requests = gatewayPort("http2", http, http);
        if (publicDomain != null) {
            annotations.putAll(publicDomain.tlsAnnotations());
            requests = gatewayPort("http-tls-terminated", PublicDomain.HTTPS_PORT, http);
        }
        return Map.of("annotations", annotations, "ports", List.of(
                gatewayPort("status-port", GATEWAY_STATUS_PORT, GATEWAY_STATUS_PORT), requests));
    }

    private static Map<String, Object> gatewayPort(String name, int port, int targetPort) {
        return Map.of("name", name, "port", port, "protocol", "TCP", "targetPort", targetPort);
    }

    /**
     * Checks that the platform can install on {@code eks}: a kubectl provider, access entries (the readiness waits
     * have one), the same app, account and region, and no other platform on it.
     */
    private void checkCluster(ICluster eks) {
        checkSameAppAndEnvironment(this, "cluster", eks, "create the platform in the cluster's app, account and "
                + "region, or import the cluster there");
        checkKubectlProvider(this, eks);
        checkAccessEntries(eks);
        checkOnlyPlatformOn(eks);
    }

    /** Refuses a cluster without a kubectl provider: no chart or manifest could be applied to it. */
    static void checkKubectlProvider(Construct self, ICluster eks) {
        Validate.check(eks.getKubectlProvider() != null, self, "cluster", eks.getNode().getPath(),
                "has no kubectl provider, so no chart or manifest can be applied to it", "import it with "
                        + "Cluster.fromClusterAttributes(..., ClusterAttributes.builder().clusterName(...)"
                        + ".kubectlProvider(KubectlProvider.fromKubectlProviderAttributes(...)).build())");
    }

    /**
     * Refuses a cluster made in this app whose authentication mode is {@code CONFIG_MAP}: the readiness waits'
     * access entry cannot exist there. eks_v2 makes clusters with {@code API}; only an escape hatch changes it.
     */
    private void checkAccessEntries(ICluster eks) {
        if (eks.getNode().getDefaultChild() instanceof CfnCluster cfn
                && Stack.of(cfn).resolve(cfn.getAccessConfig()) instanceof Map<?, ?> access) {
            Validate.check(!"CONFIG_MAP".equals(access.get("authenticationMode")), this, "cluster", named(eks),
                    "has authentication mode CONFIG_MAP, where the readiness waits' access entry cannot exist",
                    "keep eks_v2's authentication mode API, or use API_AND_CONFIG_MAP");
        }
    }

    /**
     * Refuses a second platform on the cluster: Istio, the Knative Operator and their namespaces are cluster-wide, so
     * a second install would collide at deploy time. Platforms are compared by the cluster object they were given.
     */
    private void checkOnlyPlatformOn(ICluster eks) {
        for (IConstruct c : getNode().getRoot().getNode().findAll()) {
            if (c != this && c instanceof KnativePlatform other && other.cluster != null
                    && other.cluster.getCluster() == eks) {
                Validate.check(false, this, "cluster", named(eks),
                        "already runs the platform " + other.getNode().getPath() + "; one cluster takes one "
                                + "KnativePlatform (Istio, the Knative Operator and their namespaces are cluster-wide)",
                        "use that platform, or give this one its own KnativeCluster");
            }
        }
    }

    /** @return the path of the cluster as the user made it: the KnativeCluster around it, or the cluster itself */
    private static String named(ICluster eks) {
        return (eks.getNode().getScope() instanceof KnativeCluster owner ? owner : eks).getNode().getPath();
    }

    /**
     * Checks that {@code self} may reference {@code other}: CloudFormation references reach only stacks of one app
     * in one account and region.
     */
    static void checkSameAppAndEnvironment(Construct self, String property, IConstruct other, String fix) {
        Validate.check(self.getNode().getRoot().equals(other.getNode().getRoot()), self, property,
                other.getNode().getPath(), "is in another CDK app", fix);
        Stack mine = Stack.of(self);
        Stack theirs = Stack.of(other);
        Validate.check(mine.getAccount().equals(theirs.getAccount()) && mine.getRegion().equals(theirs.getRegion()),
                self, property, other.getNode().getPath(), "is in account " + theirs.getAccount() + ", region "
                        + theirs.getRegion() + ", but this construct's stack is in account " + mine.getAccount()
                        + ", region " + mine.getRegion(), fix);
    }

    /** A KnativeCluster: its nodes, Pod Identity agent, kubectl subnets, logs key and Kubernetes version are known. */
    private ClusterContext knativeClusterContext(KnativePlatformProps props) {
        return props.knativeCluster.context(props.removalPolicy, props.logRetention);
    }

    /**
     * Refuses {@code installPodIdentityAgent(true)} on a cluster that has the agent add-on in this app already (a
     * KnativeCluster's own, or one the user added): EKS takes one add-on of a name per cluster, so the second would
     * fail the deploy.
     */
    private void checkNoSecondPodIdentityAgent(KnativePlatformProps props) {
        if (!props.installPodIdentityAgent) {
            return;
        }
        String clusterName = props.cluster.getClusterName();
        for (IConstruct c : getNode().getRoot().getNode().findAll()) {
            if (c instanceof CfnAddon addon && POD_IDENTITY_AGENT.equals(addon.getAddonName())
                    && clusterName.equals(addon.getClusterName())) {
                Validate.check(false, this, "installPodIdentityAgent", true, "would add a second " + POD_IDENTITY_AGENT
                        + " add-on to the cluster " + props.cluster.getNode().getPath() + ", which has one already ("
                        + addon.getNode().getScope().getNode().getPath() + "; EKS takes one add-on of a name per "
                        + "cluster)", "remove installPodIdentityAgent(true)");
            }
        }
    }

    /**
     * Any other cluster: its nodes exist; its Pod Identity agent runs or is installed here; functions that call its
     * API server run outside the VPC; log groups get a key of this platform.
     */
    private ClusterContext clusterContext(KnativePlatformProps props) {
        Addon agent = !props.installPodIdentityAgent ? null : Addon.Builder.create(this, "PodIdentityAgent")
                .cluster(props.cluster)
                .addonName(POD_IDENTITY_AGENT)
                .build();
        return new ClusterContext(props.cluster, null, agent, null, props.removalPolicy, props.logRetention, null,
                null, this);
    }

    private void checkVersions(KnativePlatformProps props) {
        int knativeMinor = props.knativeVersion.getMinor();
        Validate.check(knativeMinor >= OPERATOR_MIN_KNATIVE_MINOR && knativeMinor <= OPERATOR_MAX_KNATIVE_MINOR,
                this, "knativeVersion", props.knativeVersion, "must be 1." + OPERATOR_MIN_KNATIVE_MINOR + " to 1."
                        + OPERATOR_MAX_KNATIVE_MINOR + ", the releases Knative Operator " + OPERATOR_CHART_VERSION
                        + " installs",
                "use KnativeVersion.V" + Versions.KNATIVE.replace('.', '_'));
        Integer kubernetesMinor = cluster.getKubernetesMinor();
        if (kubernetesMinor != null) {
            Validate.check(kubernetesMinor >= props.knativeVersion.getMinKubernetesMinor(), this, "knativeVersion",
                    props.knativeVersion, "needs Kubernetes 1." + props.knativeVersion.getMinKubernetesMinor()
                            + " or newer, but the cluster runs 1." + kubernetesMinor,
                    "raise the cluster's kubernetesVersion");
        }
        Matcher istio = ISTIO_RELEASE.matcher(props.istioVersion);
        Validate.check(istio.matches(), this, "istioVersion", "\"" + props.istioVersion + "\"",
                "must be an Istio " + ISTIO_LINE + ".x release (the line Knative " + Versions.KNATIVE
                        + " runs with that supports Kubernetes up to 1." + ISTIO_MAX_KUBERNETES_MINOR + ")",
                "use \"" + KnativePlatformProps.DEFAULT_ISTIO_VERSION + "\"");
        if (kubernetesMinor == null) {
            return;
        }
        Validate.check(kubernetesMinor <= ISTIO_MAX_KUBERNETES_MINOR, this, "istioVersion", props.istioVersion,
                "supports Kubernetes up to 1." + ISTIO_MAX_KUBERNETES_MINOR + ", but the cluster runs 1."
                        + kubernetesMinor,
                "lower the cluster's kubernetesVersion");
    }

    /** @return the metrics stack, or null when metrics are off */
    public PrometheusStack getMetrics() {
        return observability.getMetrics();
    }

    /** @return the logs add-on, or null when logs are off */
    public CloudWatchLogs getLogs() {
        return observability.getLogs();
    }

    /** Labels an existing namespace for sidecar injection, and removes only that label on delete. */
    private KubernetesPatch labelForInjection(ICluster eks, String namespace) {
        KubernetesPatch patch = KubernetesPatch.Builder.create(this, "AppNamespaceInjection")
                .cluster(eks)
                .resourceName("namespace/" + namespace)
                .patchType(PatchType.MERGE)
                .applyPatch(Map.of("metadata", Map.of("labels", Map.of(KnativeChart.ISTIO_INJECTION_LABEL,
                        "enabled"))))
                .restorePatch(Map.of())
                .build();
        // A merge patch deletes a key set to null; jsii drops nulls from Java maps, so the restore patch is
        // written as JSON text.
        CfnResource resource = (CfnResource) patch.getNode().findChild("Resource").getNode().getDefaultChild();
        resource.addPropertyOverride("RestorePatchJson",
                "{\"metadata\":{\"labels\":{\"" + KnativeChart.ISTIO_INJECTION_LABEL + "\":null}}}");
        return patch;
    }

    /**
     * Waits until a Deployment has a ready replica; fails the deploy at once when its pods cannot pull their image
     * or crash repeatedly, and after the Helm timeout otherwise.
     */
    private ReadinessWait deploymentReady(String id, String namespace, String name) {
        ReadinessWait ready = new ReadinessWait(this, id, this, ReadinessWait.Kind.DEPLOYMENT, namespace, name);
        ready.getNode().addDependency(knativeResources);
        return ready;
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
        servingControllerRole.grantEcrPull(from, repository);
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
        return servingControllerRole;
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
        return istioBase;
    }

    /** @return the istiod chart (Istio's control plane) */
    public HelmChart getIstiod() {
        return istiod;
    }

    /**
     * @return the cdk8s chart of the KnativeServing and KnativeEventing resources; changes to its objects reach
     *     {@link #getKnativeResources()}
     */
    public KnativeChart getKnativeChart() {
        return knativeChart;
    }

    /** @return the Istio ingress gateway chart */
    public HelmChart getIstioGateway() {
        return istioGateway;
    }

    /** @return the Knative Operator chart */
    public HelmChart getKnativeOperator() {
        return knativeOperator;
    }

    /** @return the manifest with the KnativeServing and KnativeEventing resources */
    public KubernetesManifest getKnativeResources() {
        return knativeResources;
    }

    /**
     * @return what exists once the application namespace exists and is labelled for sidecar injection (its manifest
     *     or label patch); builds in it depend on it
     */
    @Override
    public IDependable getAppNamespaceReady() {
        return appNamespaceReady;
    }

    /** @return what exists once Knative Serving's webhook runs (a readiness wait); workloads depend on it */
    @Override
    public IDependable getServingReady() {
        return servingReady;
    }

    /** @return what exists once Knative Eventing's webhook runs (a readiness wait); event sources depend on it */
    @Override
    public IDependable getEventingReady() {
        return eventingReady;
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
