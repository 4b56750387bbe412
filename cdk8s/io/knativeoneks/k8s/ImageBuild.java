package io.knativeoneks.k8s;

import io.knativeoneks.common.Versions;
import io.knativeoneks.internal.Tokens;
import io.knativeoneks.internal.Validate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.plus25.k8s.ConfigMapVolumeSource;
import org.cdk8s.plus25.k8s.Container;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.JobSpec;
import org.cdk8s.plus25.k8s.KeyToPath;
import org.cdk8s.plus25.k8s.KubeConfigMap;
import org.cdk8s.plus25.k8s.KubeConfigMapProps;
import org.cdk8s.plus25.k8s.KubeJob;
import org.cdk8s.plus25.k8s.KubeJobProps;
import org.cdk8s.plus25.k8s.ObjectMeta;
import org.cdk8s.plus25.k8s.PodSpec;
import org.cdk8s.plus25.k8s.PodTemplateSpec;
import org.cdk8s.plus25.k8s.Quantity;
import org.cdk8s.plus25.k8s.ResourceRequirements;
import org.cdk8s.plus25.k8s.SecretVolumeSource;
import org.cdk8s.plus25.k8s.Volume;
import org.cdk8s.plus25.k8s.VolumeMount;
import software.constructs.Construct;

/**
 * An in-cluster image build, the successor of 2019's Knative Build: a Job that runs kaniko (the maintained fork) on a
 * {@link BuildContext} (git, or an archive of a local directory in S3) and pushes the image to a registry.
 *
 * <p>The Job's name and the image tag are a hash of the whole Job as rendered (context, destination, arguments,
 * resources, deadline, volumes, kaniko's version) plus {@code inputsKey}: any change to what the build does is a new
 * Job with a new tag, so nothing patches a Job's immutable pod template, and an unchanged build is not run again.
 * The build runs once ({@code backoffLimit: 0}); when it fails, its container's termination message holds the last
 * lines of its log ({@code FallbackToLogsOnError}), where a readiness wait reads the reason. The pod opts out of
 * Istio sidecar injection (a sidecar would keep the Job from completing).
 *
 * <pre>{@code
 * String repository = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello";
 * ImageBuild build = new ImageBuild(chart, "Build", "hello", "apps", "build-bot",
 *         GitSource.builder().url("https://github.com/org/hello.git").build(), repository,
 *         ImageBuild.RegistryCredentials.ecr("123456789012.dkr.ecr.eu-west-1.amazonaws.com"), "hello");
 * String image = build.getImage();   // the repository with a tag derived from the build
 * }</pre>
 */
public final class ImageBuild extends Construct {
    /** kaniko from the maintained fork (Google's repository was archived in June 2025). */
    public static final String KANIKO_IMAGE = Versions.KANIKO_IMAGE;
    /** How long the build may run; below the deploy's wait for it, so a hung build fails with its own reason. */
    public static final int DEADLINE_SECONDS = 540;

    private static final String DOCKER_CONFIG_DIR = "/kaniko/.docker";
    private static final String TAG_PLACEHOLDER = "TAG";

    private final KubeJob job;
    private final String image;

    /**
     * @param scope the construct's parent
     * @param id the construct's id
     * @param name the workload name the Job and ConfigMap names start with (a DNS-1123 label)
     * @param namespace where the Job runs
     * @param serviceAccountName the identity that reads the context and may push (EKS Pod Identity for AWS)
     * @param context what to build
     * @param repository the image repository to push to, without tag, e.g. an ECR repository URI
     * @param credentials how kaniko logs in to the registry
     * @param inputsKey what the deploy-time values (CDK tokens) among the inputs stand for, e.g. the construct path
     *     of the workload that owns the repository; it is part of the hash, as tokens are not
     */
    public ImageBuild(Construct scope, String id, String name, String namespace, String serviceAccountName,
            BuildContext context, String repository, RegistryCredentials credentials, String inputsKey) {
        super(scope, id);
        Validate.dnsLabel(this, "name", name);
        context.validate(this);
        Volume dockerConfig = credentials.volume(this, truncate(name, 45) + "-docker-config", namespace);
        Chart draft = new Chart(new App(), "draft");
        String rendered = new KubeJob(draft, "Job", props(TAG_PLACEHOLDER, namespace, serviceAccountName, context,
                repository + ":" + TAG_PLACEHOLDER, dockerConfig)).toJson().toString();
        String hash = sha256(Tokens.mask(rendered, "<token>") + "\n" + inputsKey);
        this.image = repository + ":build-" + hash.substring(0, 16);
        job = new KubeJob(this, "Resource", props(truncate(name, 45) + "-build-" + hash.substring(0, 10), namespace,
                serviceAccountName, context, image, dockerConfig));
    }

    private static KubeJobProps props(String jobName, String namespace, String serviceAccountName,
            BuildContext context, String destination, Volume dockerConfig) {
        List<String> args = new ArrayList<>(context.kanikoArgs());
        args.add("--destination=" + destination);
        args.add("--digest-file=/dev/termination-log");
        return KubeJobProps.builder()
                .metadata(ObjectMeta.builder().name(jobName).namespace(namespace)
                        .annotations(context.annotations().isEmpty() ? null : context.annotations()).build())
                .spec(JobSpec.builder()
                        .backoffLimit(0)
                        .activeDeadlineSeconds(DEADLINE_SECONDS)
                        .template(PodTemplateSpec.builder()
                                .metadata(ObjectMeta.builder()
                                        .annotations(Map.of("sidecar.istio.io/inject", "false"))
                                        .build())
                                .spec(PodSpec.builder()
                                        .serviceAccountName(serviceAccountName)
                                        .restartPolicy("Never")
                                        .volumes(List.of(dockerConfig))
                                        .containers(List.of(Container.builder()
                                                .name("kaniko")
                                                .image(KANIKO_IMAGE)
                                                .args(args)
                                                .env(context.env().isEmpty() ? null
                                                        : new TreeMap<>(context.env()).entrySet().stream()
                                                                .map(e -> EnvVar.builder().name(e.getKey())
                                                                        .value(e.getValue()).build())
                                                                .toList())
                                                .terminationMessagePolicy("FallbackToLogsOnError")
                                                .volumeMounts(List.of(VolumeMount.builder()
                                                        .name(dockerConfig.getName())
                                                        .mountPath(DOCKER_CONFIG_DIR)
                                                        .readOnly(true)
                                                        .build()))
                                                .resources(ResourceRequirements.builder()
                                                        .requests(new TreeMap<>(Map.of("cpu", Quantity.fromString("500m"),
                                                                "memory", Quantity.fromString("1Gi"))))
                                                        .build())
                                                .build()))
                                        .build())
                                .build())
                        .build())
                .build();
    }

    /** @return the Job, for dependencies and for waiting on {@code .status.succeeded} */
    public KubeJob getJob() {
        return job;
    }

    /** @return the Job's name */
    public String getJobName() {
        return job.getName();
    }

    /** @return the image this build pushes: repository and a tag derived from the build inputs */
    public String getImage() {
        return image;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How kaniko logs in to the registry it pushes to: a Docker config file mounted at /kaniko/.docker. */
    public abstract static class RegistryCredentials {
        RegistryCredentials() {
        }

        /**
         * Amazon ECR through the AWS SDK's default credentials (EKS Pod Identity on the build's service account):
         * a ConfigMap tells kaniko to use its {@code ecr-login} credential helper for the registry. No secret.
         *
         * @param registryHost e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com} (may be a CDK token)
         * @return the credentials
         */
        public static RegistryCredentials ecr(String registryHost) {
            return new RegistryCredentials() {
                @Override
                Volume volume(Construct scope, String name, String namespace) {
                    new KubeConfigMap(scope, "DockerConfig", KubeConfigMapProps.builder()
                            .metadata(ObjectMeta.builder().name(name).namespace(namespace).build())
                            .data(Map.of("config.json", "{\"credHelpers\":{\"" + registryHost + "\":\"ecr-login\"}}"))
                            .build());
                    return Volume.builder().name("docker-config")
                            .configMap(ConfigMapVolumeSource.builder().name(name).build()).build();
                }
            };
        }

        /**
         * A {@code kubernetes.io/dockerconfigjson} Secret that already exists in the namespace, e.g. one synced from
         * AWS Secrets Manager; its {@code .dockerconfigjson} key becomes kaniko's {@code config.json}.
         *
         * @param secretName the Secret's name
         * @return the credentials
         */
        public static RegistryCredentials dockerConfigSecret(String secretName) {
            return new RegistryCredentials() {
                @Override
                Volume volume(Construct scope, String name, String namespace) {
                    return Volume.builder().name("docker-config").secret(SecretVolumeSource.builder()
                            .secretName(secretName)
                            .items(List.of(KeyToPath.builder()
                                    .key(".dockerconfigjson").path("config.json").build()))
                            .build()).build();
                }
            };
        }

        /** @return the volume holding config.json, creating what it needs in {@code namespace} */
        abstract Volume volume(Construct scope, String name, String namespace);
    }
}
