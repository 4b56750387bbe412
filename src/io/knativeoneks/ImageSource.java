package io.knativeoneks;

import io.knativeoneks.k8s.GitSource;
import io.knativeoneks.k8s.ImageBuild;
import io.knativeoneks.k8s.Validate;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.plus25.Secret;
import org.cdk8s.plus25.ServiceAccount;
import org.cdk8s.plus25.ServiceAccountProps;
import software.amazon.awscdk.services.ecr.assets.DockerImageAsset;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.eks_v2.KubernetesObjectValue;
import software.constructs.Construct;

/**
 * Where a {@link KnativeWorkload}'s container image comes from: built in the cluster from git (as in 2019), an
 * existing image, or a local directory built by CDK.
 */
public abstract class ImageSource {
    ImageSource() {
    }

    /**
     * Builds the image inside the cluster with kaniko from a git repository, and pushes it to an ECR repository this
     * workload creates, authenticated by EKS Pod Identity on the service account {@code build-bot}: no static
     * credential anywhere. The service is applied only after the build Job has succeeded.
     */
    public static ImageSource fromGit(GitSource source) {
        return fromGit(source, ImageRegistry.ecr());
    }

    /**
     * Builds the image inside the cluster with kaniko from a git repository and pushes it to {@code registry}, as the
     * service account {@code build-bot}. The service is applied only after the build Job has succeeded.
     */
    public static ImageSource fromGit(GitSource source, ImageRegistry registry) {
        return new ImageSource() {
            @Override
            Image bind(KnativeWorkload workload) {
                workload.checkBuildInputs(source, registry);
                KnativePlatform platform = workload.getPlatform();
                String namespace = workload.getNamespace();
                String account = workload.getBuildServiceAccount();
                platform.claimBuildServiceAccount(workload, namespace, account);
                ImageRegistry.Target target = registry.bind(workload);

                Chart chart = new Chart(new App(), workload.getName() + "-build");
                ServiceAccountProps.Builder buildBot = ServiceAccountProps.builder()
                        .metadata(ApiObjectMetadata.builder().name(account).namespace(namespace).build());
                if (target.pullSecret() != null) {
                    buildBot.secrets(List.of(Secret.fromSecretName(chart, "RegistrySecret", target.pullSecret())));
                }
                new ServiceAccount(chart, "BuildBot", buildBot.build());
                ImageBuild build = new ImageBuild(chart, "Build", workload.getName(), namespace, account, source,
                        target.repository(), target.credentials());
                KubernetesManifest manifest = workload.apply("Build", chart);
                manifest.getNode().addDependency(platform.getKnativeResources());
                target.prerequisites().forEach(p -> manifest.getNode().addDependency(p));

                KubernetesObjectValue succeeded = platform.getCluster().waitForValue(workload, "BuildSucceeded", "job",
                        build.getJobName(), namespace, ".status.succeeded");
                succeeded.getNode().addDependency(manifest);
                return new Image(build.getImage(), List.of(succeeded), target.pullSecret());
            }
        };
    }

    /**
     * Runs an existing image. For an ECR image, Knative Serving's controller is granted pull on its repository so it
     * can resolve the tag to a digest.
     *
     * @param reference e.g. {@code ghcr.io/org/app:1.0} or {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1}
     */
    public static ImageSource fromImage(String reference) {
        return new ImageSource() {
            @Override
            Image bind(KnativeWorkload workload) {
                ImageReference.bind(workload, reference);
                return new Image(reference, List.of(), null);
            }
        };
    }

    /**
     * Builds a local directory with a Dockerfile into an image with CDK's {@link DockerImageAsset} (Docker runs
     * during {@code cdk deploy}, not at synth) and runs it from the CDK assets repository.
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
                workload.getPlatform().getServingControllerRole().grantEcrPull(asset.getRepository());
                return new Image(asset.getImageUri(), List.of(), null);
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
     */
    record Image(String reference, List<Construct> prerequisites, String pullSecret) {
    }
}
