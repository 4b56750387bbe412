package io.knativeoneks;

import io.knativeoneks.internal.Tokens;
import io.knativeoneks.internal.Validate;
import io.knativeoneks.k8s.BuildContext;
import io.knativeoneks.k8s.GitSource;
import io.knativeoneks.k8s.ImageBuild;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.plus25.Secret;
import org.cdk8s.plus25.ServiceAccount;
import org.cdk8s.plus25.ServiceAccountProps;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.assets.DockerImageAsset;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.constructs.Construct;

/**
 * Where a {@link KnativeWorkload}'s container image comes from: built in the cluster from a directory of this checkout
 * or from git (as in 2019), an existing image or ECR repository, or a local directory built by Docker on the
 * workstation.
 *
 * <pre>{@code
 * ImageSource.fromLocalDirectory("app")   // kaniko in the cluster; cdk deploy uploads the directory
 * ImageSource.fromGit(GitSource.builder().url("https://github.com/org/app.git").build())
 * ImageSource.fromImage("ghcr.io/org/app:1.0")
 * ImageSource.fromEcrRepository(Repository.fromRepositoryName(this, "Repo", "team/app"), "1.0.0")
 * ImageSource.fromDirectory("app")        // Docker on the workstation, at cdk deploy
 * }</pre>
 */
public abstract class ImageSource {
    private static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    ImageSource() {
    }

    /**
     * Builds the image inside the cluster with kaniko from a git repository, and pushes it to an ECR repository this
     * workload creates, authenticated by EKS Pod Identity: no static credential anywhere. The service is applied only
     * after the build has succeeded.
     *
     * @param source the repository, branch or tag, and Dockerfile
     * @return the image source
     */
    public static ImageSource fromGit(GitSource source) {
        return fromGit(source, ImageRegistry.ecr());
    }

    /**
     * Builds the image inside the cluster with kaniko from a git repository and pushes it to {@code registry}. The
     * service is applied only after the build has succeeded.
     *
     * @param source the repository, branch or tag, and Dockerfile
     * @param registry where the image is pushed
     * @return the image source
     */
    public static ImageSource fromGit(GitSource source, ImageRegistry registry) {
        return buildInCluster(registry, (workload, buildBot) -> {
            workload.checkBuildInputs(source, registry);
            return source;
        });
    }

    /**
     * Builds a directory of this checkout inside the cluster with kaniko, and pushes the image to an ECR repository
     * this workload creates. {@code cdk deploy} uploads the directory as a file asset; no Docker on the workstation.
     *
     * @param directory e.g. {@code examples/hello-python}, relative to where {@code cdk} runs
     * @return the image source
     */
    public static ImageSource fromLocalDirectory(String directory) {
        return fromLocalSource(LocalSource.builder().directory(directory).build());
    }

    /**
     * Builds a directory of this checkout inside the cluster with kaniko, with the options of {@code source}, and
     * pushes the image to an ECR repository this workload creates.
     *
     * @param source the directory and its options
     * @return the image source
     */
    public static ImageSource fromLocalSource(LocalSource source) {
        return fromLocalSource(source, ImageRegistry.ecr());
    }

    /**
     * Builds a directory of this checkout inside the cluster with kaniko and pushes it to {@code registry}. The
     * service is applied only after the build has succeeded.
     *
     * @param source the directory and its options
     * @param registry where the image is pushed
     * @return the image source
     */
    public static ImageSource fromLocalSource(LocalSource source, ImageRegistry registry) {
        return buildInCluster(registry, (workload, buildBot) -> {
            workload.checkBuildInputs(source, registry);
            return source.upload(workload, buildBot.getRole());
        });
    }

    /**
     * The in-cluster build: the build's service account with its own Pod Identity (which reads the context and,
     * for ECR, pushes), a kaniko Job that starts as soon as its nodes, namespace, identity and registry exist (in
     * parallel with Istio and Knative), and a wait that fails the deploy with the build's log when it fails.
     */
    private static ImageSource buildInCluster(ImageRegistry registry,
            BiFunction<KnativeWorkload, PodIdentityRole, BuildContext> context) {
        return new ImageSource() {
            @Override
            Image bind(KnativeWorkload workload) {
                return bindBuild(workload, registry, context);
            }
        };
    }

    private static Image bindBuild(KnativeWorkload workload, ImageRegistry registry,
            BiFunction<KnativeWorkload, PodIdentityRole, BuildContext> context) {
        PlatformBase platform = workload.platformBase();
        String namespace = workload.getNamespace();
        String account = workload.getBuildServiceAccount();
        platform.registry().claimServiceAccount(workload, "buildServiceAccount", namespace, account);
        PodIdentityRole buildBot = new PodIdentityRole(workload, "BuildBot", platform.getCluster(), namespace, account);
        BuildContext source = context.apply(workload, buildBot);
        ImageRegistry.Target target = registry.bind(workload, buildBot);

        Chart chart = new Chart(new App(), workload.getName() + "-build");
        ServiceAccountProps.Builder serviceAccount = ServiceAccountProps.builder()
                .metadata(ApiObjectMetadata.builder().name(account).namespace(namespace).build());
        if (target.pullSecret() != null) {
            serviceAccount.secrets(List.of(Secret.fromSecretName(chart, "RegistrySecret", target.pullSecret())));
        }
        new ServiceAccount(chart, "BuildBot", serviceAccount.build());
        ImageBuild build = new ImageBuild(chart, "Build", workload.getName(), namespace, account, source,
                target.repository(), target.credentials(), workload.getNode().getPath());
        KubernetesManifest manifest = workload.apply("Build", chart);
        manifest.getNode().addDependency(platform.getAppNamespaceReady(), buildBot);
        platform.getClusterContext().afterPodIdentityAgent(manifest);
        target.prerequisites().forEach(p -> manifest.getNode().addDependency(p));

        ReadinessWait succeeded = new ReadinessWait(workload, "BuildSucceeded", platform, ReadinessWait.Kind.JOB,
                namespace, build.getJobName());
        succeeded.getNode().addDependency(manifest);
        return new Image(build.getImage(), List.of(succeeded), target.pullSecret(), target.ecrRepository(), build);
    }

    /**
     * Runs an existing image. For an ECR image, Knative Serving's controller is granted pull on its repository so it
     * can resolve the tag to a digest.
     *
     * @param reference e.g. {@code ghcr.io/org/app:1.0} or {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1}
     * @return the image source
     */
    public static ImageSource fromImage(String reference) {
        return new ImageSource() {
            @Override
            Image bind(KnativeWorkload workload) {
                return new Image(reference, List.of(), null, ImageReference.bind(workload, reference), null);
            }
        };
    }

    /**
     * Builds a local directory with a Dockerfile into an image with CDK's {@link DockerImageAsset} (Docker runs
     * during {@code cdk deploy}, not at synth) and runs it from the CDK assets repository.
     *
     * @param directory the directory with the Dockerfile, relative to where {@code cdk} runs
     * @return the image source
     */
    public static ImageSource fromDirectory(String directory) {
        return new ImageSource() {
            @Override
            Image bind(KnativeWorkload workload) {
                Validate.check(directory != null, workload, "image.directory", null, "must not be null",
                        "point at the folder of your app, e.g. examples/hello-python");
                Validate.check(Files.isRegularFile(Paths.get(directory, "Dockerfile")), workload, "image.directory",
                        "\"" + directory + "\"", "must be a directory with a Dockerfile (relative to "
                                + Paths.get("").toAbsolutePath() + ")",
                        "point at the folder of your app, e.g. examples/hello-python");
                DockerImageAsset asset = DockerImageAsset.Builder.create(workload, "Image")
                        .directory(directory)
                        .build();
                workload.platformBase().grantImagePull(workload, asset.getRepository());
                return new Image(asset.getImageUri(), List.of(), null, asset.getRepository(), null);
            }
        };
    }

    /**
     * Runs the image {@code tag} of an ECR repository, for example one that another stack or team's CI pushes to.
     * Knative Serving's controller is granted pull on it (to resolve the tag to a digest) by a policy of the
     * workload's stack, so the repository and the platform may live in any stack of the app; the nodes pull with
     * their role (a KnativeCluster's nodes may read every repository of the account).
     *
     * @param repository the repository, e.g. {@code Repository.fromRepositoryName(this, "Repo", "team/app")}
     * @param tag e.g. {@code 1.4.2}; {@code latest} warns, as it may name another image on every deploy
     * @return the image source
     */
    public static ImageSource fromEcrRepository(IRepository repository, String tag) {
        return new ImageSource() {
            @Override
            Image bind(KnativeWorkload workload) {
                Validate.check(repository != null, workload, "image.repository", null, "is required",
                        "pass the ECR repository, e.g. Repository.fromRepositoryName(this, \"Repo\", \"app\")");
                Validate.check(tag != null, workload, "image.tag", null, "is required",
                        "pass the tag to run, e.g. \"1.0.0\" (tags that move make revisions drift)");
                Validate.matches(workload, "image.tag", tag, IMAGE_TAG, "an image tag", "1.0.0");
                String name = repository.getRepositoryName();
                ImageReference.warnIfLatest(workload, (Tokens.isUnresolved(name) ? repository.getNode().getPath()
                        : name) + ":" + tag, tag);
                workload.platformBase().grantImagePull(workload, repository);
                return new Image(repository.repositoryUriForTag(tag), List.of(), null, repository, null);
            }
        };
    }

    /** Makes the image available to the workload's service. */
    abstract Image bind(KnativeWorkload workload);

    /**
     * An image the service can run.
     *
     * @param prerequisites what must exist before the service is applied
     * @param pullSecret the Secret that pulls it, or null
     * @param repository the ECR repository it comes from or is pushed to, or null
     * @param build the in-cluster build that makes it, or null
     */
    record Image(String reference, List<Construct> prerequisites, String pullSecret, IRepository repository,
            ImageBuild build) {
    }
}
