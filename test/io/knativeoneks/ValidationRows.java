package io.knativeoneks;


import io.knativeoneks.k8s.GitSource;
import io.knativeoneks.k8s.KnativeChart;
import io.knativeoneks.k8s.KnativeService;
import io.knativeoneks.k8s.KnativeServiceProps;
import io.knativeoneks.k8s.KnativeServingProps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.sqs.Queue;

/**
 * The shape of a validation row, and the fixtures the row files build on. A row file ({@code ClusterRows},
 * {@code PlatformRows}, ...: one per construct or props class) has {@code static Stream<Arguments> badRows()} and
 * {@code goodRows()} (not {@code bad()}/{@code good()}, which would hide the static imports of the row methods below);
 * {@link ValidationTest} runs the files of its {@code ROW_FILES}.
 *
 * <ul>
 *   <li>{@link #bad}: the builder method it covers ({@code Owner.method}), a name (test/upstream/agreement.jsonl
 *       refers to the row by it: keep it when moving a row), the build, and the exact message of the
 *       {@link io.knativeoneks.common.ValidationError} it must throw.
 *   <li>{@link #good}: the builder methods it exercises, a name (unique among good rows), the build (returning what
 *       it built: a construct, a chart or the stack), and the effect: an assertion on what the build returned (a
 *       construct's getters, {@link #template}, {@link #manifests}, {@link #json}), which must hold. "Does not throw"
 *       is not an effect, and a null effect is refused.
 * </ul>
 *
 * <p>A row goes into the file of the construct whose builder method it covers: KnativeCluster to ClusterRows,
 * KnativePlatform to PlatformRows, Autoscaler to AutoscalerRows, KnativeWorkload to WorkloadRows, ImageSource,
 * LocalSource, GitSource and ImageRegistry to ImageSourceRows, hosted zones, hosts, traffic and custom domains to
 * RoutingRows, ScheduledEvents to ScheduledEventsRows, AwsEvents and its sources and sinks to AwsEventsRows, and the
 * io.knativeoneks.k8s side to K8sChartRows. A bad row of the old one-file ValidationTest pastes in unchanged. An old
 * good row {@code good(covers, name, s -> {...})} becomes {@code good(covers, name, s -> {...; return s;}, s -> {
 * assertions })}, or returns the construct it built and checks its getters.
 */
final class ValidationRows {
    static final String NINE = "123456789012";

    private ValidationRows() {
    }

    /** A bad input: the builder method it covers ({@code Owner.method}), a name, the build, the exact message. */
    static Arguments bad(String covers, String name, Consumer<Stack> build, String message) {
        return Arguments.of(covers, name, build, message);
    }

    /**
     * A good input: the builder methods it exercises, a name, the build, and the effect the input enables, checked on
     * what the build returned.
     */
    static <T> Arguments good(List<String> covers, String name, Function<Stack, T> build, Consumer<? super T> effect) {
        return Arguments.of(covers, name, Objects.requireNonNull(build, name), Objects.requireNonNull(effect, name));
    }

    /** The synthesized template of a stack. */
    static Template template(Stack stack) {
        return Template.fromStack(stack);
    }

    /** The Kubernetes objects a stack applies. */
    static KnativeManifests manifests(Stack stack) {
        return KnativeManifests.of(stack);
    }

    /** The construct of a scope by its path below it ({@code "Platform/ServingController"}). */
    @SuppressWarnings("unchecked")
    static <C> C child(software.constructs.IConstruct scope, String path) {
        software.constructs.IConstruct c = scope;
        for (String id : path.split("/")) {
            c = c.getNode().findChild(id);
        }
        return (C) c;
    }

    /** The warnings of a stack's constructs, as "path: message". */
    // aws-cdk-lib's assertions.Annotations return cxapi.SynthesisMessage, deprecated with cxapi, no replacement yet.
    @SuppressWarnings("deprecation")
    static List<String> warnings(Stack stack) {
        return Annotations.fromStack(stack).findWarning("*", Match.anyValue()).stream()
                .map(w -> w.getId() + ": " + w.getEntry().getData()).toList();
    }

    /** A platform of another app: its cluster imported with a kubectl provider, and its Serving controller's role. */
    static KnativePlatformAttributes.Builder attributes(Stack stack) {
        return KnativePlatformAttributes.builder().cluster(AnyClusterTest.imported(stack, true))
                .servingControllerRoleArn("arn:aws:iam::" + NINE + ":role/serving-controller");
    }

    static IKnativePlatform imported(Stack stack, KnativePlatformAttributes.Builder attributes) {
        return KnativePlatform.fromPlatformAttributes(stack, "Platform", attributes.build());
    }

    static KnativeCluster.Builder clusterBuilder(Stack stack) {
        return KnativeCluster.Builder.create(stack, "Cluster");
    }

    static KnativePlatform.Builder platform(Stack stack) {
        return KnativePlatform.Builder.create(stack, "Platform").cluster(clusterBuilder(stack).build());
    }

    static KnativeWorkload.Builder workloadOn(Stack stack, KnativePlatform platform) {
        return KnativeWorkload.Builder.create(stack, "Workload").platform(platform).name("hello")
                .image(ImageSource.fromImage("nginx:1"));
    }

    static KnativeWorkload.Builder workload(Stack stack) {
        return workloadOn(stack, platform(stack).build());
    }

    static ScheduledEvents.Builder events(Stack stack) {
        KnativePlatform p = platform(stack).build();
        return ScheduledEvents.Builder.create(stack, "Events").platform(p).name("tick")
                .subscriber(KnativeWorkload.Builder.create(stack, "Display").platform(p).name("display")
                        .image(ImageSource.fromImage("nginx:1")).build());
    }

    /** An SQS queue of the stack (one per stack). */
    static Queue queue(Stack stack) {
        Queue existing = (Queue) stack.getNode().tryFindChild("Queue");
        return existing != null ? existing : Queue.Builder.create(stack, "Queue").build();
    }

    static AwsEvents.Builder awsEvents(Stack stack) {
        KnativePlatform p = platform(stack).build();
        return AwsEvents.Builder.create(stack, "Orders").platform(p).name("orders")
                .from(AwsEventSource.sqs(queue(stack)))
                .to(KnativeWorkload.Builder.create(stack, "Display").platform(p).name("display")
                        .image(ImageSource.fromImage("nginx:1")).build());
    }

    static AwsEvents awsSinkFrom(Stack stack, String broker) {
        return AwsEvents.Builder.create(stack, "Out").platform(platform(stack).build()).name("out").fromBroker(broker)
                .to(AwsEventSink.sqs(queue(stack))).build();
    }

    /** A flow from the platform's default broker to an AWS sink. */
    static AwsEvents awsSink(Stack stack, AwsEventSink sink) {
        return AwsEvents.Builder.create(stack, "Out").platform(platform(stack).build()).name("out").fromBroker("default")
                .to(sink).build();
    }

    static KnativeChart chart(KnativeServingProps.Builder serving) {
        return new KnativeChart(new org.cdk8s.App(), "knative", serving.build(), null);
    }

    static KnativePlatform platformScale(Stack stack, Autoscaler.Builder autoscaler) {
        return platform(stack).autoscaler(autoscaler.build()).build();
    }

    static KnativeWorkload revisionScale(Stack stack, Autoscaler.Builder autoscaler) {
        return workload(stack).scale(autoscaler.build()).build();
    }

    static KnativeServiceProps.Builder service() {
        return KnativeServiceProps.builder().name("hello").image("nginx:1");
    }

    static KnativeService service(KnativeServiceProps.Builder props) {
        return new KnativeService(new org.cdk8s.Chart(new org.cdk8s.App(), "svc"), "Service", props.build());
    }

    static IHostedZone zone(Stack stack, String name) {
        IHostedZone existing = (IHostedZone) stack.getNode().tryFindChild("Zone" + name);
        return existing != null ? existing : HostedZone.fromHostedZoneAttributes(stack, "Zone" + name,
                HostedZoneAttributes.builder().hostedZoneId("Z0123456789ABCDEFGHIJ").zoneName(name).build());
    }

    static GitSource.Builder git() {
        return GitSource.builder().url("https://github.com/org/repo.git");
    }

    static KnativeWorkload image(Stack stack, ImageSource image) {
        return workload(stack).image(image).build();
    }

    static String token(Stack stack, String id) {
        return CfnParameter.Builder.create(stack, id).build().getValueAsString();
    }

    static final String NOT_NULL = " (null) must not be null: leave ";
    static final String HIDDEN_GIT_URL = "[Test/Workload] git.url (<hidden: it holds credentials>) must not "
            + "carry a user name or password (they would be written into the template or a manifest): use the "
            + "repository's plain https:// URL; the build needs a repository it can read without credentials";
    static final String CRON = "must be a cron schedule of five fields (minute hour day-of-month month "
            + "day-of-week, optionally after seconds) or a descriptor such as @hourly; it ";
    static final String CRON_FIX = ": use a schedule such as \"*/5 * * * *\"";
    static final String REMOVAL = "must be one of [DESTROY, RETAIN, RETAIN_ON_UPDATE_OR_DELETE] (it applies "
            + "to KMS keys, log groups and ECR repositories, which CloudFormation cannot snapshot): use "
            + "RemovalPolicy.RETAIN to keep them";
    static final String REF_NAME = "must be a git branch or tag name (letters, digits, '.', '_', '-' and "
            + "'/'; no '..' or '//', no part starting with '.' or ending with .lock, not starting with '-' or '/', not "
            + "ending with '/' or '.'): use a value such as \"main\"";
    static final String HELLO_PYTHON = Paths.get("examples/hello-python").toAbsolutePath().toString();
    static final String ONE_LABEL = " under Knative's domain template {{.Name}}-{{.Namespace}}.{{.Domain}}";
    static final String DOTTED = " under Knative's domain template {{.Name}}.{{.Namespace}}.{{.Domain}}";

    /**
     * A directory under target/ with a Dockerfile, a .dockerignore and the given symbolic links (name to target),
     * made anew: the build contexts of the local-build rows.
     *
     * @return its path relative to where the tests run
     */
    static String fixture(String name, Map<String, String> links) {
        Path dir = Paths.get("target", "validation-fixtures", name);
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> old = Files.walk(dir)) {
                    for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir.resolve("docker"));
            Files.createDirectories(dir.resolve("src"));
            Files.writeString(dir.resolve("docker/Dockerfile"), "FROM python:3.12-slim\nCOPY . /app\n");
            Files.writeString(dir.resolve("src/app.py"), "print('hello')\n");
            Files.writeString(dir.resolve(".dockerignore"), "docker/\n.dockerignore\n");
            for (Map.Entry<String, String> link : links.entrySet()) {
                Files.createSymbolicLink(dir.resolve(link.getKey()), Path.of(link.getValue()));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir.toString();
    }

    static KnativeWorkload localBuild(Stack stack, String directory, String dockerfile) {
        return image(stack, ImageSource.fromLocalSource(LocalSource.builder().directory(directory)
                .dockerfile(dockerfile).build()));
    }

    /** A role for reports/reader on an imported cluster. */
    static PodIdentityRole.Builder podIdentityRole(Stack stack) {
        return PodIdentityRole.Builder.create(stack, "Role").namespace("reports").serviceAccount("reader")
                .cluster(software.amazon.awscdk.services.eks_v2.Cluster.fromClusterAttributes(stack, "Imported",
                        software.amazon.awscdk.services.eks_v2.ClusterAttributes.builder().clusterName("apps")
                                .build()));
    }

    /** The deprecated factory, kept for one minor version: it must still work. */
    @SuppressWarnings("deprecation")
    static ImageSource deprecatedFromDirectory(String directory) {
        return ImageSource.fromDirectory(directory);
    }

    /** A workload built from the test repository's branch {@code name}. */
    static Consumer<Stack> branch(String name) {
        return s -> image(s, ImageSource.fromGit(git().branch(name).build()));
    }

    /** The message for a branch name git refuses. */
    static String badRef(String name) {
        return "[Test/Workload] git.branch (\"" + name + "\") " + REF_NAME;
    }

    /** A stack of the test's app besides "Test", for layouts over several stacks. */
    static Stack stackBeside(Stack test, String id) {
        return new Stack((App) test.getNode().getScope(), id);
    }

    /** Literal ECR references in every form this library reads, by workload id. */
    static final Map<String, String> LITERAL_ECR_IMAGES = literalEcrImages();

    private static Map<String, String> literalEcrImages() {
        Map<String, String> images = new java.util.LinkedHashMap<>();
        images.put("Commercial", NINE + ".dkr.ecr.eu-west-1.amazonaws.com/team/app:1");
        images.put("China", NINE + ".dkr.ecr.cn-north-1.amazonaws.com.cn/app:1");
        images.put("GovCloud", NINE + ".dkr.ecr.us-gov-west-1.amazonaws.com/app@sha256:" + "b".repeat(64));
        images.put("Fips", NINE + ".dkr.ecr-fips.us-east-1.amazonaws.com/app:1");
        images.put("DualStack", NINE + ".dkr-ecr.eu-west-1.on.aws/app:1");
        images.put("FipsDualStack", NINE + ".dkr-ecr-fips.us-east-2.on.aws/app:1");
        return java.util.Collections.unmodifiableMap(images);
    }

    /** ECR references in every form this library reads, by workload id: the literal ones and two of tokens. */
    static Map<String, String> ecrImages(Stack stack) {
        software.amazon.awscdk.services.ecr.Repository own =
                software.amazon.awscdk.services.ecr.Repository.Builder.create(stack, "Own").build();
        Map<String, String> images = new java.util.LinkedHashMap<>(LITERAL_ECR_IMAGES);
        images.put("Tokens", own.repositoryUriForTag("1.0"));
        images.put("Imported", software.amazon.awscdk.services.ecr.Repository.fromRepositoryName(stack, "Shared",
                "shared/app").repositoryUriForTag("2.0"));
        return images;
    }

    /** Branch names git accepts, at the edges of its rules. */
    static final List<String> GOOD_BRANCHES = List.of("feature/x-1.2", "a.lockx/b", "heads/main", "HEADx", "a/-b",
            "_x", "v1.0");

    /** Schedules of every kind Knative's PingSource takes. */
    static final List<String> SCHEDULES = List.of("* * * * *", "*/5 0-23/2 1,15 jan-dec mon-fri", "59 23 31 12 6",
            "30 */10 * * * *", " @hourly ", "@yearly", "0 9 ? * SUN");

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** A cdk8s object's JSON ({@code apiObject.toJson()}, {@code chart.toJson()}) as a tree to read paths in. */
    static com.fasterxml.jackson.databind.JsonNode json(Object value) {
        return JSON.valueToTree(value);
    }

}
