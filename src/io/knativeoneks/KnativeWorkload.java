package io.knativeoneks;

import io.knativeoneks.k8s.ImageBuild;
import io.knativeoneks.k8s.KnativeService;
import io.knativeoneks.k8s.KnativeServiceProps;
import io.knativeoneks.k8s.Validate;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.plus25.k8s.KubeServiceAccount;
import org.cdk8s.plus25.k8s.KubeServiceAccountProps;
import org.cdk8s.plus25.k8s.ObjectMeta;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.IRole;
import software.constructs.Construct;

/**
 * A Knative Service on a {@link KnativePlatform}, with its image from an {@link ImageSource}: by default built in the
 * cluster from git and pushed to ECR without static credentials, as the 2019 walkthrough did with Knative Build.
 * The service is applied after the image exists and after Knative Serving's webhook runs; its URL and the exact curl
 * command are stack outputs.
 *
 * <p>A workload is a principal: its pods run as a service account of their own, bound by EKS Pod Identity to an IAM
 * role that starts with no permissions, so {@code bucket.grantRead(workload)} gives the service exactly that.
 */
public final class KnativeWorkload extends Construct implements IGrantable {
    private final KnativePlatform platform;
    private final String name;
    private final String namespace;
    private final String buildServiceAccount;
    private final String serviceAccount;
    private final String host;
    private final PodIdentityRole identity;
    private final ImageSource.Image image;
    private final Chart chart;
    private final KnativeService knativeService;
    private final KubernetesManifest service;

    public KnativeWorkload(Construct scope, String id, KnativeWorkloadProps props) {
        super(scope, id);
        Validate.check(props.platform != null, this, "platform", null, "is required",
                "pass the KnativePlatform to run on");
        Validate.check(props.name != null, this, "name", null, "is required", "name the service, e.g. \"hello\"");
        Validate.check(props.image != null, this, "image", null, "is required",
                "use ImageSource.fromLocalDirectory(...) or ImageSource.fromGit(...) to build in the cluster, or "
                        + "fromImage(...), fromEcrRepository(...) or fromDirectory(...)");
        this.platform = props.platform;
        KnativePlatform.checkSameAppAndEnvironment(this, "platform", platform, "create the workload in a stack of "
                + "the platform's app, account and region (stacks reference each other only there)");
        this.name = props.name;
        this.namespace = props.namespace != null ? props.namespace : platform.getAppNamespace();
        this.buildServiceAccount = props.buildServiceAccount;
        Validate.dnsLabel(this, "buildServiceAccount", buildServiceAccount);
        this.host = name + "." + namespace + "." + platform.getDomain();

        Validate.matches(this, "name", name, Validate.DNS_1035_LABEL,
                "a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, at most 63 characters)",
                "helloworld-python");

        this.serviceAccount = props.serviceAccount;
        Validate.dnsLabel(this, "serviceAccount", serviceAccount);
        platform.claimServiceAccount(this, "serviceAccount", namespace, serviceAccount);
        this.identity = new PodIdentityRole(this, "Identity", platform.getCluster(), namespace, serviceAccount);

        this.image = props.image.bind(this);
        this.chart = new Chart(new App(), name);
        new KubeServiceAccount(chart, "ServiceAccount", KubeServiceAccountProps.builder()
                .metadata(ObjectMeta.builder().name(serviceAccount).namespace(namespace).build())
                .build());
        this.knativeService = new KnativeService(chart, "Service", KnativeServiceProps.builder()
                .name(name)
                .namespace(namespace)
                .image(image.reference())
                .env(props.env)
                .containerPort(props.containerPort != null ? props.containerPort : 8080)
                .scale(props.scale)
                .imagePullSecret(image.pullSecret())
                .serviceAccountName(serviceAccount)
                .build());
        service = apply("Service", chart);
        // Pods get the role's credentials only if they start after its association and the agent.
        service.getNode().addDependency(platform.getServingReady(), identity);
        platform.getClusterContext().afterPodIdentityAgent(service);
        image.prerequisites().forEach(p -> service.getNode().addDependency(p));

        CfnOutput.Builder.create(this, "ServiceHost")
                .description("Host name of " + name + " (send it as the Host header)")
                .value(host)
                .build();
        CfnOutput.Builder.create(this, "CurlCommand")
                .description("Call " + name + " through the ingress load balancer")
                .value("curl -H \"Host: " + host + "\" http://" + platform.getIngressHostname())
                .build();
    }

    /** Applies a cdk8s chart to the platform's cluster as a manifest owned by this workload. */
    KubernetesManifest apply(String id, Chart chart) {
        return platform.getClusterContext().applyChart(this, id, chart);
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
        return image.repository();
    }

    /** @return the in-cluster build (its Job, image and tag), or null when the image is not built in the cluster */
    public ImageBuild getBuild() {
        return image.build();
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

    /** @return the host name the service answers on, e.g. helloworld-python.default.example.com */
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
