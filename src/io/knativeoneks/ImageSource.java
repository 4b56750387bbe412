package io.knativeoneks;

import io.knativeoneks.internal.ImageReferences;
import io.knativeoneks.internal.Tokens;
import io.knativeoneks.internal.Validate;
import io.knativeoneks.k8s.BuildContext;
import io.knativeoneks.k8s.GitSource;
import java.nio.file.Files;
import java.nio.file.Paths;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.assets.DockerImageAsset;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

/**
 * Where a {@link KnativeWorkload}'s container image comes from: built in the cluster from a directory of this checkout
 * or from git (as in 2019), an existing image or ECR repository, or a local directory built by Docker on the
 * workstation. A source only describes the image: {@link #bind} says what the workload runs, or what an
 * {@link InClusterBuild} must build.
 *
 * <pre>{@code
 * ImageSource.fromLocalDirectory("app")   // kaniko in the cluster; cdk deploy uploads the directory
 * ImageSource.fromGit(GitSource.builder().url("https://github.com/org/app.git").build())
 * ImageSource.fromImage("ghcr.io/org/app:1.0")
 * ImageSource.fromEcrRepository(Repository.fromRepositoryName(this, "Repo", "team/app"), "1.0.0")
 * ImageSource.fromDockerBuild("app")      // Docker on the workstation, at cdk deploy
 * }</pre>
 */
public abstract class ImageSource {
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
        return new ImageSource() {
            @Override
            public Binding bind(Construct scope) {
                Validate.check(source != null, scope, "image.git", null, "must not be null",
                        "pass a GitSource to ImageSource.fromGit");
                checkRegistry(scope, registry, "fromGit");
                source.validate(scope);
                source.warnings().forEach((id, message) -> Annotations.of(scope).addWarningV2(id, message));
                return new Binding(null, null, source, null, registry);
            }
        };
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
        return new ImageSource() {
            @Override
            public Binding bind(Construct scope) {
                Validate.check(source != null, scope, "image.local", null, "must not be null",
                        "pass a LocalSource to ImageSource.fromLocalSource, or use ImageSource.fromLocalDirectory");
                checkRegistry(scope, registry, "fromLocalSource");
                LocalSource.Upload upload = source.upload(scope);
                return new Binding(null, null, upload.context(), upload.archive(), registry);
            }
        };
    }

    private static void checkRegistry(Construct scope, ImageRegistry registry, String factory) {
        Validate.check(registry != null, scope, "image.registry", null, "must not be null",
                "pass an ImageRegistry, or use ImageSource." + factory + "(source) for a new ECR repository");
        registry.check(scope);
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
            public Binding bind(Construct scope) {
                return new Binding(reference, ImageReference.bind(scope, reference), null, null, null);
            }
        };
    }

    /**
     * Builds a local directory with a Dockerfile into an image with Docker on the workstation: CDK's
     * {@link DockerImageAsset} (Docker runs during {@code cdk deploy}, not at synth), run from the CDK assets
     * repository. {@link #fromLocalDirectory} builds in the cluster instead, without Docker.
     *
     * @param directory the directory with the Dockerfile, relative to where {@code cdk} runs
     * @return the image source
     */
    public static ImageSource fromDockerBuild(String directory) {
        return new ImageSource() {
            @Override
            public Binding bind(Construct scope) {
                Validate.check(directory != null, scope, "image.directory", null, "must not be null",
                        "point at the folder of your app, e.g. examples/hello-python");
                Validate.check(Files.isRegularFile(Paths.get(directory, "Dockerfile")), scope, "image.directory",
                        "\"" + directory + "\"", "must be a directory with a Dockerfile (relative to "
                                + Paths.get("").toAbsolutePath() + ")",
                        "point at the folder of your app, e.g. examples/hello-python");
                DockerImageAsset asset = DockerImageAsset.Builder.create(scope, "Image")
                        .directory(directory)
                        .build();
                return new Binding(asset.getImageUri(), asset.getRepository(), null, null, null);
            }
        };
    }

    /**
     * Builds a local directory with Docker on the workstation, as {@link #fromDockerBuild} does.
     *
     * @param directory the directory with the Dockerfile, relative to where {@code cdk} runs
     * @return the image source
     * @deprecated use {@link #fromDockerBuild}, whose name says where the image is built; this one goes in a later
     *     minor version
     */
    @Deprecated
    public static ImageSource fromDirectory(String directory) {
        return fromDockerBuild(directory);
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
            public Binding bind(Construct scope) {
                Validate.check(repository != null, scope, "image.repository", null, "is required",
                        "pass the ECR repository, e.g. Repository.fromRepositoryName(this, \"Repo\", \"app\")");
                Validate.check(tag != null, scope, "image.tag", null, "is required",
                        "pass the tag to run, e.g. \"1.0.0\" (tags that move make revisions drift)");
                Validate.matches(scope, "image.tag", tag, ImageReferences.TAG, "an image tag", "1.0.0");
                String name = repository.getRepositoryName();
                ImageReference.warnIfLatest(scope, (Tokens.isUnresolved(name) ? repository.getNode().getPath()
                        : name) + ":" + tag, tag);
                return new Binding(repository.repositoryUriForTag(tag), repository, null, null, null);
            }
        };
    }

    /**
     * Checks the source and creates, under {@code scope}, what describing the image needs (an imported or asset
     * repository, an uploaded build context). {@link KnativeWorkload} calls it; errors and warnings name
     * {@code scope}.
     *
     * @param scope the workload the image is for
     * @return what runs, or what must be built in the cluster
     */
    public abstract Binding bind(Construct scope);

    /**
     * An image source bound to a workload: either an image to run, or a build context to build in the cluster with
     * an {@link InClusterBuild}.
     *
     * @param image the image reference to run, or null when the image is built in the cluster
     * @param repository the ECR repository {@code image} comes from (Knative Serving's controller needs pull on it),
     *     or null for another registry or an in-cluster build
     * @param context what an in-cluster build reads, or null when nothing is built in the cluster
     * @param contextArchive the uploaded archive {@code context} reads, which the build's identity must read; or null
     * @param registry where an in-cluster build pushes, or null when nothing is built in the cluster
     */
    public record Binding(String image, IRepository repository, BuildContext context, Asset contextArchive,
            ImageRegistry registry) {
        /** @return whether the image must be built in the cluster (then {@link #image} is null) */
        public boolean buildsInCluster() {
            return context != null;
        }
    }
}
