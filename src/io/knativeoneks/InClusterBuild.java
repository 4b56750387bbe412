package io.knativeoneks;

import io.knativeoneks.k8s.ImageBuild;
import java.util.List;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.plus25.Secret;
import org.cdk8s.plus25.ServiceAccount;
import org.cdk8s.plus25.ServiceAccountProps;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.constructs.Construct;

/**
 * A workload's image built inside the cluster with kaniko ({@link ImageBuild}) and pushed to its
 * {@link ImageRegistry}: the build's service account with an EKS Pod Identity of its own ({@link #getIdentity}, which
 * reads the context and, for ECR, pushes), the manifest with that service account and the Job, which starts as soon
 * as its nodes, namespace, identity and registry exist (in parallel with Istio and Knative), and a wait that fails the
 * deploy with the build's log when the build fails ({@link #getSucceeded}). {@link KnativeWorkload} makes one when its
 * {@link ImageSource} must be built in the cluster, and applies its service after {@link #getSucceeded}.
 *
 * <p>Its construct id is {@code Default}, which CDK leaves out of logical IDs: what it owns keeps the logical IDs it
 * had as children of the workload, and the Job's tag ({@code inputsKey}) is still derived from the workload's path,
 * so upgrading neither replaces a resource nor rebuilds an image.
 */
public final class InClusterBuild extends Construct {
    /** The construct id under the workload, which logical IDs leave out. */
    static final String ID = "Default";

    private final PodIdentityRole identity;
    private final ImageBuild imageBuild;
    private final KubernetesManifest manifest;
    private final ReadinessWait succeeded;
    private final IRepository repository;
    private final String pullSecret;

    /**
     * Builds {@code binding}'s context for {@code workload}, running as {@code serviceAccount}; errors name the
     * workload.
     */
    InClusterBuild(Construct scope, WorkloadContext workload, String serviceAccount, ImageSource.Binding binding) {
        super(scope, ID);
        PlatformBase platform = workload.platform();
        String namespace = workload.namespace();
        platform.registry().claimServiceAccount(workload.owner(), "buildServiceAccount", namespace, serviceAccount);
        this.identity = new PodIdentityRole(this, "BuildBot", platform.getCluster(), namespace, serviceAccount);
        if (binding.contextArchive() != null) {
            LocalSource.grantRead(binding.contextArchive(), identity);
        }
        ImageRegistry.Target target = binding.registry().bind(this, workload, identity);
        this.repository = target.ecrRepository();
        this.pullSecret = target.pullSecret();

        Chart chart = new Chart(new App(), workload.name() + "-build");
        ServiceAccountProps.Builder account = ServiceAccountProps.builder()
                .metadata(ApiObjectMetadata.builder().name(serviceAccount).namespace(namespace).build());
        if (pullSecret != null) {
            account.secrets(List.of(Secret.fromSecretName(chart, "RegistrySecret", pullSecret)));
        }
        new ServiceAccount(chart, "BuildBot", account.build());
        this.imageBuild = new ImageBuild(chart, "Build", workload.name(), namespace, serviceAccount,
                binding.context(), target.repository(), target.credentials(), scope.getNode().getPath());
        this.manifest = workload.apply(this, "Build", chart, false);
        manifest.getNode().addDependency(platform.getAppNamespaceReady(), identity);
        platform.getClusterContext().afterPodIdentityAgent(manifest);
        target.prerequisites().forEach(p -> manifest.getNode().addDependency(p));

        this.succeeded = new ReadinessWait(this, "BuildSucceeded", platform, ReadinessWait.Kind.JOB, namespace,
                imageBuild.getJobName());
        succeeded.getNode().addDependency(manifest);
    }

    /** @return the build's IAM role through its service account's EKS Pod Identity */
    public PodIdentityRole getIdentity() {
        return identity;
    }

    /** @return the cdk8s build: its Job, the Job's name and the image it pushes */
    public ImageBuild getImageBuild() {
        return imageBuild;
    }

    /** @return the manifest with the build's service account and Job */
    public KubernetesManifest getManifest() {
        return manifest;
    }

    /** @return the wait for the Job's success, which what runs the image must come after */
    public ReadinessWait getSucceeded() {
        return succeeded;
    }

    /** @return the image the build pushes: its repository and a tag derived from the build's inputs */
    public String getImage() {
        return imageBuild.getImage();
    }

    /** @return the ECR repository pushed to, or null for another registry */
    public IRepository getRepository() {
        return repository;
    }

    /** @return the Secret that pulls the image, or null (ECR needs none) */
    String getPullSecret() {
        return pullSecret;
    }
}
