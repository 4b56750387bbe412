package io.knativeoneks;

import io.knativeoneks.k8s.ImageBuild;
import io.knativeoneks.k8s.KnativeChart;
import io.knativeoneks.k8s.KnativeDomainMapping;
import io.knativeoneks.k8s.KnativeService;
import io.knativeoneks.k8s.KnativeServiceProps;
import io.knativeoneks.internal.Validate;
import java.util.List;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.plus25.k8s.KubeServiceAccount;
import org.cdk8s.plus25.k8s.KubeServiceAccountProps;
import org.cdk8s.plus25.k8s.ObjectMeta;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.IRole;
import software.constructs.Construct;

/**
 * A Knative Service on a {@link KnativePlatform} (or one imported as an {@link IKnativePlatform}), with its image from
 * an {@link ImageSource}: by default built in the cluster from this checkout or git and pushed to ECR without static
 * credentials, as the 2019 walkthrough did with Knative Build.
 * The service is applied after the image exists and after Knative Serving's webhook runs; its URL and the exact curl
 * command are stack outputs.
 *
 * <p>A workload is a principal: its pods run as a service account of their own, bound by EKS Pod Identity to an IAM
 * role that starts with no permissions, so {@code bucket.grantRead(workload)} gives the service exactly that.
 *
 * <pre>{@code
 * KnativeWorkload hello = KnativeWorkload.Builder.create(this, "Hello")
 *         .platform(platform)
 *         .name("hello")
 *         .image(ImageSource.fromLocalDirectory("app"))   // built in the cluster, pushed to a new ECR repository
 *         .env(Map.of("TARGET", "World"))
 *         .build();
 * bucket.grantRead(hello);
 * }</pre>
 */
public final class KnativeWorkload extends Construct implements IGrantable {
    private final PlatformBase platform;
    private final String name;
    private final String namespace;
    private final String buildServiceAccount;
    private final String serviceAccount;
    private final String host;
    private final PodIdentityRole identity;
    private final WorkloadContext context;
    private final InClusterBuild build;
    private final IRepository repository;
    private final Chart chart;
    private final KnativeService knativeService;
    private final KubernetesManifest service;
    private final List<KnativeDomainMapping> domainMappings;

    /**
     * A workload; {@link Builder} is the shorter way to write it.
     *
     * @param scope the construct's parent
     * @param id the construct's id
     * @param props the properties; {@code platform}, {@code name} and {@code image} are required
     */
    public KnativeWorkload(Construct scope, String id, KnativeWorkloadProps props) {
        super(scope, id);
        Validate.required(this, "props", props, "pass KnativeWorkloadProps.builder()...build()");
        Validate.check(props.platform != null, this, "platform", null, "is required",
                "pass the KnativePlatform to run on");
        Validate.check(props.name != null, this, "name", null, "is required", "name the service, e.g. \"hello\"");
        Validate.check(props.image != null, this, "image", null, "is required",
                "use ImageSource.fromLocalDirectory(...), fromGit(...), fromImage(...), fromEcrRepository(...) or "
                        + "fromDockerBuild(...)");
        props.nulls.check(this, "");
        this.platform = PlatformBase.of(this, props.platform);
        SameApp.check(this, "platform", platform, "create the workload in a stack of "
                + "the platform's app, account and region (stacks reference each other only there)");
        platform.registry().addDependent(this);
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
        checkOwnServiceAccount("buildServiceAccount", buildServiceAccount, "the build's push access", "build-bot");
        // The service's name is claimed before its hosts (the same name makes the same host) and its service
        // account, which is named after it by default.
        platform.registry().claimObject(this, "name", name, "Service", namespace, name);
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
        platform.workloadNamespace(namespace); // created here, first, as in earlier versions
        this.context = new WorkloadContext(platform, this, name, namespace);

        this.serviceAccount = props.serviceAccount;
        checkOwnServiceAccount("serviceAccount", serviceAccount, "this workload's IAM role", name);
        platform.registry().claimServiceAccount(this, "serviceAccount", namespace, serviceAccount);
        this.identity = new PodIdentityRole(this, "Identity", platform.getCluster(), namespace, serviceAccount);

        ImageSource.Binding image = props.image.bind(this);
        this.build = image.buildsInCluster() ? new InClusterBuild(this, context, buildServiceAccount, image) : null;
        this.repository = build != null ? build.getRepository() : image.repository();
        if (repository != null) { // a policy of this stack, so the platform may live in another (PodIdentityRole#grantee)
            platform.grantImagePull(this, repository);
        }
        KnativeServiceProps.Builder serviceProps = KnativeServiceProps.builder()
                .name(name)
                .namespace(namespace)
                .image(build != null ? build.getImage() : image.image())
                .env(props.env)
                .containerPort(props.containerPort != null ? props.containerPort : 8080)
                .serviceAccountName(serviceAccount);
        if (props.scale != null) {
            serviceProps.revisionAnnotations(props.scale.toAnnotations(this));
        }
        if (build != null && build.getPullSecret() != null) {
            serviceProps.imagePullSecret(build.getPullSecret());
        }
        if (props.traffic != null) {
            serviceProps.traffic(props.traffic);
        }
        KnativeServiceProps serviceSpec = serviceProps.clusterLocal(props.clusterLocal).build();
        KnativeService.check(this, serviceSpec);
        this.chart = new Chart(new App(), name);
        new KubeServiceAccount(chart, "ServiceAccount", KubeServiceAccountProps.builder()
                .metadata(ObjectMeta.builder().name(serviceAccount).namespace(namespace).build())
                .build());
        this.knativeService = new KnativeService(chart, "Service", serviceSpec);
        this.service = context.apply(this, "Service", chart, false);
        // Pods get the role's credentials only if they start after its association and the agent.
        service.getNode().addDependency(platform.getServingReady(), identity);
        platform.getClusterContext().afterPodIdentityAgent(service);
        if (build != null) {
            service.getNode().addDependency(build.getSucceeded());
        }
        this.domainMappings = urls.getCustomHosts().stream().map(this::applyDomainMapping).toList();

        urls.addOutputs(this);
    }

    /**
     * Checks a service account this workload binds an IAM role to with EKS Pod Identity: a literal DNS label, and not
     * the namespace's {@code default}, which every pod without a service account of its own runs as.
     *
     * @param grant what the pods of the namespace would get, e.g. "the build's push access"
     */
    private void checkOwnServiceAccount(String property, String value, String grant, String example) {
        Validate.literal(this, property, value);
        Validate.dnsLabel(this, property, value);
        Validate.check(!value.equals("default"), this, property, "\"default\"",
                "must not be the namespace's default service account (every pod without its own would get " + grant
                        + ")", "use a service account of its own, e.g. \"" + example + "\"");
    }

    /**
     * Maps {@code customHost} to the service in a manifest of its own, after the service: CloudFormation deletes the
     * DomainMapping and its claim when the custom domain is removed (the kubectl handler's prune covers no Knative
     * kind, so they would stay behind in the service's manifest). The manifest adopts the two objects when they
     * exist: earlier versions applied them in the service's manifest, whose update leaves them in place.
     */
    private KnativeDomainMapping applyDomainMapping(String customHost) {
        Chart domainChart = new Chart(new App(), name + "-" + customHost);
        KnativeDomainMapping mapping = new KnativeDomainMapping(domainChart, "DomainMapping", customHost, namespace,
                name);
        context.apply(this, "DomainMapping-" + customHost, domainChart, true).getNode().addDependency(service);
        return mapping;
    }

    /** @return the workload's IAM role (through its service account's EKS Pod Identity), to grant to */
    @Override
    public IPrincipal getGrantPrincipal() {
        return identity.getRole();
    }

    /** @return the workload's IAM role, which starts with no permissions */
    public IRole getRole() {
        return identity.getRole();
    }

    /** @return the Kubernetes service account the service's pods run as */
    public String getServiceAccount() {
        return serviceAccount;
    }

    /**
     * @return the cdk8s chart with the service account and the Knative Service; changes to its objects (a probe,
     *     resources) reach {@link #getService()}
     */
    public Chart getChart() {
        return chart;
    }

    /** @return the Knative Service object in {@link #getChart()}; patch it with {@code getResource().addJsonPatch} */
    public KnativeService getKnativeService() {
        return knativeService;
    }

    /** @return the ECR repository the image comes from or is pushed to, or null for another registry */
    public IRepository getRepository() {
        return repository;
    }

    /**
     * @return the cdk8s side of the in-cluster build (its Job, image and tag), or null when the image is not built in
     *     the cluster; {@link #getInClusterBuild()} has the rest
     */
    public ImageBuild getBuild() {
        return build != null ? build.getImageBuild() : null;
    }

    /**
     * @return the in-cluster build (its identity, manifest, Job and wait), or null when the image is not built in the
     *     cluster
     */
    public InClusterBuild getInClusterBuild() {
        return build;
    }

    /** @return the platform */
    public IKnativePlatform getPlatform() {
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

    /**
     * @return the DomainMapping of each custom domain, in the order given, each in a chart applied as a manifest of
     *     its own (after {@link #getService()})
     */
    public List<KnativeDomainMapping> getDomainMappings() {
        return domainMappings;
    }

    /** Builds a {@link KnativeWorkload}: {@code KnativeWorkload.Builder.create(scope, id).platform(p)...build()}. */
    public static final class Builder extends KnativeWorkloadProps.AbstractBuilder<Builder, KnativeWorkload> {
        private final Construct scope;
        private final String id;

        private Builder(Construct scope, String id) {
            this.scope = scope;
            this.id = id;
        }

        /**
         * @param scope the construct's parent
         * @param id the construct's id
         * @return a builder of a workload with the given scope and id
         */
        public static Builder create(Construct scope, String id) {
            return new Builder(scope, id);
        }

        @Override
        public KnativeWorkload build() {
            return new KnativeWorkload(scope, id, new KnativeWorkloadProps(this));
        }
    }
}
