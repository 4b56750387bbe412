package io.knativeoneks;

import io.knativeoneks.k8s.ImageBuild;
import io.knativeoneks.k8s.RegistryCredentialsSync;
import io.knativeoneks.internal.ImageReferences;
import io.knativeoneks.internal.Validate;
import java.util.List;
import java.util.regex.Pattern;
import org.cdk8s.App;
import org.cdk8s.Chart;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.LifecycleRule;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.TagMutability;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.eks_v2.KubernetesObjectValue;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * Where an in-cluster build pushes its image: an ECR repository the stack creates (no static credential), or another
 * registry such as Docker Hub with credentials kept in AWS Secrets Manager.
 *
 * <pre>{@code
 * ISecret hub = Secret.fromSecretNameV2(this, "DockerHub", "dockerhub");   // JSON: username and password
 * ImageSource image = ImageSource.fromLocalSource(LocalSource.builder().directory("app").build(),
 *         ImageRegistry.dockerHub("docker.io/myuser/app", hub));
 * }</pre>
 */
public abstract class ImageRegistry {
    private static final Pattern SERVER = Pattern.compile("https://[a-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._/-]*)?");

    ImageRegistry() {
    }

    /** How many images an ECR repository keeps; older ones expire. */
    public static final int ECR_IMAGES_KEPT = 20;

    /**
     * A new ECR repository: scanned on push, immutable tags (build tags are derived from the build's inputs, so a
     * tag never needs to move), the newest {@value #ECR_IMAGES_KEPT} images kept, and deleted with its images on
     * stack deletion unless the cluster's {@code removalPolicy} retains it. The build's service account gets push
     * on it and Knative Serving's controller pull (granted by the workload), both through EKS Pod Identity.
     *
     * @return the registry
     */
    public static ImageRegistry ecr() {
        return new ImageRegistry() {
            @Override
            void check(Construct scope) {
            }

            @Override
            Target bind(Construct scope, WorkloadContext workload, PodIdentityRole buildBot) {
                RemovalPolicy removal = workload.platform().getClusterContext().getRemovalPolicy();
                Repository repository = Repository.Builder.create(scope, "Repository")
                        .imageScanOnPush(true)
                        .imageTagMutability(TagMutability.IMMUTABLE)
                        .lifecycleRules(List.of(LifecycleRule.builder()
                                .description("Keep the newest " + ECR_IMAGES_KEPT + " images")
                                .maxImageCount(ECR_IMAGES_KEPT)
                                .build()))
                        .removalPolicy(removal)
                        .emptyOnDelete(removal == RemovalPolicy.DESTROY)
                        .build();
                buildBot.grantEcrPush(repository);
                return new Target(repository.getRepositoryUri(),
                        ImageBuild.RegistryCredentials.ecr(repository.getRegistryUri()), List.of(), null, repository);
            }
        };
    }

    /**
     * A Docker Hub repository, as in the 2019 walkthrough, without the password in YAML.
     *
     * @param repository e.g. {@code docker.io/myuser/helloworld-python}
     * @param credentials a Secrets Manager secret holding JSON with {@code username} and {@code password}
     * @return the registry
     */
    public static ImageRegistry dockerHub(String repository, ISecret credentials) {
        return withCredentials("https://index.docker.io/v1/", repository, credentials);
    }

    /**
     * Any registry that takes a user name and password. The External Secrets Operator (installed once per platform,
     * reading only this secret through EKS Pod Identity) turns the secret into a {@code kubernetes.io/dockerconfigjson}
     * Secret at run time, attached to the build's service account and used by the service to pull; its values never
     * appear in the template or in {@code cdk.out}.
     *
     * @param server the registry as Docker config names it, e.g. {@code https://index.docker.io/v1/}
     * @param repository the image repository, e.g. {@code registry.example.com/team/app}
     * @param credentials a Secrets Manager secret holding JSON with {@code username} and {@code password}
     * @return the registry
     */
    public static ImageRegistry withCredentials(String server, String repository, ISecret credentials) {
        return new ImageRegistry() {
            @Override
            void check(Construct workload) {
                Validate.noCredentials(workload, "registry.server", server,
                        "name the registry only; the credentials come from the Secrets Manager secret");
                Validate.noCredentials(workload, "registry.repository", repository,
                        "name the repository only; the credentials come from the Secrets Manager secret");
                Validate.matches(workload, "registry.server", server, SERVER, "an https:// registry address",
                        "https://index.docker.io/v1/");
                Validate.matches(workload, "registry.repository", repository, ImageReferences.REPOSITORY,
                        "an image repository without tag", "docker.io/myuser/app");
                Validate.check(credentials != null, workload, "registry.credentials", null,
                        "is required for a registry other than ECR",
                        "pass a Secrets Manager secret with username and password, or use ImageRegistry.ecr()");
            }

            @Override
            Target bind(Construct scope, WorkloadContext workload, PodIdentityRole buildBot) {
                PlatformBase platform = workload.platform();
                credentials.grantRead(platform.externalSecrets().grantee(scope));

                Chart chart = new Chart(new App(), workload.name() + "-registry");
                RegistryCredentialsSync sync = new RegistryCredentialsSync(chart, "Credentials",
                        workload.name() + "-registry", workload.namespace(), server,
                        credentials.getSecretArn(), Stack.of(scope).getRegion());
                KubernetesManifest manifest = workload.apply(scope, "RegistryCredentials", chart, false);
                manifest.getNode().addDependency(platform.externalSecrets().getReady(), platform.getAppNamespaceReady());
                KubernetesObjectValue synced = platform.getClusterContext().waitForValue(scope, "CredentialsSynced",
                        "secret", sync.getSecretName(), workload.namespace(), ".type");
                synced.getNode().addDependency(manifest);
                return new Target(repository, ImageBuild.RegistryCredentials.dockerConfigSecret(sync.getSecretName()),
                        List.of(synced), sync.getSecretName(), null);
            }
        };
    }

    /** Checks the registry's settings when a source that pushes to it is bound; errors name {@code scope}. */
    abstract void check(Construct scope);

    /**
     * Creates, under {@code scope}, what pushing needs for a build of {@code workload} that runs as
     * {@code buildBot}.
     */
    abstract Target bind(Construct scope, WorkloadContext workload, PodIdentityRole buildBot);

    /**
     * What a build pushes to.
     *
     * @param repository the image repository, without tag
     * @param credentials how kaniko logs in
     * @param prerequisites what must exist before the build starts
     * @param pullSecret the Secret pods need to pull the image, or null
     * @param ecrRepository the ECR repository pushed to, or null for another registry
     */
    record Target(String repository, ImageBuild.RegistryCredentials credentials, List<Construct> prerequisites,
            String pullSecret, IRepository ecrRepository) {
    }
}
