package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.knativeoneks.common.ValidationError;
import io.knativeoneks.k8s.Broker;
import io.knativeoneks.k8s.DomainTemplate;
import io.knativeoneks.k8s.GitSource;
import io.knativeoneks.k8s.KnativeChart;
import io.knativeoneks.k8s.KnativeEventing;
import io.knativeoneks.k8s.KnativeMonitors;
import io.knativeoneks.k8s.KnativeService;
import io.knativeoneks.k8s.KnativeServiceProps;
import io.knativeoneks.k8s.KnativeServingProps;
import io.knativeoneks.k8s.KnativeVersion;
import io.knativeoneks.k8s.PingSource;
import io.knativeoneks.k8s.RegistryCredentialsSync;
import io.knativeoneks.k8s.Traffic;
import io.knativeoneks.k8s.TrafficTarget;
import io.knativeoneks.k8s.Trigger;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableAttributes;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.eks.CfnCluster;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubernetesVersion;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;

/**
 * Bad input fails at synth with a {@link ValidationError} whose exact message names the user's construct path, the
 * property, the value, what is allowed and a fix; good input, including tokens, every partition and names at their
 * length limits, passes. Every public setter and factory of the props builders has both kinds of case (checked by
 * reflection below).
 */
class ValidationTest {
    private static final String NINE = "123456789012";

    /** A bad input: the builder method it covers ({@code Owner.method}), a name, the build, the exact message. */
    private static Arguments bad(String covers, String name, Consumer<Stack> build, String message) {
        return Arguments.of(covers, name, build, message);
    }

    /** A platform of another app: its cluster imported with a kubectl provider, and its Serving controller's role. */
    private static KnativePlatformAttributes.Builder attributes(Stack stack) {
        return KnativePlatformAttributes.builder().cluster(AnyClusterTest.imported(stack, true))
                .servingControllerRoleArn("arn:aws:iam::" + NINE + ":role/serving-controller");
    }

    private static IKnativePlatform imported(Stack stack, KnativePlatformAttributes.Builder attributes) {
        return KnativePlatform.fromPlatformAttributes(stack, "Platform", attributes.build());
    }

    private static KnativeCluster.Builder clusterBuilder(Stack stack) {
        return KnativeCluster.Builder.create(stack, "Cluster");
    }

    private static KnativePlatform.Builder platform(Stack stack) {
        return KnativePlatform.Builder.create(stack, "Platform").cluster(clusterBuilder(stack).build());
    }

    private static KnativeWorkload.Builder workloadOn(Stack stack, KnativePlatform platform) {
        return KnativeWorkload.Builder.create(stack, "Workload").platform(platform).name("hello")
                .image(ImageSource.fromImage("nginx:1"));
    }

    private static KnativeWorkload.Builder workload(Stack stack) {
        return workloadOn(stack, platform(stack).build());
    }

    private static ScheduledEvents.Builder events(Stack stack) {
        KnativePlatform p = platform(stack).build();
        return ScheduledEvents.Builder.create(stack, "Events").platform(p).name("tick")
                .subscriber(KnativeWorkload.Builder.create(stack, "Display").platform(p).name("display")
                        .image(ImageSource.fromImage("nginx:1")).build());
    }

    /** An SQS queue of the stack (one per stack). */
    private static Queue queue(Stack stack) {
        Queue existing = (Queue) stack.getNode().tryFindChild("Queue");
        return existing != null ? existing : Queue.Builder.create(stack, "Queue").build();
    }

    private static AwsEvents.Builder awsEvents(Stack stack) {
        KnativePlatform p = platform(stack).build();
        return AwsEvents.Builder.create(stack, "Orders").platform(p).name("orders")
                .from(AwsEventSource.sqs(queue(stack)))
                .to(KnativeWorkload.Builder.create(stack, "Display").platform(p).name("display")
                        .image(ImageSource.fromImage("nginx:1")).build());
    }

    private static void awsSinkFrom(Stack stack, String broker) {
        AwsEvents.Builder.create(stack, "Out").platform(platform(stack).build()).name("out").fromBroker(broker)
                .to(AwsEventSink.sqs(queue(stack))).build();
    }

    /** A flow from the platform's default broker to an AWS sink. */
    private static void awsSink(Stack stack, AwsEventSink sink) {
        AwsEvents.Builder.create(stack, "Out").platform(platform(stack).build()).name("out").fromBroker("default")
                .to(sink).build();
    }

    private static void chart(KnativeServingProps.Builder serving) {
        new KnativeChart(new org.cdk8s.App(), "knative", serving.build(), null);
    }

    private static void platformScale(Stack stack, Autoscaler.Builder autoscaler) {
        platform(stack).autoscaler(autoscaler.build()).build();
    }

    private static void revisionScale(Stack stack, Autoscaler.Builder autoscaler) {
        workload(stack).scale(autoscaler.build()).build();
    }

    private static KnativeServiceProps.Builder service() {
        return KnativeServiceProps.builder().name("hello").image("nginx:1");
    }

    private static void service(KnativeServiceProps.Builder props) {
        new KnativeService(new org.cdk8s.Chart(new org.cdk8s.App(), "svc"), "Service", props.build());
    }

    private static IHostedZone zone(Stack stack, String name) {
        IHostedZone existing = (IHostedZone) stack.getNode().tryFindChild("Zone" + name);
        return existing != null ? existing : HostedZone.fromHostedZoneAttributes(stack, "Zone" + name,
                HostedZoneAttributes.builder().hostedZoneId("Z0123456789ABCDEFGHIJ").zoneName(name).build());
    }

    private static GitSource.Builder git() {
        return GitSource.builder().url("https://github.com/org/repo.git");
    }

    private static void image(Stack stack, ImageSource image) {
        workload(stack).image(image).build();
    }

    private static String token(Stack stack, String id) {
        return CfnParameter.Builder.create(stack, id).build().getValueAsString();
    }

    private static final String NOT_NULL = " (null) must not be null: leave ";
    private static final String HIDDEN_GIT_URL = "[Test/Workload] git.url (<hidden: it holds credentials>) must not "
            + "carry a user name or password (they would be written into the template or a manifest): use the "
            + "repository's plain https:// URL; the build needs a repository it can read without credentials";
    private static final String CRON = "must be a cron schedule of five fields (minute hour day-of-month month "
            + "day-of-week, optionally after seconds) or a descriptor such as @hourly; it ";
    private static final String CRON_FIX = ": use a schedule such as \"*/5 * * * *\"";
    private static final String REMOVAL = "must be one of [DESTROY, RETAIN, RETAIN_ON_UPDATE_OR_DELETE] (it applies "
            + "to KMS keys, log groups and ECR repositories, which CloudFormation cannot snapshot): use "
            + "RemovalPolicy.RETAIN to keep them";
    private static final String REF_NAME = "must be a git branch or tag name (letters, digits, '.', '_', '-' and "
            + "'/'; no '..' or '//', no part starting with '.' or ending with .lock, not starting with '-' or '/', not "
            + "ending with '/' or '.'): use a value such as \"main\"";
    private static final String HELLO_PYTHON = Paths.get("examples/hello-python").toAbsolutePath().toString();
    private static final String ONE_LABEL = " under Knative's domain template {{.Name}}-{{.Namespace}}.{{.Domain}}";
    private static final String DOTTED = " under Knative's domain template {{.Name}}.{{.Namespace}}.{{.Domain}}";

    /**
     * A directory under target/ with a Dockerfile, a .dockerignore and the given symbolic links (name to target),
     * made anew: the build contexts of the local-build rows.
     *
     * @return its path relative to where the tests run
     */
    private static String fixture(String name, Map<String, String> links) {
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

    private static void localBuild(Stack stack, String directory, String dockerfile) {
        image(stack, ImageSource.fromLocalSource(LocalSource.builder().directory(directory).dockerfile(dockerfile)
                .build()));
    }

    /** A workload built from the test repository's branch {@code name}. */
    private static Consumer<Stack> branch(String name) {
        return s -> image(s, ImageSource.fromGit(git().branch(name).build()));
    }

    /** The message for a branch name git refuses. */
    private static String badRef(String name) {
        return "[Test/Workload] git.branch (\"" + name + "\") " + REF_NAME;
    }

    /** A stack of the test's app besides "Test", for layouts over several stacks. */
    private static Stack stackBeside(Stack test, String id) {
        return new Stack((App) test.getNode().getScope(), id);
    }

    @SuppressWarnings("deprecation") // rows for the deprecated bridges, which must keep working
    static Stream<Arguments> badInputs() {
        return Stream.of(
                // KnativeCluster
                bad("KnativePlatformProps.hostedZone", "zone not a parent of the domain", s -> platform(s)
                                .domain("apps.example.org").hostedZone(zone(s, "example.net")).build(),
                        "[Test/Platform] hostedZone (\"example.net\") must be the domain \"apps.example.org\" or "
                                + "a parent of it, to hold its certificate validation and its DNS records: pass the zone "
                                + "of \"apps.example.org\", or set domain to a name in the zone such as "
                                + "\"apps.example.net\""),
                bad("KnativeWorkloadProps.clusterLocal", "cluster-local with a custom domain", s -> workload(s)
                                .clusterLocal(true).customDomains(List.of(CustomDomain.of("www.example.org",
                                        zone(s, "example.org")))).build(), "[Test/Workload] customDomains "
                                                + "([www.example.org]) cannot be used with clusterLocal(true): a "
                                                + "cluster-local service has no public host: drop clusterLocal "
                                                + "or the custom domains"),
                bad("KnativeWorkloadProps.customDomains", "custom domain without the platform's zone", s -> workload(s)
                                .customDomains(List.of(CustomDomain.of("www.example.org", zone(s, "example.org"))))
                                .build(), "[Test/Workload] customDomains ([www.example.org]) need the platform's "
                                        + "hostedZone: TLS ends at the load balancer, whose certificate must "
                                        + "cover them: pass hostedZone(...) to the KnativePlatform"),
                bad("KnativeWorkloadProps.traffic", "traffic that does not sum to 100", s -> workload(s)
                                .traffic(Traffic.builder().revisionName("v2").previousRevisions(List.of("v1"))
                                        .targets(List.of(TrafficTarget.revision("v1", 50),
                                                TrafficTarget.revision("v2", 40))).build()).build(),
                        "[Test/Workload] traffic ([revision v1 50%, revision v2 40%]) has percentages that sum "
                                + "to 90, not 100: make the shares add up to 100"),
                bad("Traffic.Builder.revisionName", "revision name not a DNS label", s -> workload(s)
                                .traffic(Traffic.builder().revisionName("V2").build()).build(), "[Test/Workload] "
                                        + "traffic.revisionName (\"V2\") must be a DNS-1123 label (lower-case "
                                        + "letters, digits and '-', starting and ending with a letter or digit, "
                                        + "at most 63 characters): use a value such as \"my-name\""),
                bad("Traffic.Builder.previousRevisions", "previous revision listed twice", s -> workload(s)
                                .traffic(Traffic.builder().previousRevisions(List.of("v1", "v1")).build()).build(),
                        "[Test/Workload] traffic.previousRevisions (\"v1\") is listed twice or is also this "
                                + "deploy's revisionName: list each earlier revision once, and not the one this "
                                + "deploy creates"),
                bad("Traffic.Builder.targets", "target naming an unknown revision", s -> workload(s)
                                .traffic(Traffic.builder().targets(List.of(TrafficTarget.revision("v9", 100))).build())
                                .build(), "[Test/Workload] traffic (revision v9 100%) names a revision that is "
                                        + "neither this deploy's revisionName (none) nor one of "
                                        + "previousRevisions []: add \"v9\" to previousRevisions if an earlier "
                                        + "deploy created hello-v9, or name a known revision"),
                bad("KnativeServiceProps.Builder.traffic", "service traffic with a duplicate tag", s -> service(service()
                                .traffic(Traffic.builder().targets(List.of(TrafficTarget.latestRevision(50).withTag("a"),
                                        TrafficTarget.latestRevision(50).withTag("a"))).build())), "[svc/Service] "
                                                + "traffic (latest revision 50% tag a) repeats the tag \"a\": "
                                                + "give each tag to one target only"),
                bad("Traffic.Builder.targets", "tag starting with a digit", s -> workload(s)
                                .traffic(Traffic.builder().targets(List.of(TrafficTarget.latestRevision(100)
                                        .withTag("2nd"))).build()).build(),
                        "[Test/Workload] traffic tag (\"2nd\") must be a DNS-1035 label (lower-case letters, digits "
                                + "and '-', starting with a letter, at most 63 characters): use a value such as "
                                + "\"canary\""),
                bad("KnativeWorkloadProps.name", "two services on one host", s -> {
                    KnativePlatform p = platform(s).domain("apps.example.org").hostedZone(zone(s, "example.org"))
                            .build();
                    KnativeWorkload.Builder.create(s, "A").platform(p).name("a-b").namespace("c")
                            .image(ImageSource.fromImage("nginx:1")).build();
                    KnativeWorkload.Builder.create(s, "B").platform(p).name("a").namespace("b-c")
                            .image(ImageSource.fromImage("nginx:1")).build();
                }, "[Test/B] name (\"a\") makes the host a-b-c.apps.example.org" + ONE_LABEL + ", which Test/A "
                        + "answers on already: give one of the services another name or namespace"),
                bad("KnativeWorkloadProps.name", "a service on another's tag host", s -> {
                    KnativePlatform p = platform(s).build();
                    KnativeWorkload.Builder.create(s, "A").platform(p).name("x").image(ImageSource.fromImage("nginx:1"))
                            .traffic(Traffic.builder().targets(List.of(TrafficTarget.latestRevision(100)
                                    .withTag("a"))).build()).build();
                    KnativeWorkload.Builder.create(s, "B").platform(p).name("a-x")
                            .image(ImageSource.fromImage("nginx:1")).build();
                }, "[Test/B] name (\"a-x\") makes the host a-x.default.example.com" + DOTTED + ", which Test/A (its "
                        + "tag \"a\") answers on already: give one of the services another name or namespace"),
                bad("Traffic.Builder.targets", "a tag on another service's host", s -> {
                    KnativePlatform p = platform(s).build();
                    KnativeWorkload.Builder.create(s, "A").platform(p).name("a-x")
                            .image(ImageSource.fromImage("nginx:1")).build();
                    KnativeWorkload.Builder.create(s, "B").platform(p).name("x").image(ImageSource.fromImage("nginx:1"))
                            .traffic(Traffic.builder().targets(List.of(TrafficTarget.latestRevision(100)
                                    .withTag("a"))).build()).build();
                }, "[Test/B] traffic tag (\"a\") makes the host a-x.default.example.com (Knative's tag template "
                        + "{{.Tag}}-{{.Name}})" + DOTTED + ", which Test/A answers on already: use another tag, or "
                        + "give one of the services another name or namespace"),
                bad("KnativeWorkloadProps.customDomains", "a custom domain on another service's host", s -> {
                    KnativePlatform p = platform(s).domain("apps.example.org").hostedZone(zone(s, "example.org"))
                            .build();
                    workloadOn(s, p).build();
                    KnativeWorkload.Builder.create(s, "B").platform(p).name("b").image(ImageSource.fromImage("nginx:1"))
                            .customDomains(List.of(CustomDomain.of("hello-default.apps.example.org",
                                    zone(s, "example.org")))).build();
                }, "[Test/B] customDomains (\"hello-default.apps.example.org\") maps a host, which Test/Workload "
                        + "answers on already: map the name to one service only"),
                bad("KnativePlatformProps.hostedZone", "hosted zone in the workloads' stack", s -> {
                    Stack apps = stackBeside(s, "Apps");
                    KnativePlatform p = platform(s).domain("apps.example.org").hostedZone(HostedZone.Builder
                            .create(apps, "Zone").zoneName("example.org").build()).build();
                    workloadOn(apps, p).build();
                }, "[Apps/Workload] platform (Test/Platform) would make stacks Test and Apps depend on each other: the "
                        + "platform references its hostedZone Apps/Zone in Apps, and Apps/Workload in Apps depends on "
                        + "the platform: move Apps/Zone to stack Test or to a stack of its own, or Apps/Workload to "
                        + "another stack"),
                bad("KnativePlatformProps.cluster", "cluster in the workloads' stack", s -> {
                    Stack apps = stackBeside(s, "Apps");
                    KnativePlatform p = KnativePlatform.Builder.create(s, "Platform")
                            .cluster(KnativeCluster.Builder.create(apps, "Cluster").build()).build();
                    ScheduledEvents.Builder.create(apps, "Events").platform(p).name("tick")
                            .subscriber(workloadOn(s, p).build()).build();
                }, "[Apps/Events] platform (Test/Platform) would make stacks Test and Apps depend on each other: the "
                        + "platform references its cluster Apps/Cluster in Apps, and Apps/Events in Apps depends on "
                        + "the platform: move Apps/Cluster to stack Test or to a stack of its own, or Apps/Events to "
                        + "another stack"),
                bad("KnativeWorkloadProps.customDomains", "custom domain's zone in the workload's stack", s -> {
                    Stack apps = stackBeside(s, "Apps");
                    KnativePlatform p = platform(s).domain("apps.example.org").hostedZone(zone(s, "example.org"))
                            .build();
                    workloadOn(apps, p).customDomains(List.of(CustomDomain.of("www.example.net", HostedZone.Builder
                            .create(apps, "Net").zoneName("example.net").build()))).build();
                }, "[Apps/Workload] customDomains (\"www.example.net\") would make stacks Test and Apps depend on "
                        + "each other: the platform references the custom domain's zone Apps/Net in Apps, and "
                        + "Apps/Workload in Apps depends on the platform: move Apps/Net to stack Test or to a stack of "
                        + "its own, or Apps/Workload to another stack"),
                bad("KnativeServingProps.Builder.domainTemplate", "domain template null",
                        s -> chart(KnativeServingProps.builder().domainTemplate(null)), "[knative/Serving] "
                                + "domainTemplate (null) must not be null: leave domainTemplate unset for its "
                                + "default, or pass a value"),
                bad("KnativeClusterProps.removalPolicy", "removal policy null",
                        s -> clusterBuilder(s).removalPolicy(null).build(),
                        "[Test/Cluster] removalPolicy" + NOT_NULL + "removalPolicy unset for its default, or pass "
                                + "a value"),
                bad("KnativeClusterProps.logRetention", "log retention null",
                        s -> clusterBuilder(s).logRetention(null).build(),
                        "[Test/Cluster] logRetention" + NOT_NULL + "logRetention unset for its default, or pass "
                                + "a value"),
                bad("KnativeClusterProps.removalPolicy", "cluster removal policy SNAPSHOT",
                        s -> clusterBuilder(s).removalPolicy(RemovalPolicy.SNAPSHOT).build(), "[Test/Cluster] "
                                + "removalPolicy (SNAPSHOT) " + REMOVAL),
                bad("KnativePlatformProps.removalPolicy", "platform removal policy SNAPSHOT",
                        s -> platform(s).removalPolicy(RemovalPolicy.SNAPSHOT).build(), "[Test/Platform] "
                                + "removalPolicy (SNAPSHOT) " + REMOVAL),
                bad("KnativeClusterProps.vpc", "vpc null", s -> clusterBuilder(s).vpc(null).build(),
                        "[Test/Cluster] vpc" + NOT_NULL + "vpc unset for its default, or pass a value"),
                bad("KnativeClusterProps.kubernetesVersion", "kubernetes too old for default layer",
                        s -> clusterBuilder(s).kubernetesVersion(KubernetesVersion.V1_33).build(),
                        "[Test/Cluster] kubernetesVersion (1.33) must be within one minor of the default kubectl "
                                + "layer (1.36): use 1.35 to 1.37, or pass a kubectlLayer that matches your version"),
                bad("KnativeClusterProps.kubernetesVersion", "kubernetes too new for default layer",
                        s -> clusterBuilder(s).kubernetesVersion(KubernetesVersion.of("1.38")).build(),
                        "[Test/Cluster] kubernetesVersion (1.38) must be within one minor of the default kubectl "
                                + "layer (1.36): use 1.35 to 1.37, or pass a kubectlLayer that matches your version"),
                bad("KnativeClusterProps.kubernetesVersion", "kubernetes version malformed",
                        s -> clusterBuilder(s).kubernetesVersion(KubernetesVersion.of("latest")).build(),
                        "[Test/Cluster] kubernetesVersion (latest) must be of the form 1.N: use a KubernetesVersion "
                                + "constant such as KubernetesVersion.V1_36"),
                bad("KnativeClusterProps.kubectlLayer", "kubectl layer null",
                        s -> clusterBuilder(s).kubectlLayer(null).build(),
                        "[Test/Cluster] kubectlLayer" + NOT_NULL + "kubectlLayer unset for its default, or pass a "
                                + "value"),
                bad("KnativeClusterProps.instanceType", "instance too small",
                        s -> clusterBuilder(s).instanceType(new InstanceType("t3.micro")).build(),
                        "[Test/Cluster] instanceType (t3.micro) is too small to host the Istio and Knative control "
                                + "planes (sizes [nano, micro, small, medium] are not allowed): use large or bigger, "
                                + "e.g. m6i.xlarge"),
                bad("KnativeClusterProps.instanceType", "instance malformed",
                        s -> clusterBuilder(s).instanceType(new InstanceType("m6ixlarge")).build(),
                        "[Test/Cluster] instanceType (\"m6ixlarge\") must be an EC2 instance type such as m6i.xlarge: "
                                + "use the <family>.<size> form"),
                bad("KnativeClusterProps.desiredSize", "no nodes", s -> clusterBuilder(s).desiredSize(0).build(),
                        "[Test/Cluster] desiredSize (0) must be between 1 and 450: set desiredSize within that range"),
                bad("KnativeClusterProps.desiredSize", "desired above max",
                        s -> clusterBuilder(s).desiredSize(5).minSize(1).maxSize(3).build(),
                        "[Test/Cluster] desiredSize (5) must lie between minSize (1) and maxSize (3): change "
                                + "desiredSize or the bounds"),
                bad("KnativeClusterProps.minSize", "negative min", s -> clusterBuilder(s).minSize(-1).build(),
                        "[Test/Cluster] minSize (-1) must be between 0 and 450: set minSize within that range"),
                bad("KnativeClusterProps.minSize", "min above max", s -> clusterBuilder(s).minSize(5).maxSize(3)
                        .build(), "[Test/Cluster] minSize (5) must not exceed maxSize (3): raise maxSize or lower "
                                + "minSize"),
                bad("KnativeClusterProps.maxSize", "too many nodes", s -> clusterBuilder(s).maxSize(1000).build(),
                        "[Test/Cluster] maxSize (1000) must be between 1 and 450: set maxSize within that range"),
                bad("KnativeClusterProps.adminPrincipalArn", "admin not an ARN",
                        s -> clusterBuilder(s).adminPrincipalArn("alice").build(),
                        "[Test/Cluster] adminPrincipalArn (\"alice\") must be an IAM role or user ARN: use "
                                + "arn:<partition>:iam::<account>:role/<name> with partition aws, aws-cn, aws-us-gov, "
                                + "aws-iso*, or aws-eusc (for an assumed-role session, the role it assumed)"),
                bad("KnativeClusterProps.adminPrincipalArn", "admin is an STS session",
                        s -> clusterBuilder(s).adminPrincipalArn("arn:aws:sts::" + NINE + ":assumed-role/Admin/alice")
                                .build(), "[Test/Cluster] adminPrincipalArn (\"arn:aws:sts::" + NINE
                                + ":assumed-role/Admin/alice\") must be an IAM role or user ARN: use "
                                + "arn:<partition>:iam::<account>:role/<name> with partition aws, aws-cn, aws-us-gov, "
                                + "aws-iso*, or aws-eusc (for an assumed-role session, the role it assumed)"),
                bad("KnativeClusterProps.adminPrincipalArn", "admin with whitespace",
                        s -> clusterBuilder(s).adminPrincipalArn("arn:aws:iam::" + NINE + ":role/Platform Admin")
                                .build(), "[Test/Cluster] adminPrincipalArn (\"arn:aws:iam::" + NINE
                                + ":role/Platform Admin\") must be an IAM role or user ARN: use "
                                + "arn:<partition>:iam::<account>:role/<name> with partition aws, aws-cn, aws-us-gov, "
                                + "aws-iso*, or aws-eusc (for an assumed-role session, the role it assumed)"),
                bad("KnativeClusterProps.adminPrincipalArn", "admin in unknown partition",
                        s -> clusterBuilder(s).adminPrincipalArn("arn:aws-mars:iam::" + NINE + ":role/Admin").build(),
                        "[Test/Cluster] adminPrincipalArn (\"arn:aws-mars:iam::" + NINE + ":role/Admin\") must be "
                                + "an IAM role or user ARN: use arn:<partition>:iam::<account>:role/<name> with "
                                + "partition aws, aws-cn, aws-us-gov, aws-iso*, or aws-eusc (for an assumed-role "
                                + "session, the role it assumed)"),
                bad("KnativeClusterProps.adminPrincipalArn", "admin from context", s -> {
                    s.getNode().setContext("adminPrincipalArn", "bob");
                    clusterBuilder(s).build();
                }, "[Test/Cluster] adminPrincipalArn (\"bob\") must be an IAM role or user ARN: use "
                        + "arn:<partition>:iam::<account>:role/<name> with partition aws, aws-cn, aws-us-gov, "
                        + "aws-iso*, or aws-eusc (for an assumed-role session, the role it assumed)"),
                bad("KnativeClusterProps.adminPrincipalArn", "admin null",
                        s -> clusterBuilder(s).adminPrincipalArn(null).build(),
                        "[Test/Cluster] adminPrincipalArn" + NOT_NULL + "adminPrincipalArn unset for its default, "
                                + "or pass a value"),
                bad("KnativeClusterProps.apiAllowedCidrs", "CIDR prefix too long",
                        s -> clusterBuilder(s).apiAllowedCidrs(List.of("203.0.113.0/33")).build(),
                        "[Test/Cluster] apiAllowedCidrs (\"203.0.113.0/33\") must be an IPv4 CIDR block: use a value "
                                + "such as \"203.0.113.0/24\""),
                bad("KnativeClusterProps.apiAllowedCidrs", "CIDR octet out of range",
                        s -> clusterBuilder(s).apiAllowedCidrs(List.of("198.51.100.0/24", "256.1.1.0/24")).build(),
                        "[Test/Cluster] apiAllowedCidrs (\"256.1.1.0/24\") must be an IPv4 CIDR block: use a value "
                                + "such as \"203.0.113.0/24\""),
                bad("KnativeClusterProps.apiAllowedCidrs", "CIDR private", s -> clusterBuilder(s)
                        .apiAllowedCidrs(List.of("10.1.0.0/16")).build(), "[Test/Cluster] apiAllowedCidrs "
                                + "(\"10.1.0.0/16\") lies in 10.0.0.0/8, which is not publicly routable (EKS takes "
                                + "only public addresses for the public endpoint; the private endpoint already serves "
                                + "the VPC): list the public addresses your clients connect from, or pass an empty "
                                + "list for a private endpoint"),
                bad("KnativeClusterProps.apiAllowedCidrs", "CIDR loopback", s -> clusterBuilder(s)
                        .apiAllowedCidrs(List.of("127.0.0.1/32")).build(), "[Test/Cluster] apiAllowedCidrs "
                                + "(\"127.0.0.1/32\") lies in 127.0.0.0/8, which is not publicly routable (EKS takes "
                                + "only public addresses for the public endpoint; the private endpoint already serves "
                                + "the VPC): list the public addresses your clients connect from, or pass an empty "
                                + "list for a private endpoint"),
                bad("KnativeClusterProps.apiAllowedCidrs", "CIDR element null", s -> clusterBuilder(s)
                        .apiAllowedCidrs(Arrays.asList("198.51.100.0/24", null)).build(),
                        "[Test/Cluster] apiAllowedCidrs (null) must not be null: use a value such as "
                                + "\"203.0.113.0/24\""),
                bad("KnativeClusterProps.apiAllowedCidrs", "CIDRs null",
                        s -> clusterBuilder(s).apiAllowedCidrs(null).build(),
                        "[Test/Cluster] apiAllowedCidrs" + NOT_NULL + "apiAllowedCidrs unset for its default, or "
                                + "pass a value"),

                // KnativePlatform
                bad("KnativePlatformProps.cluster", "platform without cluster",
                        s -> KnativePlatform.Builder.create(s, "Platform").build(),
                        "[Test/Platform] cluster (null) is required: pass the KnativeCluster to install on, or any "
                                + "eks_v2 ICluster (e.g. Cluster.fromClusterAttributes(...) with its kubectlProvider)"),
                bad("KnativePlatformProps.installPodIdentityAgent", "agent add-on on a KnativeCluster",
                        s -> platform(s).installPodIdentityAgent(true).build(), "[Test/Platform] "
                                + "installPodIdentityAgent (true) would add a second eks-pod-identity-agent add-on to the cluster "
                                + "Test/Cluster/Cluster, which has one already (Test/Cluster/Cluster/"
                                + "EksPodIdentityAgentAddon; EKS takes one add-on of a name per cluster): remove "
                                + "installPodIdentityAgent(true)"),
                bad("KnativePlatformProps.installPodIdentityAgent", "agent add-on on a cluster that has one",
                        s -> KnativePlatform.Builder.create(s, "Platform").cluster((ICluster) clusterBuilder(s).build()
                                .getCluster()).installPodIdentityAgent(true).build(), "[Test/Platform] "
                                + "installPodIdentityAgent (true) would add a second eks-pod-identity-agent add-on to "
                                + "the cluster Test/Cluster/Cluster, which has one already (Test/Cluster/Cluster/"
                                + "EksPodIdentityAgentAddon; EKS takes one add-on of a name per cluster): remove "
                                + "installPodIdentityAgent(true)"),
                bad("KnativePlatformProps.removalPolicy", "platform removal policy null",
                        s -> platform(s).removalPolicy(null).build(),
                        "[Test/Platform] removalPolicy" + NOT_NULL + "removalPolicy unset for its default, or pass "
                                + "a value"),
                bad("KnativePlatformProps.logRetention", "platform log retention null",
                        s -> platform(s).logRetention(null).build(),
                        "[Test/Platform] logRetention" + NOT_NULL + "logRetention unset for its default, or pass "
                                + "a value"),
                bad("KnativePlatformProps.cluster", "two platforms on one cluster", s -> {
                    KnativeCluster c = clusterBuilder(s).build();
                    KnativePlatform.Builder.create(s, "Platform").cluster(c).build();
                    KnativePlatform.Builder.create(s, "Second").cluster(c).build();
                }, "[Test/Second] cluster (Test/Cluster) already runs the platform Test/Platform; one cluster takes "
                        + "one KnativePlatform (Istio, the Knative Operator and their namespaces are cluster-wide): "
                        + "use that platform, or give this one its own KnativeCluster"),
                bad("KnativePlatformProps.cluster", "cluster without access entries", s -> {
                    KnativeCluster c = clusterBuilder(s).build();
                    ((CfnCluster) c.getCluster().getNode().getDefaultChild()).setAccessConfig(
                            CfnCluster.AccessConfigProperty.builder().authenticationMode("CONFIG_MAP").build());
                    KnativePlatform.Builder.create(s, "Platform").cluster(c).build();
                }, "[Test/Platform] cluster (Test/Cluster) has authentication mode CONFIG_MAP, where the readiness "
                        + "waits' access entry cannot exist: keep eks_v2's authentication mode API, or use "
                        + "API_AND_CONFIG_MAP"),
                bad("KnativePlatformProps.knativeVersion", "knative older than operator supports",
                        s -> platform(s).knativeVersion(KnativeVersion.of("1.19", 32)).build(),
                        "[Test/Platform] knativeVersion (1.19) must be 1.20 to 1.23, the releases Knative Operator "
                                + "v1.23.0 installs: use KnativeVersion.V1_23"),
                bad("KnativePlatformProps.knativeVersion", "knative needs newer kubernetes",
                        s -> KnativePlatform.Builder.create(s, "Platform").cluster(clusterBuilder(s)
                                .kubernetesVersion(KubernetesVersion.V1_33).kubectlLayer(LayerVersion
                                        .fromLayerVersionArn(s, "Layer", "arn:aws:lambda:us-east-1:" + NINE
                                                + ":layer:kubectl133:1")).build()).build(),
                        "[Test/Platform] knativeVersion (1.23) needs Kubernetes 1.34 or newer, but the cluster runs "
                                + "1.33: raise the cluster's kubernetesVersion"),
                bad("KnativePlatformProps.knativeVersion", "knative version null",
                        s -> platform(s).knativeVersion(null).build(),
                        "[Test/Platform] knativeVersion" + NOT_NULL + "knativeVersion unset for its default, or pass "
                                + "a value"),
                bad("KnativeVersion.of", "knative version malformed",
                        s -> platform(s).knativeVersion(KnativeVersion.of("latest", 34)).build(),
                        "[Test/Platform] knativeVersion (latest) must be 1.20 to 1.23, the releases Knative Operator "
                                + "v1.23.0 installs: use KnativeVersion.V1_23"),
                bad("KnativeVersion.of", "knative version string null",
                        s -> platform(s).knativeVersion(KnativeVersion.of(null, 34)).build(),
                        "[Test/Platform] knativeVersion (null) must be 1.20 to 1.23, the releases Knative Operator "
                                + "v1.23.0 installs: use KnativeVersion.V1_23"),
                bad("KnativePlatformProps.istioVersion", "istio older line",
                        s -> platform(s).istioVersion("1.30.3").build(),
                        "[Test/Platform] istioVersion (\"1.30.3\") must be an Istio 1.31.x release (the line Knative "
                                + "1.23 runs with that supports Kubernetes up to 1.37): use \"1.31.1\""),
                bad("KnativePlatformProps.istioVersion", "istio too old for kubernetes",
                        s -> KnativePlatform.Builder.create(s, "Platform").cluster(clusterBuilder(s)
                                .kubernetesVersion(KubernetesVersion.of("1.38")).kubectlLayer(LayerVersion
                                        .fromLayerVersionArn(s, "Layer", "arn:aws:lambda:us-east-1:" + NINE
                                                + ":layer:kubectl138:1")).build()).build(),
                        "[Test/Platform] istioVersion (1.31.1) supports Kubernetes up to 1.37, but the cluster runs "
                                + "1.38: lower the cluster's kubernetesVersion"),
                bad("KnativePlatformProps.istioVersion", "istio null", s -> platform(s).istioVersion(null).build(),
                        "[Test/Platform] istioVersion" + NOT_NULL + "istioVersion unset for its default, or pass a "
                                + "value"),
                bad("KnativePlatformProps.domain", "domain upper case", s -> platform(s).domain("Example.COM").build(),
                        "[Test/Platform] domain (\"Example.COM\") must be a DNS domain name of two or more lower-case "
                                + "labels: use a value such as \"example.com\""),
                bad("KnativePlatformProps.domain", "domain single label", s -> platform(s).domain("localhost").build(),
                        "[Test/Platform] domain (\"localhost\") must be a DNS domain name of two or more lower-case "
                                + "labels: use a value such as \"example.com\""),
                bad("KnativePlatformProps.domain", "domain null", s -> platform(s).domain(null).build(),
                        "[Test/Platform] domain" + NOT_NULL + "domain unset for its default, or pass a value"),
                bad("KnativePlatformProps.autoscaler", "platform autoscaler null",
                        s -> platform(s).autoscaler(null).build(),
                        "[Test/Platform] autoscaler" + NOT_NULL + "autoscaler unset for its default, or pass a value"),
                bad("KnativePlatformProps.autoscaler", "platform autoscaler checked at the platform's path",
                        s -> platformScale(s, Autoscaler.builder().minScale(5).maxScale(3)),
                        "[Test/Platform] autoscaler.minScale (5) must not exceed autoscaler.maxScale (3): raise "
                                + "maxScale or lower minScale"),
                bad("KnativePlatformProps.appNamespace", "namespace not DNS-1123",
                        s -> platform(s).appNamespace("My_Apps").build(),
                        "[Test/Platform] appNamespace (\"My_Apps\") must be a DNS-1123 label (lower-case letters, "
                                + "digits and '-', starting and ending with a letter or digit, at most 63 characters): "
                                + "use a value such as \"my-name\""),
                bad("KnativePlatformProps.appNamespace", "namespace 64 characters",
                        s -> platform(s).appNamespace("a".repeat(64)).build(),
                        "[Test/Platform] appNamespace (\"" + "a".repeat(64) + "\") must be a DNS-1123 label "
                                + "(lower-case letters, digits and '-', starting and ending with a letter or digit, at "
                                + "most 63 characters): use a value such as \"my-name\""),
                bad("KnativePlatformProps.appNamespace", "namespace is kube-system",
                        s -> platform(s).appNamespace("kube-system").build(),
                        "[Test/Platform] appNamespace (\"kube-system\") must not be a namespace of Kubernetes "
                                + "(kube-*), Knative (knative-*) or Istio (istio-system): use \"default\" or a "
                                + "namespace of your own"),
                bad("KnativePlatformProps.appNamespace", "namespace is knative-serving",
                        s -> platform(s).appNamespace("knative-serving").build(),
                        "[Test/Platform] appNamespace (\"knative-serving\") must not be a namespace of Kubernetes "
                                + "(kube-*), Knative (knative-*) or Istio (istio-system): use \"default\" or a "
                                + "namespace of your own"),
                bad("KnativePlatformProps.appNamespace", "namespace is an add-on's",
                        s -> platform(s).appNamespace("monitoring").build(),
                        "[Test/Platform] appNamespace (\"monitoring\") must not be the namespace of an add-on this "
                                + "library installs [amazon-cloudwatch, external-secrets, monitoring]: use "
                                + "\"default\" or a "
                                + "namespace of your own"),
                bad("KnativePlatformProps.appNamespace", "namespace is a token", s -> platform(s)
                        .appNamespace(token(s, "Ns")).build(), "[Test/Platform] appNamespace (\"" + "${Token[TOKEN."
                                + "]}\") must be a literal string, not a CDK token (it names Kubernetes objects and "
                                + "outputs, and is checked for clashes at synth): pass the value itself"),
                bad("KnativePlatformProps.appNamespace", "namespace null", s -> platform(s).appNamespace(null).build(),
                        "[Test/Platform] appNamespace" + NOT_NULL + "appNamespace unset for its default, or pass a "
                                + "value"),
                bad("KnativePlatformProps.metricsRetention", "retention too short",
                        s -> platform(s).metrics(true).metricsRetention(Duration.minutes(30))
                                .build(),
                        "[Test/Platform] metricsRetention (30 minutes) must be whole hours from 1 hour to 365 days: "
                                + "use e.g. Duration.days(7)"),
                bad("KnativePlatformProps.metricsRetention", "retention too long",
                        s -> platform(s).metrics(true).metricsRetention(Duration.days(400))
                                .build(),
                        "[Test/Platform] metricsRetention (400 days) must be whole hours from 1 hour to 365 days: "
                                + "use e.g. Duration.days(7)"),
                bad("KnativePlatformProps.metricsRetention", "retention null",
                        s -> platform(s).metrics(true).metricsRetention(null).build(),
                        "[Test/Platform] metricsRetention" + NOT_NULL + "metricsRetention unset for its default, or "
                                + "pass a value"),
                bad("KnativePlatformProps.metricsRetentionSize", "retention size too big",
                        s -> platform(s).metrics(true).metricsRetentionSize(Size.gibibytes(100)).build(),
                        "[Test/Platform] metricsRetentionSize (100 GiB) must be whole GiB from 1 to 64 (Prometheus "
                                + "keeps its data on the node's disk): use e.g. Size.gibibytes(4)"),
                bad("KnativePlatformProps.metricsRetentionSize", "retention size fractional",
                        s -> platform(s).metrics(true).metricsRetentionSize(Size.mebibytes(1536)).build(),
                        "[Test/Platform] metricsRetentionSize (1.5 GiB) must be whole GiB from 1 to 64 (Prometheus "
                                + "keeps its data on the node's disk): use e.g. Size.gibibytes(4)"),
                bad("KnativePlatformProps.metricsRetentionSize", "retention size null",
                        s -> platform(s).metricsRetentionSize(null).build(),
                        "[Test/Platform] metricsRetentionSize" + NOT_NULL + "metricsRetentionSize unset for its "
                                + "default, or pass a value"),
                bad("MetricsOptions.Builder.retention", "metrics options retention too short",
                        s -> platform(s).metrics(MetricsOptions.builder().retention(Duration.minutes(90)).build())
                                .build(),
                        "[Test/Platform] metrics.retention (1 hour 30 minutes) must be whole hours from 1 hour to 365 days: "
                                + "use e.g. Duration.days(7)"),
                bad("MetricsOptions.Builder.retention", "metrics options retention null",
                        s -> platform(s).metrics(MetricsOptions.builder().retention(null).build()).build(),
                        "[Test/Platform] metrics.retention" + NOT_NULL + "metrics.retention unset for its default, "
                                + "or pass a value"),
                bad("MetricsOptions.Builder.retentionSize", "metrics options retention size too small",
                        s -> platform(s).metrics(MetricsOptions.builder().retentionSize(Size.mebibytes(512)).build())
                                .build(),
                        "[Test/Platform] metrics.retentionSize (0.5 GiB) must be whole GiB from 1 to 64 (Prometheus "
                                + "keeps its data on the node's disk): use e.g. Size.gibibytes(4)"),
                bad("KnativePlatformProps.metrics", "metrics options null",
                        s -> platform(s).metrics((MetricsOptions) null).build(),
                        "[Test/Platform] metrics" + NOT_NULL + "metrics unset for its default, or pass a value"),
                bad("KnativePlatformProps.logs", "logs options null",
                        s -> platform(s).logs((LogsOptions) null).build(),
                        "[Test/Platform] logs" + NOT_NULL + "logs unset for its default, or pass a value"),

                // Autoscaler, cluster-wide (config-autoscaler) and per revision (annotations)
                bad("Autoscaler.Builder.enableScaleToZero", "scale to zero is cluster-wide",
                        s -> revisionScale(s, Autoscaler.builder().enableScaleToZero(false)),
                        "[Test/Workload] scale.enableScaleToZero (false) is a cluster-wide setting: set it on the "
                                + "platform's autoscaler"),
                bad("Autoscaler.Builder.scaleToZeroGracePeriod", "grace period zero",
                        s -> platformScale(s, Autoscaler.builder().scaleToZeroGracePeriod(Duration.seconds(0))),
                        "[Test/Platform] autoscaler.scaleToZeroGracePeriod (0 seconds) must be positive (Knative "
                                + "rejects other values): use a duration such as Duration.seconds(30)"),
                bad("Autoscaler.Builder.scaleToZeroGracePeriod", "grace period is cluster-wide",
                        s -> revisionScale(s, Autoscaler.builder().scaleToZeroGracePeriod(Duration.seconds(10))),
                        "[Test/Workload] scale.scaleToZeroGracePeriod (10 seconds) is a cluster-wide setting: set it "
                                + "on the platform's autoscaler"),
                bad("Autoscaler.Builder.scaleToZeroGracePeriod", "grace period null",
                        s -> platformScale(s, Autoscaler.builder().scaleToZeroGracePeriod(null)),
                        "[Test/Platform] autoscaler.scaleToZeroGracePeriod" + NOT_NULL
                                + "autoscaler.scaleToZeroGracePeriod unset for its default, or pass a value"),
                bad("Autoscaler.Builder.scaleToZeroPodRetentionPeriod", "retention null",
                        s -> platformScale(s, Autoscaler.builder().scaleToZeroPodRetentionPeriod(null)),
                        "[Test/Platform] autoscaler.scaleToZeroPodRetentionPeriod" + NOT_NULL
                                + "autoscaler.scaleToZeroPodRetentionPeriod unset for its default, or pass a value"),
                bad("Autoscaler.Builder.scaleToZeroPodRetentionPeriod", "revision retention over an hour",
                        s -> revisionScale(s, Autoscaler.builder().scaleToZeroPodRetentionPeriod(Duration.minutes(61))),
                        "[Test/Workload] scale.scaleToZeroPodRetentionPeriod (1 hour 1 minute) must be "
                                + "between 0 seconds "
                                + "and 1 hour (Knative rejects other values): use 0s or a period such as "
                                + "Duration.minutes(5)"),
                bad("Autoscaler.Builder.stableWindow", "stable window too short",
                        s -> platformScale(s, Autoscaler.builder().stableWindow(Duration.seconds(2))),
                        "[Test/Platform] autoscaler.stableWindow (2 seconds) must be whole seconds between 6 seconds "
                                + "and 1 hour (Knative rejects other values): use a duration such as "
                                + "Duration.seconds(60)"),
                bad("Autoscaler.Builder.stableWindow", "stable window sub-second",
                        s -> revisionScale(s, Autoscaler.builder().stableWindow(Duration.millis(6500))),
                        "[Test/Workload] scale.stableWindow (6 seconds 500 millis) must be whole seconds "
                                + "between 6 seconds "
                                + "and 1 hour (Knative rejects other values): use a duration such as "
                                + "Duration.seconds(60)"),
                bad("Autoscaler.Builder.initialScale", "negative initial scale",
                        s -> platformScale(s, Autoscaler.builder().initialScale(-1)),
                        "[Test/Platform] autoscaler.initialScale (-1) must be between 0 and 2147483647: set "
                                + "autoscaler.initialScale within that range"),
                bad("Autoscaler.Builder.initialScale", "revision initial scale 0 without the opt-in",
                        s -> revisionScale(s, Autoscaler.builder().initialScale(0)),
                        "[Test/Workload] scale.initialScale (0) needs Knative's cluster-wide allow-zero-initial-scale: "
                                + "set initialScale(0) on the platform's autoscaler too, or use 1 or more here"),
                bad("Autoscaler.Builder.minScale", "negative min scale",
                        s -> platformScale(s, Autoscaler.builder().minScale(-1)),
                        "[Test/Platform] autoscaler.minScale (-1) must be between 0 and 2147483647: set "
                                + "autoscaler.minScale within that range"),
                bad("Autoscaler.Builder.minScale", "revision min above max",
                        s -> revisionScale(s, Autoscaler.builder().minScale(3).maxScale(1)),
                        "[Test/Workload] scale.minScale (3) must not exceed scale.maxScale (1): raise maxScale or "
                                + "lower minScale"),
                bad("Autoscaler.Builder.maxScale", "negative max scale",
                        s -> platformScale(s, Autoscaler.builder().maxScale(-2)),
                        "[Test/Platform] autoscaler.maxScale (-2) must be between 0 and 2147483647: set "
                                + "autoscaler.maxScale within that range"),
                bad("Autoscaler.Builder.containerConcurrencyTargetDefault", "cluster target below what Knative takes",
                        s -> platformScale(s, Autoscaler.builder().containerConcurrencyTargetDefault(0.012)),
                        "[Test/Platform] autoscaler.containerConcurrencyTargetDefault (0.012) must be at least 0.0143 "
                                + "requests in flight per pod (Knative multiplies it by its 70% target utilization): "
                                + "use a target such as 100"),
                bad("Autoscaler.Builder.containerConcurrencyTargetDefault", "revision target zero",
                        s -> revisionScale(s, Autoscaler.builder().containerConcurrencyTargetDefault(0)),
                        "[Test/Workload] scale.containerConcurrencyTargetDefault (0.0) must be at least 0.0100 "
                                + "requests in flight per pod: use a target such as 100"),
                bad("Autoscaler.Builder.containerConcurrencyTargetDefault", "target not a number",
                        s -> platformScale(s, Autoscaler.builder().containerConcurrencyTargetDefault(Double.NaN)),
                        "[Test/Platform] autoscaler.containerConcurrencyTargetDefault (NaN) must be at least 0.0143 "
                                + "requests in flight per pod (Knative multiplies it by its 70% target utilization): "
                                + "use a target such as 100"),

                // KnativeWorkload
                // KnativePlatform.fromPlatformAttributes
                bad("KnativePlatformAttributes.Builder.cluster", "imported platform without cluster",
                        s -> imported(s, KnativePlatformAttributes.builder().servingControllerRoleArn(
                                "arn:aws:iam::" + NINE + ":role/serving-controller")),
                        "[Test/Platform] cluster (null) is required: pass the platform's cluster, imported with "
                                + "Cluster.fromClusterAttributes(...) and its kubectlProvider"),
                bad("KnativePlatformAttributes.Builder.cluster", "imported platform's cluster without kubectl",
                        s -> imported(s, KnativePlatformAttributes.builder().cluster(AnyClusterTest.imported(s, false))
                                .servingControllerRoleArn("arn:aws:iam::" + NINE + ":role/serving-controller")),
                        "[Test/Platform] cluster (Test/TeamCluster) has no kubectl provider, so no chart or manifest "
                                + "can be applied to it: import it with Cluster.fromClusterAttributes(..., "
                                + "ClusterAttributes.builder().clusterName(...).kubectlProvider(KubectlProvider"
                                + ".fromKubectlProviderAttributes(...)).build())"),
                bad("KnativePlatformAttributes.Builder.servingControllerRoleArn", "imported platform without serving role",
                        s -> imported(s, KnativePlatformAttributes.builder().cluster(AnyClusterTest.imported(s, true))),
                        "[Test/Platform] servingControllerRoleArn (null) is required: pass "
                                + "platform.getServingControllerRole().getRole().getRoleArn() of the platform's app"),
                bad("KnativePlatformAttributes.Builder.servingControllerRoleArn", "serving role not an ARN",
                        s -> imported(s, attributes(s).servingControllerRoleArn("serving-controller")),
                        "[Test/Platform] servingControllerRoleArn (\"serving-controller\") must be an IAM role ARN: "
                                + "use arn:<partition>:iam::<account>:role/<name>, the role's ARN in the platform's app"),
                bad("KnativePlatformAttributes.Builder.externalSecretsRoleArn", "external secrets role is a user",
                        s -> imported(s, attributes(s).externalSecretsRoleArn("arn:aws:iam::" + NINE + ":user/eso")),
                        "[Test/Platform] externalSecretsRoleArn (\"arn:aws:iam::" + NINE + ":user/eso\") must be an "
                                + "IAM role ARN: use arn:<partition>:iam::<account>:role/<name>, the role's ARN in the "
                                + "platform's app"),
                bad("KnativePlatformAttributes.Builder.appNamespace", "imported platform in a system namespace",
                        s -> imported(s, attributes(s).appNamespace("kube-system")), 
                        "[Test/Platform] appNamespace (\"kube-system\") must not be a namespace of Kubernetes "
                                + "(kube-*), Knative (knative-*) or Istio (istio-system): use \"default\" or a "
                                + "namespace of your own"),
                bad("KnativePlatformAttributes.Builder.domain", "imported platform domain upper case",
                        s -> imported(s, attributes(s).domain("Apps.Example.org")), 
                        "[Test/Platform] domain (\"Apps.Example.org\") must be a DNS domain name of two or more "
                                + "lower-case labels: use a value such as \"example.com\""),
                bad("KnativePlatformAttributes.Builder.ingressHostname", "imported ingress hostname blank",
                        s -> imported(s, attributes(s).ingressHostname(" ")),
                        "[Test/Platform] ingressHostname (\" \") is blank: pass the platform's IngressLoadBalancer "
                                + "output, or leave it unset to read it from the cluster"),
                bad("KnativePlatformAttributes.Builder.removalPolicy", "imported platform removal policy SNAPSHOT",
                        s -> imported(s, attributes(s).removalPolicy(RemovalPolicy.SNAPSHOT)), "[Test/Platform] "
                                + "removalPolicy (SNAPSHOT) " + REMOVAL),
                bad("KnativeWorkloadProps.platform", "workload on a platform of a foreign class",
                        s -> KnativeWorkload.Builder.create(s, "W").name("hello").image(ImageSource.fromImage("nginx:1"))
                                .platform((IKnativePlatform) java.lang.reflect.Proxy.newProxyInstance(
                                        IKnativePlatform.class.getClassLoader(), new Class<?>[] {IKnativePlatform.class},
                                        (proxy, method, args) -> method.getName().equals("getNode")
                                                ? new software.constructs.Construct(s, "Foreign").getNode() : null))
                                .build(),
                        "[Test/W] platform (Test/Foreign) is an IKnativePlatform of another class than "
                                + "KnativePlatform's, which workloads cannot run on: pass a KnativePlatform, or one "
                                + "imported with KnativePlatform.fromPlatformAttributes(...)"),
                bad("KnativeWorkloadProps.platform", "workload without platform",
                        s -> KnativeWorkload.Builder.create(s, "W").name("hello").build(),
                        "[Test/W] platform (null) is required: pass the KnativePlatform to run on"),
                bad("KnativeWorkloadProps.name", "service name with underscore",
                        s -> workload(s).name("hello_world").build(),
                        "[Test/Workload] name (\"hello_world\") must be a DNS-1035 label (lower-case letters, digits "
                                + "and '-', starting with a letter, at most 63 characters): use a value such as "
                                + "\"helloworld-python\""),
                bad("KnativeWorkloadProps.name", "service name 64 characters",
                        s -> workload(s).name("a".repeat(64)).build(),
                        "[Test/Workload] name (\"" + "a".repeat(64) + "\") must be a DNS-1035 label (lower-case "
                                + "letters, digits and '-', starting with a letter, at most 63 characters): use a "
                                + "value such as \"helloworld-python\""),
                bad("KnativeWorkloadProps.name", "route host over 253 characters", s -> {
                    String label = "d".repeat(63);
                    workloadOn(s, platform(s).appNamespace("n".repeat(63)).domain(label + "." + label).build())
                            .name("s".repeat(63)).build();
                }, "[Test/Workload] name (\"" + "s".repeat(63) + "\") makes the host " + "s".repeat(63) + "."
                        + "n".repeat(63) + "." + "d".repeat(63) + "." + "d".repeat(63) + " under Knative's domain "
                        + "template {{.Name}}.{{.Namespace}}.{{.Domain}}, 255 characters, more than DNS allows (253): "
                        + "shorten the name, the namespace or the domain"),
                bad("KnativeWorkloadProps.name", "two workloads named alike", s -> {
                    KnativePlatform p = platform(s).build();
                    workloadOn(s, p).build();
                    KnativeWorkload.Builder.create(s, "Again").platform(p).name("hello")
                            .image(ImageSource.fromImage("nginx:2")).build();
                }, "[Test/Again] name (\"hello\") would create Service default/hello, which Test/Workload already "
                        + "creates: give one of them another name or namespace"),
                bad("KnativeWorkloadProps.name", "name is a token", s -> workload(s).name(token(s, "Name")).build(),
                        "[Test/Workload] name (\"${Token[TOKEN.]}\") must be a literal string, not a CDK token (it "
                                + "names Kubernetes objects and outputs, and is checked for clashes at synth): pass "
                                + "the value itself"),
                bad("KnativeWorkloadProps.name", "workload without name",
                        s -> workload(s).name(null).build(),
                        "[Test/Workload] name (null) is required: name the service, e.g. \"hello\""),
                bad("KnativeWorkloadProps.namespace", "workload in kube-system",
                        s -> workload(s).namespace("kube-system").build(),
                        "[Test/Workload] namespace (\"kube-system\") must not be a namespace of Kubernetes (kube-*), "
                                + "Knative (knative-*) or Istio (istio-system): use \"default\" or a namespace of your "
                                + "own"),
                bad("KnativeWorkloadProps.namespace", "workload in istio-system",
                        s -> workload(s).namespace("istio-system").build(),
                        "[Test/Workload] namespace (\"istio-system\") must not be a namespace of Kubernetes (kube-*), "
                                + "Knative (knative-*) or Istio (istio-system): use \"default\" or a namespace of your "
                                + "own"),
                bad("KnativeWorkloadProps.namespace", "workload in default, platform elsewhere",
                        s -> workloadOn(s, platform(s).appNamespace("apps").build()).namespace("default").build(),
                        "[Test/Workload] namespace (\"default\") is a namespace Kubernetes creates itself but not the "
                                + "platform's appNamespace (\"apps\"), so nothing labels it for Istio sidecar "
                                + "injection: use the platform's appNamespace, or a namespace of your own (it is "
                                + "created for you)"),
                bad("KnativeWorkloadProps.namespace", "namespace null", s -> workload(s).namespace(null).build(),
                        "[Test/Workload] namespace" + NOT_NULL + "namespace unset for its default, or pass a value"),
                bad("KnativeWorkloadProps.image", "workload without image",
                        s -> KnativeWorkload.Builder.create(s, "W").platform(platform(s).build()).name("hello")
                                .build(),
                        "[Test/W] image (null) is required: use ImageSource.fromLocalDirectory(...), fromGit(...), "
                                + "fromImage(...), fromEcrRepository(...) or fromDockerBuild(...)"),
                bad("KnativeWorkloadProps.env", "env name with dash",
                        s -> workload(s).env(Map.of("MY-VAR", "x")).build(),
                        "[Test/Workload] env (\"MY-VAR\") must be an environment variable name (letters, digits and "
                                + "'_', not starting with a digit): use a value such as \"TARGET\""),
                bad("KnativeWorkloadProps.env", "env PORT", s -> workload(s).env(Map.of("PORT", "80")).build(),
                        "[Test/Workload] env (PORT) is set by Knative from containerPort: set containerPort instead"),
                bad("KnativeWorkloadProps.env", "env K_SERVICE", s -> workload(s).env(Map.of("K_SERVICE", "x"))
                        .build(), "[Test/Workload] env (K_SERVICE) is set by Knative itself [K_CONFIGURATION, "
                                + "K_REVISION, K_SERVICE, PORT]: use another name"),
                bad("KnativeWorkloadProps.env", "env value null", s -> {
                    Map<String, String> env = new HashMap<>();
                    env.put("TARGET", null);
                    workload(s).env(env).build();
                }, "[Test/Workload] env (TARGET) has a null value: pass a string, or \"\""),
                bad("KnativeWorkloadProps.env", "env null", s -> workload(s).env(null).build(),
                        "[Test/Workload] env" + NOT_NULL + "env unset for its default, or pass a value"),
                bad("KnativeWorkloadProps.containerPort", "container port zero",
                        s -> workload(s).containerPort(0).build(),
                        "[Test/Workload] containerPort (0) must be between 1 and 65535: set containerPort within that "
                                + "range"),
                bad("KnativeWorkloadProps.containerPort", "queue-proxy port",
                        s -> workload(s).containerPort(8012).build(),
                        "[Test/Workload] containerPort (8012) is reserved by Knative's queue-proxy [8008, 8012, 8013, "
                                + "8022, 9090, 9091]: let the container listen on another port, such as 8080"),
                bad("KnativeWorkloadProps.scale", "scale null", s -> workload(s).scale(null).build(),
                        "[Test/Workload] scale" + NOT_NULL + "scale unset for its default, or pass a value"),
                bad("KnativeWorkloadProps.buildServiceAccount", "two builds share build-bot", s -> {
                    KnativePlatform p = platform(s).build();
                    KnativeWorkload.Builder.create(s, "A").platform(p).name("a")
                            .image(ImageSource.fromGit(git().build())).build();
                    KnativeWorkload.Builder.create(s, "B").platform(p).name("b")
                            .image(ImageSource.fromGit(git().build())).build();
                }, "[Test/B] buildServiceAccount (\"build-bot\") is already used by another workload's build or "
                        + "service in namespace default: give this workload its own buildServiceAccount"),
                bad("KnativeWorkloadProps.serviceAccount", "two services share a service account", s -> {
                    KnativePlatform p = platform(s).build();
                    workloadOn(s, p).serviceAccount("shared").build();
                    KnativeWorkload.Builder.create(s, "B").platform(p).name("b").serviceAccount("shared")
                            .image(ImageSource.fromImage("nginx:1")).build();
                }, "[Test/B] serviceAccount (\"shared\") is already used by another workload's build or service in "
                        + "namespace default: give this workload its own serviceAccount"),
                bad("KnativeWorkloadProps.serviceAccount", "service as default",
                        s -> workload(s).serviceAccount("default").build(),
                        "[Test/Workload] serviceAccount (\"default\") must not be the namespace's default service "
                                + "account (every pod without its own would get this workload's IAM role): use a "
                                + "service account of its own, e.g. \"hello\""),
                bad("KnativeWorkloadProps.serviceAccount", "service account null",
                        s -> workload(s).serviceAccount(null).build(),
                        "[Test/Workload] serviceAccount" + NOT_NULL + "serviceAccount unset for its default, or pass "
                                + "a value"),
                bad("KnativeWorkloadProps.buildServiceAccount", "build as default",
                        s -> workload(s).buildServiceAccount("default").build(),
                        "[Test/Workload] buildServiceAccount (\"default\") must not be the namespace's default "
                                + "service account (every pod without its own would get the build's push access): "
                                + "use a service account of its own, e.g. \"build-bot\""),
                bad("KnativeWorkloadProps.buildServiceAccount", "build account null",
                        s -> workload(s).buildServiceAccount(null).build(),
                        "[Test/Workload] buildServiceAccount" + NOT_NULL + "buildServiceAccount unset for its default, "
                                + "or pass a value"),

                // Image sources and registries
                bad("ImageSource.fromEcrRepository", "ECR repository null",
                        s -> image(s, ImageSource.fromEcrRepository(null, "1.0.0")),
                        "[Test/Workload] image.repository (null) is required: pass the ECR repository, e.g. "
                                + "Repository.fromRepositoryName(this, \"Repo\", \"app\")"),
                bad("ImageSource.fromEcrRepository", "ECR tag with a space", s -> image(s, ImageSource
                        .fromEcrRepository(software.amazon.awscdk.services.ecr.Repository.fromRepositoryName(s,
                                "Repo", "app"), "latest tag")),
                        "[Test/Workload] image.tag (\"latest tag\") must be an image tag: use a value such as "
                                + "\"1.0.0\""),
                bad("ImageSource.fromImage", "image without tag", s -> image(s, ImageSource.fromImage("nginx")),
                        "[Test/Workload] image (\"nginx\") must name a tag or a digest, or the deployment would drift "
                                + "with :latest: add :<tag> or @sha256:<digest>"),
                bad("ImageSource.fromImage", "image upper case",
                        s -> image(s, ImageSource.fromImage("Docker.io/App:1")),
                        "[Test/Workload] image (\"Docker.io/App:1\") must be a container image reference "
                                + "([registry/]repository[:tag][@sha256:digest]): use a value such as "
                                + "\"ghcr.io/org/app:1.0\""),
                bad("ImageSource.fromImage", "image null", s -> image(s, ImageSource.fromImage(null)),
                        "[Test/Workload] image (null) must not be null: use a value such as \"ghcr.io/org/app:1.0\""),
                bad("ImageSource.fromImage", "image registry hidden in a token",
                        s -> image(s, ImageSource.fromImage(token(s, "Image"))),
                        "[Test/Workload] image (\"${Token[TOKEN.]}\") hides its registry in a CDK token, so it is "
                                + "unknown at synth whether Knative Serving's controller needs pull on an ECR "
                                + "repository: pass a literal reference, or repository.repositoryUriForTag(\"<tag>\") "
                                + "for an ECR repository"),
                bad("ImageSource.fromImage", "ECR repository URI without tag", s -> image(s, ImageSource.fromImage(
                        software.amazon.awscdk.services.ecr.Repository.Builder.create(s, "Repo").build()
                                .getRepositoryUri())),
                        "[Test/Workload] image (\"${Token[TOKEN.]}.dkr.ecr.${Token[TOKEN.]}.${Token[AWS.URLSuffix.]}/"
                                + "${Token[TOKEN.]}\") must name a tag or a digest, or the deployment would drift with "
                                + ":latest: use repository.repositoryUriForTag(\"<tag>\") or add @sha256:<digest>"),
                bad("ImageSource.fromImage", "ECR-like host of no known form",
                        s -> image(s, ImageSource.fromImage(NINE + ".dkr.ecr.eu-west-1.example.com/app:1")),
                        "[Test/Workload] image (\"" + NINE + ".dkr.ecr.eu-west-1.example.com/app:1\") names a registry "
                                + "that looks like Amazon ECR but is none of its forms (<account>.dkr.ecr[-fips]."
                                + "<region>.amazonaws.com[.cn], <account>.dkr-ecr[-fips].<region>.on.aws): copy the "
                                + "repository URI from the ECR console, e.g. 123456789012.dkr.ecr.eu-west-1."
                                + "amazonaws.com/app:1"),
                bad("ImageSource.fromDockerBuild", "image directory without Dockerfile",
                        s -> image(s, ImageSource.fromDockerBuild("src")),
                        "[Test/Workload] image.directory (\"src\") must be a directory with a Dockerfile (relative to "
                                + java.nio.file.Paths.get("").toAbsolutePath() + "): point at the folder of your app, "
                                + "e.g. examples/hello-python"),
                bad("ImageSource.fromDockerBuild", "image directory null",
                        s -> image(s, ImageSource.fromDockerBuild(null)),
                        "[Test/Workload] image.directory (null) must not be null: point at the folder of your app, "
                                + "e.g. examples/hello-python"),
                bad("ImageSource.fromDirectory", "deprecated fromDirectory without Dockerfile",
                        s -> image(s, deprecatedFromDirectory("src")),
                        "[Test/Workload] image.directory (\"src\") must be a directory with a Dockerfile (relative to "
                                + java.nio.file.Paths.get("").toAbsolutePath() + "): point at the folder of your app, "
                                + "e.g. examples/hello-python"),
                bad("ImageSource.fromLocalDirectory", "local directory missing",
                        s -> image(s, ImageSource.fromLocalDirectory("no/such/app")),
                        "[Test/Workload] image.directory (\"no/such/app\") must be a directory (resolved to "
                                + Paths.get("no/such/app").toAbsolutePath() + "): give the app's folder relative to "
                                + "where cdk runs, e.g. examples/hello-python"),
                bad("ImageSource.fromLocalSource", "local source null", s -> image(s, ImageSource.fromLocalSource(null)),
                        "[Test/Workload] image.local (null) must not be null: pass a LocalSource to "
                                + "ImageSource.fromLocalSource, or use ImageSource.fromLocalDirectory"),
                bad("ImageSource.fromLocalSource", "local registry null", s -> image(s, ImageSource.fromLocalSource(
                        LocalSource.builder().directory("examples/hello-python").build(), null)),
                        "[Test/Workload] image.registry (null) must not be null: pass an ImageRegistry, or use "
                                + "ImageSource.fromLocalSource(source) for a new ECR repository"),
                bad("LocalSource.Builder.directory", "local directory not given",
                        s -> image(s, ImageSource.fromLocalSource(LocalSource.builder().build())),
                        "[Test/Workload] image.directory (null) is required: give the app's folder relative to where "
                                + "cdk runs, e.g. examples/hello-python"),
                bad("LocalSource.Builder.dockerfile", "local Dockerfile missing",
                        s -> image(s, ImageSource.fromLocalSource(LocalSource.builder().directory("examples/hello-python")
                                .dockerfile("Dockerfile.prod").build())),
                        "[Test/Workload] image.dockerfile (\"Dockerfile.prod\") must be a file in "
                                + Paths.get("examples/hello-python").toAbsolutePath()
                                + ": add a Dockerfile to the directory or name the one it has"),
                bad("LocalSource.Builder.dockerfile", "local Dockerfile outside the directory",
                        s -> localBuild(s, "examples/hello-python", "../event-display/Dockerfile"),
                        "[Test/Workload] image.dockerfile (\"../event-display/Dockerfile\") must be inside "
                                + HELLO_PYTHON + " (resolved to " + Paths.get("examples/event-display/Dockerfile")
                                .toAbsolutePath() + "): the build context is that directory, and the Dockerfile is "
                                + "read from it: move the Dockerfile into the directory, or build a directory that "
                                + "holds it"),
                bad("LocalSource.Builder.dockerfile", "local Dockerfile through a symbolic link",
                        s -> localBuild(s, fixture("linked-dockerfile", Map.of("Dockerfile", "docker/Dockerfile")),
                                "Dockerfile"),
                        "[Test/Workload] image.dockerfile (\"Dockerfile\") is reached through the symbolic link "
                                + Paths.get("target/validation-fixtures/linked-dockerfile/Dockerfile").toAbsolutePath()
                                + ", which the build context holds as a link, not as the file: name the Dockerfile by "
                                + "its real path inside the directory"),
                bad("LocalSource.Builder.directory", "local link out of the directory",
                        s -> localBuild(s, fixture("escaping-link", Map.of("config.json",
                                "/kaniko/.docker/config.json")), "docker/Dockerfile"),
                        "[Test/Workload] image.directory (\"target/validation-fixtures/escaping-link\") holds the "
                                + "symbolic link config.json -> /kaniko/.docker/config.json, which resolves outside "
                                + "the directory or to nothing (kaniko would follow it in its own container): replace "
                                + "the link with a copy of what it points to, or list config.json in .dockerignore"),
                bad("LocalSource.Builder.maxContextSize", "local context limit below 1 MiB",
                        s -> image(s, ImageSource.fromLocalSource(LocalSource.builder().directory("examples/hello-python")
                                .maxContextSize(Size.kibibytes(512)).build())),
                        "[Test/Workload] image.maxContextSize (0.5 MiB) must be at least 1 MiB: leave it unset for 500 "
                                + "MiB, or pass e.g. Size.mebibytes(100)"),
                bad("GitSource.Builder.rebuildKey", "rebuild key is a token",
                        s -> image(s, ImageSource.fromGit(git().rebuildKey(token(s, "Key")).build())),
                        "[Test/Workload] git.rebuildKey (\"${Token[TOKEN.]}\") must be a literal string, not a CDK "
                                + "token (the build's name and image tag are a hash of the build taken at synth, "
                                + "where a token has no value, so a new value would never start a build): pass the "
                                + "text itself, e.g. the date \"2026-11-27\""),
                bad("GitSource.Builder.rebuildKey", "rebuild key null",
                        s -> image(s, ImageSource.fromGit(git().rebuildKey(null).build())),
                        "[Test/Workload] git.rebuildKey" + NOT_NULL + "git.rebuildKey unset for its default, or pass a "
                                + "value"),
                bad("ImageSource.fromGit", "git source null", s -> image(s, ImageSource.fromGit(null)),
                        "[Test/Workload] image.git (null) must not be null: pass a GitSource to ImageSource.fromGit"),
                bad("ImageSource.fromGit", "git registry null", s -> image(s, ImageSource.fromGit(git().build(), null)),
                        "[Test/Workload] image.registry (null) must not be null: pass an ImageRegistry, or use "
                                + "ImageSource.fromGit(source) for a new ECR repository"),
                bad("ImageRegistry.dockerHub", "registry without credentials",
                        s -> image(s, ImageSource.fromGit(git().build(), ImageRegistry.dockerHub("docker.io/alice/app",
                                null))),
                        "[Test/Workload] registry.credentials (null) is required for a registry other than ECR: pass a "
                                + "Secrets Manager secret with username and password, or use ImageRegistry.ecr()"),
                bad("ImageRegistry.dockerHub", "registry repository with tag",
                        s -> image(s, ImageSource.fromGit(git().build(), ImageRegistry.dockerHub(
                                "docker.io/alice/app:1", null))),
                        "[Test/Workload] registry.repository (\"docker.io/alice/app:1\") must be an image repository "
                                + "without tag: use a value such as \"docker.io/myuser/app\""),
                bad("ImageRegistry.dockerHub", "registry repository null",
                        s -> image(s, ImageSource.fromGit(git().build(), ImageRegistry.dockerHub(null,
                                Secret.Builder.create(s, "Creds").build()))),
                        "[Test/Workload] registry.repository (null) must not be null: use a value such as "
                                + "\"docker.io/myuser/app\""),
                bad("ImageRegistry.withCredentials", "registry server not https",
                        s -> image(s, ImageSource.fromGit(git().build(), ImageRegistry.withCredentials(
                                "registry.example.com", "registry.example.com/app", Secret.Builder.create(s, "Creds")
                                        .build()))),
                        "[Test/Workload] registry.server (\"registry.example.com\") must be an https:// registry "
                                + "address: use a value such as \"https://index.docker.io/v1/\""),
                bad("ImageRegistry.withCredentials", "registry server with a password is never echoed",
                        s -> image(s, ImageSource.fromGit(git().build(), ImageRegistry.withCredentials(
                                "https://bob:hunter2@registry.example.com", "registry.example.com/app", null))),
                        "[Test/Workload] registry.server (<hidden: it holds credentials>) must not carry a user name "
                                + "or password (they would be written into the template or a manifest): name the "
                                + "registry only; the credentials come from the Secrets Manager secret"),
                bad("ImageRegistry.withCredentials", "registry server null",
                        s -> image(s, ImageSource.fromGit(git().build(), ImageRegistry.withCredentials(null,
                                "registry.example.com/app", null))),
                        "[Test/Workload] registry.server (null) must not be null: use a value such as "
                                + "\"https://index.docker.io/v1/\""),

                // GitSource
                bad("GitSource.Builder.url", "git url not https",
                        s -> image(s, ImageSource.fromGit(GitSource.builder().url("git@github.com:org/repo.git")
                                .build())),
                        "[Test/Workload] git.url (\"git@github.com:org/repo.git\") must be an https:// git repository "
                                + "URL: use a value such as \"https://github.com/org/repo.git\""),
                bad("GitSource.Builder.url", "git url missing",
                        s -> image(s, ImageSource.fromGit(GitSource.builder().build())),
                        "[Test/Workload] git.url (null) is required: pass the repository's HTTPS URL, e.g. "
                                + "https://github.com/org/repo.git"),
                bad("GitSource.Builder.url", "git url with user and token is never echoed",
                        s -> image(s, ImageSource.fromGit(GitSource.builder()
                                .url("https://alice:ghp_s3cr3t@github.com/org/repo.git").build())), HIDDEN_GIT_URL),
                bad("GitSource.Builder.url", "git url with a token as user is never echoed",
                        s -> image(s, ImageSource.fromGit(GitSource.builder()
                                .url("https://ghp_s3cr3t@github.com/org/repo.git").build())), HIDDEN_GIT_URL),
                bad("GitSource.Builder.branch", "git branch with ..", branch("main..evil"), badRef("main..evil")),
                bad("GitSource.Builder.branch", "git branch ending in a dot", branch("release."), badRef("release.")),
                bad("GitSource.Builder.branch", "git branch with //", branch("feature//x"), badRef("feature//x")),
                bad("GitSource.Builder.branch", "git branch part starting with a dot",
                        branch("feature/.x"), badRef("feature/.x")),
                bad("GitSource.Builder.branch", "git branch part ending in .lock",
                        branch("feature.lock/x"), badRef("feature.lock/x")),
                bad("GitSource.Builder.branch", "git branch ending with /", branch("feature/"), badRef("feature/")),
                bad("GitSource.Builder.branch", "git branch starting with -", branch("-x"), badRef("-x")),
                bad("GitSource.Builder.branch", "git branch with @{", branch("main@{1}"), badRef("main@{1}")),
                bad("GitSource.Builder.branch", "git branch HEAD", branch("HEAD"), badRef("HEAD")),
                bad("GitSource.Builder.branch", "git branch with refs/heads/",
                        s -> image(s, ImageSource.fromGit(git().branch("refs/heads/main").build())),
                        "[Test/Workload] git.branch (\"refs/heads/main\") is a full ref name, and the build adds "
                                + "refs/heads/ itself: drop the prefix: use \"main\""),
                bad("GitSource.Builder.tag", "git tag with refs/tags/",
                        s -> image(s, ImageSource.fromGit(git().tag("refs/tags/v1.0").build())),
                        "[Test/Workload] git.tag (\"refs/tags/v1.0\") is a full ref name, and the build adds "
                                + "refs/tags/ itself: drop the prefix: use \"v1.0\""),
                bad("GitSource.Builder.branch", "git branch null",
                        s -> image(s, ImageSource.fromGit(git().branch(null).build())),
                        "[Test/Workload] git.branch" + NOT_NULL + "git.branch unset for its default, or pass a value"),
                bad("GitSource.Builder.tag", "git tag with space",
                        s -> image(s, ImageSource.fromGit(git().tag("v 1").build())),
                        "[Test/Workload] git.tag (\"v 1\") " + REF_NAME),
                bad("GitSource.Builder.commit", "git commit short",
                        s -> image(s, ImageSource.fromGit(git().commit("abc123").build())),
                        "[Test/Workload] git.commit (\"abc123\") must be a full 40-character commit id: use a value "
                                + "such as \"0123456789abcdef0123456789abcdef01234567\""),
                bad("GitSource.Builder.subDirectory", "git subdirectory escapes",
                        s -> image(s, ImageSource.fromGit(git().subDirectory("../etc").build())),
                        "[Test/Workload] git.subDirectory (\"../etc\") must be a relative path inside the repository, "
                                + "without '..': use a value such as \"examples/hello-python\""),
                bad("GitSource.Builder.dockerfile", "git dockerfile absolute",
                        s -> image(s, ImageSource.fromGit(git().dockerfile("/Dockerfile").build())),
                        "[Test/Workload] git.dockerfile (\"/Dockerfile\") must be a relative path inside the build "
                                + "context, without '..': use a value such as \"Dockerfile\""),

                // ScheduledEvents
                bad("ScheduledEventsProps.platform", "events without platform",
                        s -> ScheduledEvents.Builder.create(s, "E").name("tick").build(),
                        "[Test/E] platform (null) is required: pass the KnativePlatform"),
                bad("ScheduledEventsProps.subscriber", "events without subscriber",
                        s -> ScheduledEvents.Builder.create(s, "E").platform(platform(s).build()).name("tick").build(),
                        "[Test/E] subscriber (null) is required: pass the KnativeWorkload that receives the events"),
                bad("ScheduledEventsProps.subscriber", "subscriber on another platform", s -> {
                    KnativePlatform other = KnativePlatform.Builder.create(s, "Other")
                            .cluster(KnativeCluster.Builder.create(s, "OtherCluster").build()).build();
                    events(s).platform(other).build();
                }, "[Test/Events] subscriber (Test/Display) runs on another platform than Test/Other: pass a "
                        + "workload of this platform"),
                bad("ScheduledEventsProps.name", "events name not DNS-1123", s -> events(s).name("Every_Minute")
                        .build(), "[Test/Events] name (\"Every_Minute\") must be a DNS-1123 label (lower-case "
                                + "letters, digits and '-', starting and ending with a letter or digit, at most 63 "
                                + "characters): use a value such as \"my-name\""),
                bad("ScheduledEventsProps.name", "two event flows named alike", s -> {
                    ScheduledEvents.Builder first = events(s);
                    first.build();
                    ScheduledEvents.Builder.create(s, "Again").platform(((KnativeWorkload) s.getNode()
                            .findChild("Display")).getPlatform()).name("tick").subscriber((KnativeWorkload) s.getNode()
                            .findChild("Display")).build();
                }, "[Test/Again] name (\"tick\") would create Broker default/tick, which Test/Events already creates: "
                        + "give one of them another name or namespace"),
                bad("ScheduledEventsProps.name", "events without name",
                        s -> events(s).name(null).build(),
                        "[Test/Events] name (null) is required: name the flow, e.g. \"every-minute\""),
                bad("ScheduledEventsProps.schedule", "schedule in words", s -> events(s).schedule("every minute")
                        .build(), "[Test/Events] schedule (\"every minute\") " + CRON + "has 2 fields" + CRON_FIX),
                bad("ScheduledEventsProps.schedule", "schedule minute out of range",
                        s -> events(s).schedule("60 * * * *").build(), "[Test/Events] schedule (\"60 * * * *\") "
                                + CRON + "has \"60\" as minute, not a value, range or step within 0-59" + CRON_FIX),
                bad("ScheduledEventsProps.schedule", "schedule day of week 7",
                        s -> events(s).schedule("0 9 * * 1-7").build(), "[Test/Events] schedule (\"0 9 * * 1-7\") "
                                + CRON + "has \"1-7\" as day-of-week, not a value, range or step within 0-6"
                                + CRON_FIX),
                bad("ScheduledEventsProps.schedule", "schedule @every", s -> events(s).schedule("@every 1m").build(),
                        "[Test/Events] schedule (\"@every 1m\") " + CRON + "is not a descriptor Knative accepts "
                                + "[@annually, @daily, @hourly, @midnight, @monthly, @weekly, @yearly]" + CRON_FIX),
                bad("ScheduledEventsProps.schedule", "schedule with seconds out of range",
                        s -> events(s).schedule("60 * * * * *").build(), "[Test/Events] schedule (\"60 * * * * *\") "
                                + CRON + "has \"60\" as second, not a value, range or step within 0-59" + CRON_FIX),
                bad("ScheduledEventsProps.schedule", "schedule step zero", s -> events(s).schedule("*/0 * * * *")
                        .build(), "[Test/Events] schedule (\"*/0 * * * *\") " + CRON + "has \"*/0\" as minute, "
                                + "not a value, range or step within 0-59" + CRON_FIX),
                bad("ScheduledEventsProps.schedule", "schedule null", s -> events(s).schedule(null).build(),
                        "[Test/Events] schedule" + NOT_NULL + "schedule unset for its default, or pass a value"),
                bad("ScheduledEventsProps.data", "data not JSON", s -> events(s).data("hello").build(),
                        "[Test/Events] data (hello) must be a JSON object (the events are sent as application/json): "
                                + "pass JSON such as {\"message\": \"hello\"}"),
                bad("ScheduledEventsProps.data", "data a JSON array", s -> events(s).data("[1, 2]").build(),
                        "[Test/Events] data ([1, 2]) must be a JSON object (the events are sent as "
                                + "application/json): "
                                + "pass JSON such as {\"message\": \"hello\"}"),
                bad("ScheduledEventsProps.data", "data with trailing text", s -> events(s).data("{} x").build(),
                        "[Test/Events] data ({} x) must be a JSON object (the events are sent as application/json): "
                                + "pass JSON such as {\"message\": \"hello\"}"),
                bad("ScheduledEventsProps.data", "data null", s -> events(s).data(null).build(),
                        "[Test/Events] data" + NOT_NULL + "data unset for its default, or pass a value"),

                // AwsEvents
                bad("AwsEventsProps.platform", "aws events without platform",
                        s -> AwsEvents.Builder.create(s, "A").name("orders").build(), "[Test/A] platform "
                                + "(null) is required: pass the KnativePlatform"),
                bad("AwsEventsProps.name", "aws events without name", s -> awsEvents(s).name(null).build(), "[Test/Orders] name (null) is "
                        + "required: name the flow, e.g. \"orders\""),
                bad("AwsEventsProps.name", "aws events name not DNS-1035", s -> awsEvents(s).name("1-orders").build(),
                        "[Test/Orders] name (\"1-orders\") must be a DNS-1035 label: use a value such as \"orders\""),
                bad("AwsEventsProps.name", "aws events name too long for its service account",
                        s -> awsEvents(s).name("o".repeat(57)).build(), "[Test/Orders] name "
                                + "(\"" + "o".repeat(57) + "\") is longer than 56 characters, so its "
                                + "service account " + "o".repeat(57) + "-source would not be a DNS label: "
                                + "use a shorter name"),
                bad("AwsEventsProps.name", "two aws event flows named alike", s -> {
                    awsEvents(s).build();
                    AwsEvents.Builder.create(s, "Again").platform(((KnativeWorkload) s.getNode().findChild("Display"))
                            .getPlatform()).name("orders").from(AwsEventSource.sqs(queue(s))).toBroker("default")
                            .build();
                }, "[Test/Again] name (\"orders\") would create IntegrationSource default/orders, which "
                        + "Test/Orders already creates: give one of them another name or namespace"),
                bad("AwsEventsProps.from", "aws events without origin", s -> AwsEvents.Builder.create(s, "A")
                        .platform(platform(s).build()).name("orders").toBroker("default").build(), "[Test/A] from (null) is required: pass AwsEventSource.sqs(...), s3(...) or dynamoDbStream(...), or use fromBroker(...)"),
                bad("AwsEventsProps.fromBroker", "aws events from AWS and a broker",
                        s -> awsEvents(s).fromBroker("default").build(), "[Test/Orders] fromBroker "
                                + "(\"default\") is set together with from: take the events from one of them"),
                bad("AwsEventsProps.fromBroker", "aws events from a broker to Knative",
                        s -> {
                            KnativePlatform p = platform(s).build();
                            AwsEvents.Builder.create(s, "A").platform(p).name("orders").fromBroker("default")
                                    .to(workloadOn(s, p).build()).build();
                        }, "[Test/A] fromBroker (\"default\") needs an AWS destination (a flow from a "
                                + "broker to Knative is a plain Trigger): pass to(AwsEventSink.sqs(...)), "
                                + "sns(...) or s3(...)"),
                bad("AwsEventsProps.fromBroker", "aws events broker not DNS-1123",
                        s -> awsSinkFrom(s, "Default"), "[Test/Out] fromBroker (\"Default\") must be a "
                                + "DNS-1123 label (lower-case letters, digits and '-', starting and ending "
                                + "with a letter or digit, at most 63 characters): use a value such as \"my-name\""),
                bad("AwsEventsProps.to", "aws events without destination", s -> AwsEvents.Builder.create(s, "A")
                        .platform(platform(s).build()).name("orders").from(AwsEventSource.sqs(queue(s))).build(),
                        "[Test/A] to (null) is required: pass a KnativeWorkload or an AwsEventSink, or use "
                                + "toBroker(...)"),
                bad("AwsEventsProps.to", "aws events with two destinations",
                        s -> awsEvents(s).toBroker("default").build(), "[Test/Orders] to (2 destinations) "
                                + "must be one destination: set one of to(workload), to(sink) and toBroker(...)"),
                bad("AwsEventsProps.to", "aws events to a workload of another platform", s -> {
                    AwsEvents.Builder flow = awsEvents(s);
                    flow.platform(KnativePlatform.Builder.create(s, "Other")
                            .cluster(KnativeCluster.Builder.create(s, "OtherCluster").build()).build()).build();
                }, "[Test/Orders] to (Test/Display) runs on another platform than Test/Other: pass a "
                        + "workload of this platform"),
                bad("AwsEventsProps.toBroker", "aws events to a broker not DNS-1123", s -> AwsEvents.Builder
                        .create(s, "A").platform(platform(s).build()).name("orders")
                        .from(AwsEventSource.sqs(queue(s))).toBroker("my_broker").build(), "[Test/A] "
                                + "toBroker (\"my_broker\") must be a DNS-1123 label (lower-case letters, "
                                + "digits and '-', starting and ending with a letter or digit, at most 63 "
                                + "characters): use a value such as \"my-name\""),
                bad("AwsEventsProps.eventType", "event type without a broker",
                        s -> awsEvents(s).eventType("com.example.order").build(), "[Test/Orders] eventType "
                                + "(\"com.example.order\") filters the events of fromBroker, which is not "
                                + "set: remove eventType, or take the events from a broker"),
                bad("AwsEventsProps.eventType", "event type blank", s -> AwsEvents.Builder.create(s, "A")
                        .platform(platform(s).build()).name("out").fromBroker("default").eventType(" ")
                        .to(AwsEventSink.sqs(queue(s))).build(), "[Test/A] eventType (\" \") is blank: pass "
                                + "a CloudEvent type, e.g. \"com.example.order.created\""),
                bad("AwsEventSource.sqs", "sqs source without queue",
                        s -> awsEvents(s).from(AwsEventSource.sqs(null)).build(), "[Test/Orders] from "
                                + "(null) has no queue: pass the queue to AwsEventSource.sqs(...)"),
                bad("AwsEventSource.sqs", "sqs source queue of another account", s -> {
                    Stack e = new Stack((App) s.getNode().getRoot(), "Prod", software.amazon.awscdk.StackProps
                            .builder().env(software.amazon.awscdk.Environment.builder().account(NINE)
                                    .region("eu-west-1").build()).build());
                    AwsEvents.Builder.create(e, "Orders").platform(platform(e).build()).name("orders")
                            .from(AwsEventSource.sqs(Queue.fromQueueArn(e, "Theirs",
                                    "arn:aws:sqs:eu-west-1:210987654321:orders"))).toBroker("default").build();
                }, "[Prod/Orders] from (Prod/Theirs) is a queue of account 210987654321, but the flow's "
                        + "role is in account 123456789012 (its grants do not reach another account): use a "
                        + "queue of account 123456789012"),
                bad("AwsEventSource.s3", "s3 source without bucket",
                        s -> awsEvents(s).from(AwsEventSource.s3(null)).build(), "[Test/Orders] from (null) "
                                + "has no bucket: pass the bucket to AwsEventSource.s3(...)"),
                bad("AwsEventSource.s3DeleteAfterRead", "deleting s3 source without bucket",
                        s -> awsEvents(s).from(AwsEventSource.s3DeleteAfterRead(null)).build(), "[Test/Orders] from (null) has no bucket: pass the bucket to AwsEventSource.s3DeleteAfterRead(...)"),
                bad("AwsEventSource.dynamoDbStream", "table without a stream", s -> awsEvents(s)
                        .from(AwsEventSource.dynamoDbStream(Table.Builder.create(s, "Table").partitionKey(Attribute
                                .builder().name("id").type(AttributeType.STRING).build()).build())).build(), "[Test/Orders] from (Test/Table) has no stream: give the table a stream, e.g. stream(StreamViewType.NEW_IMAGE)"),
                bad("AwsEventSource.dynamoDbStream", "table imported without its stream", s -> awsEvents(s)
                        .from(AwsEventSource.dynamoDbStream(Table.fromTableName(s, "Table", "orders"))).build(), "[Test/Orders] from (Test/Table) was imported without its stream's ARN: import it with Table.fromTableAttributes(...) and tableStreamArn"),
                bad("AwsEventSink.sqs", "sqs sink on a FIFO queue", s -> awsSink(s, AwsEventSink.sqs(Queue.Builder
                        .create(s, "Fifo").fifo(true).build())), "[Test/Out] to (Test/Fifo) is a FIFO queue "
                                + "(Knative's IntegrationSink sends without the message group id FIFO "
                                + "needs): use a standard queue"),
                bad("AwsEventSink.sns", "sns sink on a FIFO topic", s -> awsSink(s, AwsEventSink.sns(Topic.Builder
                        .create(s, "Fifo").fifo(true).topicName("alerts").build())), "[Test/Out] to "
                                + "(Test/Fifo) is a FIFO topic (Knative's IntegrationSink sends without the "
                                + "message group id FIFO needs): use a standard topic"),
                bad("AwsEventSink.sns", "sns sink without topic", s -> awsSink(s, AwsEventSink.sns(null)), "[Test/Out] to (null) has no "
                        + "topic: pass the topic to AwsEventSink.sns(...)"),
                bad("AwsEventSink.sqs", "sqs sink without queue", s -> awsSink(s, AwsEventSink.sqs(null)), "[Test/Out] to (null) has no "
                        + "queue: pass the queue to AwsEventSink.sqs(...)"),
                bad("AwsEventSink.s3", "s3 sink without bucket", s -> awsSink(s, AwsEventSink.s3(null)), "[Test/Out] to (null) has no "
                        + "bucket: pass the bucket to AwsEventSink.s3(...)"),

                // The Kubernetes side on its own (cdk8s charts for any cluster)
                bad("KnativeServingProps.Builder.version", "serving version null",
                        s -> chart(KnativeServingProps.builder().version(null)),
                        "[knative/Serving] version" + NOT_NULL + "version unset for its default, or pass a value"),
                bad("KnativeServingProps.Builder.domain", "serving domain with scheme",
                        s -> chart(KnativeServingProps.builder().domain("https://example.com")),
                        "[knative/Serving] domain (\"https://example.com\") must be a DNS domain name of two or more "
                                + "lower-case labels: use a value such as \"example.com\""),
                bad("KnativeServingProps.Builder.autoscaler", "serving autoscaler null",
                        s -> chart(KnativeServingProps.builder().autoscaler(null)),
                        "[knative/Serving] autoscaler" + NOT_NULL + "autoscaler unset for its default, or pass a "
                                + "value"),
                bad("KnativeServingProps.Builder.observability", "serving observability null",
                        s -> chart(KnativeServingProps.builder().observability(null)),
                        "[knative/Serving] observability" + NOT_NULL + "observability unset for its default, or pass "
                                + "a value"),
                bad("KnativeServiceProps.Builder.name", "service name null",
                        s -> service(service().name(null)),
                        "[svc/Service] name (null) is required: name the service, e.g. \"hello\""),
                bad("KnativeServiceProps.Builder.namespace", "service namespace upper case",
                        s -> service(service().namespace("Apps")),
                        "[svc/Service] namespace (\"Apps\") must be a DNS-1123 label (lower-case letters, digits and "
                                + "'-', starting and ending with a letter or digit, at most 63 characters): use a "
                                + "value such as \"my-name\""),
                bad("KnativeServiceProps.Builder.image", "service image digest malformed",
                        s -> service(service().image("nginx@sha256:abc")),
                        "[svc/Service] image (\"nginx@sha256:abc\") must be a container image reference "
                                + "([registry/]repository[:tag][@sha256:digest]): use a value such as "
                                + "\"ghcr.io/org/app:1.0\""),
                bad("KnativeServiceProps.Builder.env", "service env K_REVISION",
                        s -> service(service().env(Map.of("K_REVISION", "x"))),
                        "[svc/Service] env (K_REVISION) is set by Knative itself [K_CONFIGURATION, K_REVISION, "
                                + "K_SERVICE, PORT]: use another name"),
                bad("KnativeServiceProps.Builder.containerPort", "service port 9091",
                        s -> service(service().containerPort(9091)),
                        "[svc/Service] containerPort (9091) is reserved by Knative's queue-proxy [8008, 8012, 8013, "
                                + "8022, 9090, 9091]: let the container listen on another port, such as 8080"),
                bad("KnativeServiceProps.Builder.revisionAnnotations", "service revision annotations null",
                        s -> service(service().revisionAnnotations(null)),
                        "[svc/Service] revisionAnnotations" + NOT_NULL + "revisionAnnotations unset for its default, "
                                + "or pass a value"),
                bad("KnativeServiceProps.Builder.serviceAccountName", "service account name with underscore",
                        s -> service(service().serviceAccountName("orders_reader")),
                        "[svc/Service] serviceAccountName (\"orders_reader\") must be a DNS-1123 subdomain (lower-case "
                                + "letters, digits, '-' and '.', at most 253 characters): use a value such as "
                                + "\"my-name\""),
                bad("KnativeServiceProps.Builder.imagePullSecret", "service pull secret upper case",
                        s -> service(service().imagePullSecret("Registry")),
                        "[svc/Service] imagePullSecret (\"Registry\") must be a DNS-1123 subdomain (lower-case "
                                + "letters, digits, '-' and '.', at most 253 characters): use a value such as "
                                + "\"my-name\""),

                // Constructors of the Kubernetes side that take values directly
                bad("new KnativeChart", "chart creating default",
                        s -> new KnativeChart(new org.cdk8s.App(), "knative", KnativeServingProps.builder().build(),
                                "default"),
                        "[knative] appNamespace (\"default\") must not be a namespace Kubernetes creates itself "
                                + "[default, kube-node-lease, kube-public, kube-system], or deleting this chart would "
                                + "delete it: pass null here and label the existing namespace with a patch"),
                bad("new KnativeChart", "chart creating knative-eventing",
                        s -> new KnativeChart(new org.cdk8s.App(), "knative", KnativeServingProps.builder().build(),
                                "knative-eventing"),
                        "[knative] appNamespace (\"knative-eventing\") must not be a namespace of Kubernetes (kube-*), "
                                + "Knative (knative-*) or Istio (istio-system): use \"default\" or a namespace of your "
                                + "own"),
                bad("new KnativeChart", "chart without serving",
                        s -> new KnativeChart(new org.cdk8s.App(), "knative", null, null),
                        "[knative] serving (null) is required: pass KnativeServingProps.builder().build() for "
                                + "Knative's defaults"),
                bad("new KnativeEventing", "eventing without version", s -> new KnativeEventing(
                        new org.cdk8s.Chart(new org.cdk8s.App(), "c"), "Eventing", null, null),
                        "[c/Eventing] version (null) is required: pass KnativeVersion.V1_23"),
                bad("new KnativeMonitors", "monitors without namespace", s -> new KnativeMonitors(
                        new org.cdk8s.Chart(new org.cdk8s.App(), "c"), "Monitors", null),
                        "[c/Monitors] namespace (null) must not be null: use a value such as \"my-name\""),
                bad("new PingSource", "ping source without sink", s -> new PingSource(
                        new org.cdk8s.Chart(new org.cdk8s.App(), "c"), "Ping", "tick", "* * * * *", "{}", null),
                        "[c/Ping] sink (null) is required: pass the Broker that receives the events"),
                bad("new Trigger", "trigger without filter", s -> {
                    org.cdk8s.Chart c = new org.cdk8s.Chart(new org.cdk8s.App(), "c");
                    new Trigger(c, "Trigger", "t", new Broker(c, "Broker", "b", "default"), null, "display");
                }, "[c/Trigger] filter (null) is required: pass Map.of() to deliver every event"),
                bad("new RegistryCredentialsSync", "credentials sync without server", s -> new RegistryCredentialsSync(
                        new org.cdk8s.Chart(new org.cdk8s.App(), "c"), "Sync", "creds", "default", null, "key",
                        "eu-west-1"),
                        "[c/Sync] server (null) is required: pass the registry as Docker config names it"),

                bad("new KnativeCluster", "cluster without props", s -> new KnativeCluster(s, "Cluster", null),
                        "[Test/Cluster] props (null) is required: pass KnativeClusterProps.builder().build()"),
                bad("new KnativeService", "service without props", s -> new KnativeService(
                        new org.cdk8s.Chart(new org.cdk8s.App(), "svc"), "Service", null),
                        "[svc/Service] props (null) is required: pass KnativeServiceProps.builder()...build()"),

                bad("new PodIdentityRole", "pull grant without repository", s -> platform(s).build()
                        .getServingControllerRole().grantEcrPull(null),
                        "[Test/Platform/ServingController] repository (null) is required: pass the ECR repository to "
                                + "pull from"),

                // Pod identities the library would otherwise create for system service accounts
                bad("KnativeCluster.podIdentityRole", "pod identity in kube-system", s -> clusterBuilder(s).build()
                        .podIdentityRole("Dns", "kube-system", "coredns"),
                        "[Test/Cluster] namespace (\"kube-system\") must not be a namespace of Kubernetes (kube-*), "
                                + "Knative (knative-*) or Istio (istio-system): use \"default\" or a namespace of your "
                                + "own"),
                bad("PodIdentityRole.Builder.cluster", "pod identity role without cluster",
                        s -> PodIdentityRole.Builder.create(s, "Role").namespace("reports").serviceAccount("reader")
                                .build(),
                        "[Test/Role] cluster (null) is required: pass the EKS cluster the pods run on"),
                bad("PodIdentityRole.Builder.namespace", "pod identity role namespace not a label",
                        s -> podIdentityRole(s).namespace("Reports").build(),
                        "[Test/Role] namespace (\"Reports\") must be a DNS-1123 label (lower-case letters, digits and "
                                + "'-', starting and ending with a letter or digit, at most 63 characters): use a "
                                + "value such as \"my-name\""),
                bad("PodIdentityRole.Builder.serviceAccount", "pod identity role service account not a label",
                        s -> podIdentityRole(s).serviceAccount("reader_1").build(),
                        "[Test/Role] serviceAccount (\"reader_1\") must be a DNS-1123 label (lower-case letters, "
                                + "digits and '-', starting and ending with a letter or digit, at most 63 characters): "
                                + "use a value such as \"my-name\""));
    }

    /** A role for reports/reader on an imported cluster. */
    private static PodIdentityRole.Builder podIdentityRole(Stack stack) {
        return PodIdentityRole.Builder.create(stack, "Role").namespace("reports").serviceAccount("reader")
                .cluster(software.amazon.awscdk.services.eks_v2.Cluster.fromClusterAttributes(stack, "Imported",
                        software.amazon.awscdk.services.eks_v2.ClusterAttributes.builder().clusterName("apps")
                                .build()));
    }

    /** The deprecated factory, kept for one minor version: it must still work. */
    @SuppressWarnings("deprecation")
    private static ImageSource deprecatedFromDirectory(String directory) {
        return ImageSource.fromDirectory(directory);
    }

    /** Token numbers differ from run to run: {@code ${Token[TOKEN.123]}} reads as {@code ${Token[TOKEN.]}}. */
    private static String withoutTokenNumbers(String message) {
        return message.replaceAll("(\\$\\{Token\\[[A-Za-z.]+?)\\.?\\d+]}", "$1.]}");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badInputs")
    void badInputFailsAtSynthWithAClearMessage(String covers, String name, Consumer<Stack> build, String message) {
        Stack stack = new Stack(new App(), "Test");
        Throwable error = catchThrowable(() -> build.accept(stack));
        assertThat(error).as("%s should be rejected", name).isInstanceOf(ValidationError.class);
        assertThat(withoutTokenNumbers(error.getMessage())).isEqualTo(message);
    }

    /** A good input: the builder methods it exercises, a name, and the build, which must not throw. */
    private static Arguments good(List<String> covers, String name, Consumer<Stack> build) {
        return Arguments.of(covers, name, build);
    }

    @SuppressWarnings("deprecation") // rows for the deprecated bridges, which must keep working
    static Stream<Arguments> goodInputs() {
        return Stream.of(
                good(List.of("KnativePlatformAttributes.Builder.cluster",
                        "KnativePlatformAttributes.Builder.servingControllerRoleArn",
                        "KnativePlatformAttributes.Builder.appNamespace", "KnativePlatformAttributes.Builder.domain",
                        "KnativePlatformAttributes.Builder.ingressHostname",
                        "KnativePlatformAttributes.Builder.externalSecretsRoleArn",
                        "KnativePlatformAttributes.Builder.removalPolicy", "KnativeWorkloadProps.platform"),
                        "a platform of another app, its role ARNs as tokens, a workload starting at zero pods",
                        s -> {
                            IKnativePlatform p = imported(s, attributes(s)
                                    .servingControllerRoleArn(software.amazon.awscdk.services.ssm.StringParameter
                                            .valueForStringParameter(s, "/platform/serving-controller-role"))
                                    .externalSecretsRoleArn("arn:aws-cn:iam::" + NINE + ":role/platform/eso")
                                    .appNamespace("apps").domain("apps.example.org").https(true)
                                    .ingressHostname("lb-1.elb.eu-west-1.amazonaws.com").zeroInitialScale(true)
                                    .removalPolicy(RemovalPolicy.RETAIN));
                            KnativeWorkload w = KnativeWorkload.Builder.create(s, "Workload").platform(p)
                                    .name("hello").image(ImageSource.fromImage("nginx:1"))
                                    .scale(Autoscaler.builder().initialScale(0).build()).build();
                            assertThat(w.getPlatform()).isSameAs(p);
                            assertThat(w.getHost()).isEqualTo("hello-apps.apps.example.org");
                        }),
                good(List.of("KnativePlatformProps.cluster"), "defaults", s -> platform(s).build()),
                good(List.of("KnativePlatformProps.cluster", "KnativePlatformProps.installPodIdentityAgent",
                        "KnativePlatformProps.removalPolicy", "KnativePlatformProps.logRetention"),
                        "an imported cluster, the agent add-on, retained data, logs kept 10 years",
                        s -> {
                            KnativePlatform.Builder.create(s, "Platform").cluster(AnyClusterTest.imported(s, true))
                                    .installPodIdentityAgent(true).removalPolicy(RemovalPolicy.RETAIN)
                                    .logRetention(RetentionDays.TEN_YEARS).build();
                            assertThat(s.getNode().findAll()).filteredOn(c -> c instanceof
                                    software.amazon.awscdk.services.eks.CfnAddon).extracting(c -> c.getNode()
                                    .getPath()).containsExactly("Test/Platform/PodIdentityAgent/Resource");
                            software.amazon.awscdk.assertions.Template.fromStack(s).allResourcesProperties(
                                    "AWS::Logs::LogGroup", Map.of("RetentionInDays", 3653));
                        }),
                good(List.of("KnativeWorkloadProps.serviceAccount", "ImageSource.fromEcrRepository"),
                        "a service account of its own, an image from an ECR repository object",
                        s -> {
                            KnativeWorkload w = workload(s).serviceAccount("orders-reader").image(ImageSource
                                    .fromEcrRepository(software.amazon.awscdk.services.ecr.Repository
                                            .fromRepositoryName(s, "Repo", "team/orders"), "1.4.2")).build();
                            assertThat(w.getKnativeService().getResource().toJson().toString())
                                    .contains("serviceAccountName=orders-reader");
                            assertThat(software.amazon.awscdk.assertions.Annotations.fromStack(s)
                                    .findWarning("*", software.amazon.awscdk.assertions.Match.anyValue()).toString())
                                    .doesNotContain("latestImage");
                        }),
                good(List.of("KnativeClusterProps.kubernetesVersion", "KnativeClusterProps.instanceType",
                        "KnativeClusterProps.desiredSize", "KnativeClusterProps.minSize", "KnativeClusterProps.maxSize",
                        "KnativeClusterProps.vpc", "KnativeClusterProps.kubectlLayer"),
                        "kubernetes 1.34, ARM nodes, explicit sizes, own VPC and layer", s -> KnativeCluster.Builder
                                .create(s, "C").kubernetesVersion(KubernetesVersion.V1_34)
                                .instanceType(new InstanceType("m7g.large")).desiredSize(3).minSize(1).maxSize(450)
                                .vpc(software.amazon.awscdk.services.ec2.Vpc.Builder.create(s, "Vpc").build())
                                .kubectlLayer(LayerVersion.fromLayerVersionArn(s, "Layer",
                                        "arn:aws:lambda:us-east-1:" + NINE + ":layer:kubectl:1"))
                                .build()),
                good(List.of("KnativePlatformProps.hostedZone", "KnativeWorkloadProps.clusterLocal",
                        "KnativeWorkloadProps.customDomains", "KnativeWorkloadProps.traffic",
                        "Traffic.Builder.revisionName", "Traffic.Builder.previousRevisions", "Traffic.Builder.targets",
                        "KnativeServiceProps.Builder.traffic", "KnativeServingProps.Builder.domainTemplate"),
                        "routing: a zone, a canary with a tag, a custom domain and a private service", s -> {
                            KnativePlatform p = platform(s).domain("apps.example.org").hostedZone(zone(s, "example.org"))
                                    .build();
                            KnativeWorkload.Builder.create(s, "A").platform(p).name("a")
                                    .image(ImageSource.fromImage("nginx:1"))
                                    .customDomains(List.of(CustomDomain.of("www.example.org", zone(s, "example.org"))))
                                    .traffic(Traffic.builder().revisionName("v2").previousRevisions(List.of("v1"))
                                            .targets(List.of(TrafficTarget.revision("v1", 90).withTag("stable"),
                                                    TrafficTarget.revision("v2", 10).withTag("canary"))).build())
                                    .build();
                            KnativeWorkload.Builder.create(s, "B").platform(p).name("b")
                                    .image(ImageSource.fromImage("nginx:1")).clusterLocal(true).build();
                            service(service().traffic(Traffic.builder().targets(List.of(
                                    TrafficTarget.latestRevision(100))).build()));
                            chart(KnativeServingProps.builder().domainTemplate(DomainTemplate.ONE_LABEL));
                        }),
                good(List.of("KnativeClusterProps.removalPolicy", "KnativeClusterProps.logRetention"),
                        "retained data, also past a failed create; logs kept a day", s -> {
                            clusterBuilder(s).removalPolicy(RemovalPolicy.RETAIN).logRetention(RetentionDays.ONE_DAY)
                                    .build();
                            KnativeCluster.Builder.create(s, "Kept")
                                    .removalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE).build();
                            assertThat(software.amazon.awscdk.assertions.Template.fromStack(s)
                                    .findResources("AWS::KMS::Key").values()).extracting(r -> r.get("DeletionPolicy"))
                                    .contains("Retain", "RetainExceptOnCreate").doesNotContain("Snapshot", "Delete");
                        }),
                good(List.of("Traffic.Builder.targets", "KnativeWorkloadProps.name",
                        "KnativeWorkloadProps.customDomains"),
                        "hosts that differ only where the template joins them, DNS-1035 tags", s -> {
                            KnativePlatform p = platform(s).domain("apps.example.org").hostedZone(zone(s,
                                    "example.org")).build();
                            KnativeWorkload ab = KnativeWorkload.Builder.create(s, "A").platform(p).name("a-b")
                                    .namespace("c").image(ImageSource.fromImage("nginx:1")).build();
                            KnativeWorkload a = KnativeWorkload.Builder.create(s, "B").platform(p).name("a")
                                    .namespace("b-d").image(ImageSource.fromImage("nginx:1"))
                                    .traffic(Traffic.builder().targets(List.of(TrafficTarget.latestRevision(100)
                                            .withTag("v2-0"))).build())
                                    .customDomains(List.of(CustomDomain.of("a-b-c.example.org", zone(s,
                                            "example.org")))).build();
                            KnativeWorkload.Builder.create(s, "Local").platform(p).name("a-b").namespace("d")
                                    .clusterLocal(true).image(ImageSource.fromImage("nginx:1")).build();
                            assertThat(List.of(ab.getHost(), a.getHost()))
                                    .containsExactly("a-b-c.apps.example.org", "a-b-d.apps.example.org");
                            assertThat(software.amazon.awscdk.assertions.Template.fromStack(s).findOutputs("*")
                                    .toString()).contains("https://v2-0-a-b-d.apps.example.org",
                                            "https://a-b-c.example.org");
                        }),
                good(List.of("KnativePlatformProps.hostedZone", "KnativePlatformProps.cluster",
                        "KnativeWorkloadProps.customDomains"),
                        "cluster, zones, platform and workloads in stacks that depend one way", s -> {
                            Stack dns = stackBeside(s, "Dns");
                            Stack apps = stackBeside(s, "Apps");
                            KnativePlatform p = KnativePlatform.Builder.create(s, "Platform")
                                    .cluster(KnativeCluster.Builder.create(stackBeside(s, "Eks"), "Cluster").build())
                                    .domain("apps.example.org").hostedZone(HostedZone.Builder.create(dns, "Zone")
                                            .zoneName("example.org").build()).build();
                            workloadOn(apps, p).customDomains(List.of(CustomDomain.of("www.example.net",
                                    HostedZone.Builder.create(dns, "Net").zoneName("example.net").build()))).build();
                            workloadOn(s, p).name("same-stack").customDomains(List.of(CustomDomain.of(
                                    "www.example.com", HostedZone.Builder.create(s, "Com").zoneName("example.com")
                                            .build()))).build();
                            ((App) s.getNode().getScope()).synth();
                            assertThat(apps.getDependencies()).contains(s);
                            assertThat(s.getDependencies()).contains(dns).doesNotContain(apps);
                        }),
                good(List.of("ImageSource.fromLocalDirectory", "ImageSource.fromLocalSource",
                        "LocalSource.Builder.directory", "LocalSource.Builder.dockerfile",
                        "LocalSource.Builder.maxContextSize", "GitSource.Builder.rebuildKey"),
                        "local builds at their limits, and a rebuild key", s -> {
                            KnativePlatform p = platform(s).build();
                            KnativeWorkload.Builder.create(s, "A").platform(p).name("a")
                                    .image(ImageSource.fromLocalDirectory("examples/hello-python")).build();
                            KnativeWorkload.Builder.create(s, "B").platform(p).name("b").buildServiceAccount("b-build")
                                    .image(ImageSource.fromLocalSource(LocalSource.builder()
                                            .directory(Paths.get("examples/event-display").toAbsolutePath().toString())
                                            .dockerfile("Dockerfile").maxContextSize(Size.mebibytes(1)).build(),
                                            ImageRegistry.ecr())).build();
                            KnativeWorkload c = KnativeWorkload.Builder.create(s, "C").platform(p).name("c")
                                    .buildServiceAccount("c-build")
                                    .image(ImageSource.fromGit(git().rebuildKey("2026-11-27").build())).build();
                            KnativeWorkload d = KnativeWorkload.Builder.create(s, "D").platform(p).name("d")
                                    .buildServiceAccount("d-build")
                                    .image(ImageSource.fromGit(git().rebuildKey("2026-11-28").build())).build();
                            assertThat(c.getBuild().getJob().toJson().toString())
                                    .contains("knative-on-eks.io/rebuild-key=2026-11-27");
                            assertThat(d.getBuild().getJobName()).as("a new key, a new build")
                                    .isNotEqualTo(c.getBuild().getJobName().replace("c-build", "d-build"));
                            // sent as Docker sends it: the ignored Dockerfile, by its normalized name, and a link
                            // inside the directory as a link
                            KnativeWorkload e = KnativeWorkload.Builder.create(s, "E").platform(p).name("e")
                                    .buildServiceAccount("e-build").image(ImageSource.fromLocalSource(LocalSource
                                            .builder().directory(fixture("inner-link", Map.of("app.py",
                                                    "src/app.py"))).dockerfile("./docker/../docker/Dockerfile")
                                            .build())).build();
                            assertThat(e.getBuild().getJob().toJson().toString())
                                    .contains("--dockerfile=docker/Dockerfile");
                        }),
                good(List.of("KnativeClusterProps.apiAllowedCidrs"), "public, open and private endpoints", s -> {
                    clusterBuilder(s).apiAllowedCidrs(List.of("203.0.113.0/24", "198.51.100.7/32")).build();
                    KnativeCluster.Builder.create(s, "Open").apiAllowedCidrs(List.of("0.0.0.0/0")).build();
                    KnativeCluster.Builder.create(s, "Private").apiAllowedCidrs(List.of()).build();
                }),
                good(List.of("KnativeClusterProps.adminPrincipalArn"), "admins in every partition, paths and tokens",
                        s -> {
                            int i = 0;
                            for (String arn : List.of("arn:aws:iam::" + NINE + ":role/Admin",
                                    "arn:aws-cn:iam::" + NINE + ":role/ops/Admin",
                                    "arn:aws-us-gov:iam::" + NINE + ":user/alice@example.com",
                                    "arn:aws-iso-b:iam::" + NINE + ":role/a+b=c,d.e_f-g",
                                    token(s, "Admin"))) {
                                KnativeCluster.Builder.create(s, "C" + i++).adminPrincipalArn(arn).build();
                            }
                        }),
                good(List.of("KnativePlatformProps.appNamespace", "KnativePlatformProps.domain",
                        "KnativePlatformProps.autoscaler", "KnativePlatformProps.knativeVersion",
                        "KnativePlatformProps.istioVersion", "KnativeVersion.of", "Autoscaler.Builder.minScale",
                        "Autoscaler.Builder.maxScale", "Autoscaler.Builder.initialScale",
                        "Autoscaler.Builder.stableWindow", "Autoscaler.Builder.enableScaleToZero",
                        "Autoscaler.Builder.scaleToZeroGracePeriod", "Autoscaler.Builder.scaleToZeroPodRetentionPeriod",
                        "Autoscaler.Builder.containerConcurrencyTargetDefault"),
                        "own namespace (63 characters), version, domain and autoscaler at its limits",
                        s -> platform(s).appNamespace("a".repeat(63)).domain("knative.example.org")
                                .knativeVersion(KnativeVersion.of("1.20", 32)).istioVersion("1.31.0")
                                .autoscaler(Autoscaler.builder().minScale(1).maxScale(5).initialScale(0)
                                        .stableWindow(Duration.hours(1)).enableScaleToZero(false)
                                        .scaleToZeroGracePeriod(Duration.millis(1))
                                        .scaleToZeroPodRetentionPeriod(Duration.hours(2))
                                        .containerConcurrencyTargetDefault(0.015).build()).build()),
                good(List.of("KnativePlatformProps.metrics", "KnativePlatformProps.metricsRetention",
                        "KnativePlatformProps.metricsRetentionSize", "KnativePlatformProps.logs"),
                        "metrics and logs at their limits", s -> platform(s).metrics(true).logs(true)
                                .metricsRetention(Duration.days(365))
                                .metricsRetentionSize(Size.gibibytes(64)).build()),
                good(List.of("KnativePlatformProps.metrics", "KnativePlatformProps.logs",
                        "MetricsOptions.Builder.retention", "MetricsOptions.Builder.retentionSize"),
                        "metrics and logs options at their limits", s -> {
                            KnativePlatform p = platform(s).metrics(MetricsOptions.builder()
                                    .retention(Duration.hours(1)).retentionSize(Size.gibibytes(1)).build())
                                    .logs(LogsOptions.builder().build()).build();
                            assertThat(p.getMetrics()).isNotNull();
                            assertThat(p.getLogs()).isNotNull();
                        }),
                good(List.of("KnativePlatformProps.domain"), "tokens are not judged where they may stand", s -> {
                    String domain = token(s, "Domain");
                    KnativePlatform.Builder.create(s, "Platform").domain(domain).cluster(clusterBuilder(s).build())
                            .build();
                }),
                good(List.of("KnativeWorkloadProps.platform", "KnativeWorkloadProps.name",
                        "KnativeWorkloadProps.namespace", "KnativeWorkloadProps.image", "KnativeWorkloadProps.env",
                        "KnativeWorkloadProps.containerPort", "KnativeWorkloadProps.scale",
                        "KnativeWorkloadProps.buildServiceAccount", "ImageSource.fromGit", "GitSource.Builder.url",
                        "GitSource.Builder.tag", "GitSource.Builder.commit", "GitSource.Builder.subDirectory",
                        "GitSource.Builder.dockerfile", "Autoscaler.Builder.initialScale"),
                        "workload at the limits: 63-character name and namespace, a route host of 253 characters",
                        s -> {
                            String label = "d".repeat(63);
                            KnativePlatform p = platform(s).domain(label + "." + "d".repeat(61))
                                    .autoscaler(Autoscaler.builder().initialScale(0).build()).build();
                            KnativeWorkload.Builder.create(s, "W").platform(p).name("s".repeat(63))
                                    .namespace("n".repeat(63)).buildServiceAccount("b".repeat(63))
                                    .env(Map.of("TARGET", "", "K_OTHER", "x")).containerPort(65535)
                                    .scale(Autoscaler.builder().initialScale(0).minScale(0).maxScale(0)
                                            .scaleToZeroPodRetentionPeriod(Duration.hours(1)).build())
                                    .image(ImageSource.fromGit(git().tag("v1.0").commit("0".repeat(40))
                                            .subDirectory("apps/hello").dockerfile("docker/Dockerfile").build()))
                                    .build();
                        }),
                good(List.of("GitSource.Builder.branch"), "git branches git accepts, at the edges of its rules", s -> {
                    KnativePlatform p = platform(s).build();
                    int i = 0;
                    for (String branch : List.of("feature/x-1.2", "a.lockx/b", "heads/main", "HEADx", "a/-b",
                            "_x", "v1.0")) {
                        KnativeWorkload w = KnativeWorkload.Builder.create(s, "W" + i).platform(p).name("w" + i)
                                .buildServiceAccount("b" + i++).image(ImageSource.fromGit(git().branch(branch).build()))
                                .build();
                        assertThat(w.getBuild().getJob().toJson().toString()).contains("#refs/heads/" + branch + ",");
                    }
                }),
                good(List.of("ImageSource.fromDockerBuild"), "image from a directory with a Dockerfile",
                        s -> image(s, ImageSource.fromDockerBuild("examples/hello-python"))),
                good(List.of("ImageSource.fromDirectory"), "deprecated fromDirectory still builds with Docker",
                        s -> image(s, deprecatedFromDirectory("examples/hello-python"))),
                good(List.of("ImageRegistry.dockerHub", "ImageRegistry.withCredentials"), "other registries",
                        s -> {
                            KnativePlatform p = platform(s).build();
                            Secret secret = Secret.Builder.create(s, "Creds").build();
                            KnativeWorkload.Builder.create(s, "A").platform(p).name("a").buildServiceAccount("a-build")
                                    .image(ImageSource.fromGit(git().build(), ImageRegistry.dockerHub(
                                            "docker.io/alice/app", secret))).build();
                            KnativeWorkload.Builder.create(s, "B").platform(p).name("b".repeat(63))
                                    .buildServiceAccount("b").image(ImageSource.fromGit(git().build(),
                                            ImageRegistry.withCredentials("https://registry.example.com:5000",
                                                    "registry.example.com:5000/team/app", secret))).build();
                        }),
                good(List.of("AwsEventsProps.platform", "AwsEventsProps.name", "AwsEventsProps.from",
                        "AwsEventsProps.fromBroker", "AwsEventsProps.eventType", "AwsEventsProps.to",
                        "AwsEventsProps.toBroker", "AwsEventSource.sqs", "AwsEventSource.s3",
                        "AwsEventSource.s3DeleteAfterRead", "AwsEventSource.dynamoDbStream", "AwsEventSink.sqs",
                        "AwsEventSink.sns", "AwsEventSink.s3"),
                        "aws event flows of every kind, imported resources and names at their limit", s -> {
                            KnativePlatform p = platform(s).build();
                            KnativeWorkload display = workloadOn(s, p).build();
                            Bucket bucket = Bucket.Builder.create(s, "Bucket").build();
                            Table table = Table.Builder.create(s, "Table").partitionKey(Attribute.builder().name("id")
                                    .type(AttributeType.STRING).build()).stream(StreamViewType.KEYS_ONLY).build();
                            AwsEvents.Builder.create(s, "A").platform(p).name("o".repeat(56))
                                    .from(AwsEventSource.sqs(Queue.Builder.create(s, "Fifo").fifo(true).build()))
                                    .to(display).build();
                            AwsEvents.Builder.create(s, "B").platform(p).name("b").from(AwsEventSource.s3(bucket))
                                    .toBroker("default").build();
                            AwsEvents.Builder.create(s, "C").platform(p).name("c")
                                    .from(AwsEventSource.s3DeleteAfterRead(Bucket.fromBucketName(s, "Imported",
                                            "uploads"))).to(AwsEventSink.s3(bucket)).build();
                            AwsEvents.Builder.create(s, "D").platform(p).name("d")
                                    .from(AwsEventSource.dynamoDbStream(table)).to(display).build();
                            AwsEvents.Builder.create(s, "E").platform(p).name("e")
                                    .from(AwsEventSource.dynamoDbStream(Table.fromTableAttributes(s, "Orders",
                                            TableAttributes.builder().tableName("orders").tableStreamArn(
                                                    "arn:aws:dynamodb:eu-west-1:" + NINE
                                                            + ":table/orders/stream/2026-01-01T00:00:00.000")
                                                    .build()))).to(display).build();
                            AwsEvents.Builder.create(s, "F").platform(p).name("f").fromBroker("default")
                                    .eventType("com.example.alert").to(AwsEventSink.sns(Topic.Builder.create(s,
                                            "Topic").build())).build();
                            AwsEvents.Builder.create(s, "G").platform(p).name("g").fromBroker("default")
                                    .to(AwsEventSink.sqs(Queue.fromQueueArn(s, "Theirs",
                                            "arn:aws:sqs:us-east-1:" + NINE + ":orders"))).build();
                        }),
                good(List.of("ScheduledEventsProps.platform", "ScheduledEventsProps.name",
                        "ScheduledEventsProps.schedule", "ScheduledEventsProps.data",
                        "ScheduledEventsProps.subscriber"),
                        "event flows with every kind of schedule", s -> {
                            KnativePlatform p = platform(s).build();
                            KnativeWorkload display = workloadOn(s, p).build();
                            int i = 0;
                            for (String schedule : List.of("* * * * *", "*/5 0-23/2 1,15 jan-dec mon-fri",
                                    "59 23 31 12 6", "30 */10 * * * *", " @hourly ", "@yearly", "0 9 ? * SUN")) {
                                ScheduledEvents.Builder.create(s, "E" + i).platform(p).name("tick-" + i++)
                                        .schedule(schedule).data("{\"n\": [1, 2]}").subscriber(display).build();
                            }
                            ScheduledEvents.Builder.create(s, "Empty").platform(p).name("e".repeat(63))
                                    .data("").subscriber(display).build();
                        }),
                good(List.of("KnativeServingProps.Builder.version", "KnativeServingProps.Builder.domain",
                        "KnativeServingProps.Builder.autoscaler", "KnativeServingProps.Builder.observability"),
                        "the Knative chart on its own", s -> chart(KnativeServingProps.builder()
                                .version(KnativeVersion.V1_23).domain("example.org")
                                .autoscaler(Map.of("min-scale", "1")).observability(Map.of()))),
                good(List.of("KnativeServiceProps.Builder.name", "KnativeServiceProps.Builder.namespace",
                        "KnativeServiceProps.Builder.image", "KnativeServiceProps.Builder.env",
                        "KnativeServiceProps.Builder.containerPort", "KnativeServiceProps.Builder.revisionAnnotations",
                        "KnativeServiceProps.Builder.imagePullSecret",
                        "KnativeServiceProps.Builder.serviceAccountName"), "a Knative Service on its own",
                        s -> service(service().namespace("apps").image("ghcr.io/org/app@sha256:" + "a".repeat(64))
                                .env(Map.of("TARGET", "x")).containerPort(8081)
                                .revisionAnnotations(Map.of("autoscaling.knative.dev/target", "0.01"))
                                .imagePullSecret("registry.credentials").serviceAccountName("app.reader"))),
                good(List.of("PodIdentityRole.Builder.cluster", "PodIdentityRole.Builder.namespace",
                        "PodIdentityRole.Builder.serviceAccount"), "a pod identity role on an imported cluster",
                        s -> assertThat(podIdentityRole(s).build().getServiceAccount()).isEqualTo("reader")),
                good(List.of("ImageSource.fromImage", "KnativeCluster.podIdentityRole"),
                        "existing images in every ECR form", s -> {
                            KnativePlatform p = platform(s).build();
                            ((KnativeCluster) s.getNode().findChild("Cluster"))
                                    .podIdentityRole("App", "default", "app");
                            ecrImages(s).forEach((id, reference) -> KnativeWorkload.Builder.create(s, id)
                                    .platform(p).name(id.toLowerCase()).image(ImageSource.fromImage(reference))
                                    .build());
                        }));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("goodInputs")
    void goodInputPasses(List<String> covers, String name, Consumer<Stack> build) {
        Stack stack = new Stack(new App(AppProps.builder().context(Map.of()).build()), "Test");
        assertThatCode(() -> build.accept(stack)).as(name).doesNotThrowAnyException();
    }

    /** ECR references in every form this library reads, by workload id. */
    private static Map<String, String> ecrImages(Stack stack) {
        software.amazon.awscdk.services.ecr.Repository own =
                software.amazon.awscdk.services.ecr.Repository.Builder.create(stack, "Own").build();
        Map<String, String> images = new java.util.LinkedHashMap<>();
        images.put("Commercial", NINE + ".dkr.ecr.eu-west-1.amazonaws.com/team/app:1");
        images.put("China", NINE + ".dkr.ecr.cn-north-1.amazonaws.com.cn/app:1");
        images.put("GovCloud", NINE + ".dkr.ecr.us-gov-west-1.amazonaws.com/app@sha256:" + "b".repeat(64));
        images.put("Fips", NINE + ".dkr.ecr-fips.us-east-1.amazonaws.com/app:1");
        images.put("DualStack", NINE + ".dkr-ecr.eu-west-1.on.aws/app:1");
        images.put("FipsDualStack", NINE + ".dkr-ecr-fips.us-east-2.on.aws/app:1");
        images.put("Tokens", own.repositoryUriForTag("1.0"));
        images.put("Imported", software.amazon.awscdk.services.ecr.Repository.fromRepositoryName(stack, "Shared",
                "shared/app").repositoryUriForTag("2.0"));
        return images;
    }

    @Test
    void everyEcrImageGrantsKnativesControllerPullOnItsRepository() {
        Stack stack = new Stack(new App(), "Test");
        KnativePlatform p = platform(stack).build();
        Map<String, String> images = ecrImages(stack);
        images.forEach((id, reference) -> KnativeWorkload.Builder.create(stack, id).platform(p)
                .name(id.toLowerCase()).image(ImageSource.fromImage(reference)).build());
        KnativeWorkload.Builder.create(stack, "Hub").platform(p).name("hub")
                .image(ImageSource.fromImage("ghcr.io/org/app:1")).build();
        KnativeWorkload.Builder.create(stack, "Public").platform(p).name("public")
                .image(ImageSource.fromImage("public.ecr.aws/nginx/nginx:1.27")).build();

        String policy = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(
                software.amazon.awscdk.assertions.Template.fromStack(stack).findResources("AWS::IAM::Policy"))
                .toString();
        assertThat(policy)
                .contains("\"arn:aws:ecr:eu-west-1:" + NINE + ":repository/team/app\"")
                .contains("\"arn:aws-cn:ecr:cn-north-1:" + NINE + ":repository/app\"")
                .contains("\"arn:aws-us-gov:ecr:us-gov-west-1:" + NINE + ":repository/app\"")
                .contains("\"arn:aws:ecr:us-east-1:" + NINE + ":repository/app\"")
                .contains("\"arn:aws:ecr:eu-west-1:" + NINE + ":repository/app\"")
                .contains("\"arn:aws:ecr:us-east-2:" + NINE + ":repository/app\"")
                .contains(":repository/shared/app")
                .doesNotContain("ghcr.io").doesNotContain("public.ecr.aws").doesNotContain("repository/nginx");
        // the stack's own repository: its ARN pieces, joined with the stack's partition
        assertThat(policy).contains("{\"Ref\":\"AWS::Partition\"}", "\":ecr:\"", "{\"Ref\":\"" + logicalId(stack,
                "Own") + "\"}");
    }

    private static String logicalId(Stack stack, String id) {
        return stack.resolve(((software.amazon.awscdk.CfnResource) stack.getNode().findChild(id).getNode()
                .getDefaultChild()).getLogicalId()).toString();
    }

    @Test
    // aws-cdk-lib's assertions.Annotations return cxapi.SynthesisMessage, deprecated with cxapi, no replacement yet.
    @SuppressWarnings("deprecation")
    void warningsForSettingsThatHaveNoEffectOrDrift() {
        Stack stack = new Stack(new App(), "Test");
        KnativePlatform p = KnativePlatform.Builder.create(stack, "Platform")
                .cluster(clusterBuilder(stack).apiAllowedCidrs(List.of("0.0.0.0/0")).build())
                .metricsRetention(Duration.days(7)).build();
        workloadOn(stack, p).image(ImageSource.fromImage("nginx:latest")).build();
        KnativeWorkload.Builder.create(stack, "Built").platform(p).name("built")
                .image(ImageSource.fromGit(git().tag("v1").branch("main").build())).build();
        KnativeWorkload.Builder.create(stack, "Ecr").platform(p).name("ecr").image(ImageSource.fromEcrRepository(
                software.amazon.awscdk.services.ecr.Repository.fromRepositoryName(stack, "Repo", "team/app"),
                "latest")).build();
        KnativeWorkload.Builder.create(stack, "OwnEcr").platform(p).name("own-ecr").image(ImageSource
                .fromEcrRepository(software.amazon.awscdk.services.ecr.Repository.Builder.create(stack, "Own")
                        .build(), "latest")).build();
        List<String> warnings = software.amazon.awscdk.assertions.Annotations.fromStack(stack)
                .findWarning("*", software.amazon.awscdk.assertions.Match.anyValue()).stream()
                .map(w -> w.getId() + ": " + w.getEntry().getData()).toList();
        assertThat(warnings).anyMatch(w -> w.startsWith("/Test/Cluster: ") && w.contains("apiAllowedCidrs includes "
                + "0.0.0.0/0") && w.contains("[ack: knative-on-eks:publicApiEndpoint]"));
        assertThat(warnings).anyMatch(w -> w.startsWith("/Test/Platform: ") && w.contains("metricsRetention and "
                + "metricsRetentionSize apply only with metrics(true)"));
        assertThat(warnings).anyMatch(w -> w.startsWith("/Test/Workload: ") && w.contains("nginx:latest is tagged "
                + ":latest") && w.contains("[ack: knative-on-eks:latestImage]"));
        assertThat(warnings).anyMatch(w -> w.startsWith("/Test/Built: ") && w.contains("the tag is built and the "
                + "branch is ignored"));
        assertThat(warnings).anyMatch(w -> w.startsWith("/Test/Ecr: ") && w.contains("The image team/app:latest is "
                + "tagged :latest") && w.contains("[ack: knative-on-eks:latestImage]"));
        assertThat(warnings).anyMatch(w -> w.startsWith("/Test/OwnEcr: ") && w.contains("The image Test/Own:latest "
                + "is tagged :latest"));
        Object nag = ((software.amazon.awscdk.CfnResource) stack.getNode().findChild("Cluster").getNode()
                .findChild("Cluster").getNode().getDefaultChild()).getMetadata("cdk_nag");
        assertThat(nag.toString()).as("an open endpoint is never called restricted").contains("open to all addresses")
                .doesNotContain("restricted to");
    }

    /** Whether {@code git check-ref-format --branch} accepts {@code name}, or null without git. */
    private static Boolean gitAcceptsBranch(String name) {
        try {
            Process git = new ProcessBuilder("git", "check-ref-format", "--branch", name).redirectErrorStream(true)
                    .start();
            git.getInputStream().readAllBytes();
            return git.waitFor() == 0;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Git itself judges branch names: every name synth accepts, git accepts; every name git refuses, synth refuses.
     * Synth refuses more (characters outside letters, digits and {@code ._/-}, a {@code refs/} prefix) on purpose.
     */
    @Test
    void branchNamesAgreeWithGitCheckRefFormat() {
        org.junit.jupiter.api.Assumptions.assumeTrue(gitAcceptsBranch("main") != null, "git is not installed");
        List<String> disagreements = new ArrayList<>();
        for (String name : List.of("main", "feature/x-1.2", "main..evil", "a//b", "main.", ".hidden", "a/.b",
                "x.lock", "a.lock/b", "a/b.lock", "-x", "/x", "x/", "HEAD", "a@{b", "a b", "a~1", "a^", "a:b", "a?",
                "a*", "a[b", "a\\b", "v1.0", "a.lockx", "lock", ".lock", "a/.lock", "x.y.", "HEADx", "a/HEAD",
                "a/-b", "_x", "x..lock", "release/2026.11", "a\tb", "refs/heads/main", "caf\u00e9", "a+b", "@")) {
            boolean ours = catchThrowable(() -> GitSource.builder().url("https://github.com/org/repo.git")
                    .branch(name).build().validate(new Stack(new App(), "Git"))) == null;
            boolean git = gitAcceptsBranch(name);
            boolean deliberatelyStricter = !ours && (!name.matches("[A-Za-z0-9._/-]+") || name.startsWith("refs/"));
            if (ours != git && !deliberatelyStricter) {
                disagreements.add(name + ": synth " + (ours ? "accepts" : "refuses") + ", git " + (git ? "accepts"
                        : "refuses"));
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void aWorkloadInItsOwnNamespaceCreatesItLabelledForInjectionOnce() throws Exception {
        Stack stack = new Stack(new App(), "Test");
        KnativePlatform p = platform(stack).build();
        KnativeWorkload a = workloadOn(stack, p).namespace("team").build();
        KnativeWorkload.Builder.create(stack, "Other").platform(p).name("other").namespace("team")
                .image(ImageSource.fromImage("nginx:1")).build();
        Map<String, Map<String, Object>> resources = software.amazon.awscdk.assertions.Template.fromStack(stack)
                .findResources("Custom::AWSCDK-EKS-KubernetesResource");
        List<String> namespaces = resources.values().stream().map(Object::toString)
                .filter(r -> r.contains("\"kind\":\"Namespace\"") && r.contains("team")).toList();
        assertThat(namespaces).hasSize(1);
        assertThat(namespaces.get(0)).contains("\"istio-injection\":\"enabled\"");
        assertThat(a.getService().getNode().getDependencies()).extracting(c -> c.getNode().getPath())
                .contains("Test/Platform/Namespace-team");
    }

    /** How to build and use a valid instance of each builder after one setter was called. */
    private static final Map<Class<?>, BiConsumer<Stack, Consumer<Object>>> USES = Map.ofEntries(
            Map.entry(KnativeClusterProps.AbstractBuilder.class, (s, set) -> use(clusterBuilder(s), set).build()),
            Map.entry(KnativePlatformProps.AbstractBuilder.class, (s, set) -> use(platform(s), set).build()),
            Map.entry(KnativePlatformAttributes.Builder.class, (s, set) -> imported(s, use(attributes(s), set))),
            Map.entry(MetricsOptions.Builder.class,
                    (s, set) -> platform(s).metrics(use(MetricsOptions.builder(), set).build()).build()),
            Map.entry(KnativeWorkloadProps.AbstractBuilder.class, (s, set) -> use(workload(s), set).build()),
            Map.entry(ScheduledEventsProps.AbstractBuilder.class, (s, set) -> use(events(s), set).build()),
            Map.entry(AwsEventsProps.AbstractBuilder.class, (s, set) -> use(awsEvents(s), set).build()),
            Map.entry(Autoscaler.Builder.class, (s, set) -> platformScale(s, use(Autoscaler.builder(), set))),
            Map.entry(GitSource.Builder.class, (s, set) -> image(s, ImageSource.fromGit(use(git(), set).build()))),
            Map.entry(Traffic.Builder.class,
                    (s, set) -> workload(s).traffic(use(Traffic.builder(), set).build()).build()),
            Map.entry(LocalSource.Builder.class, (s, set) -> image(s, ImageSource.fromLocalSource(
                    use(LocalSource.builder().directory("examples/hello-python"), set).build()))),
            Map.entry(KnativeServingProps.Builder.class, (s, set) -> chart(use(KnativeServingProps.builder(), set))),
            Map.entry(KnativeServiceProps.Builder.class, (s, set) -> service(use(service(), set))),
            Map.entry(PodIdentityRole.Builder.class, (s, set) -> use(podIdentityRole(s), set).build()));

    private static <B> B use(B builder, Consumer<Object> set) {
        set.accept(builder);
        return builder;
    }

    @Test
    void nullForAnyPropertyIsAValidationErrorNamingIt() throws Exception {
        List<String> problems = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (Class<?> builder : BUILDERS) {
            for (Method setter : builder.getDeclaredMethods()) {
                if (!Modifier.isPublic(setter.getModifiers()) || Modifier.isStatic(setter.getModifiers())
                        || setter.getParameterCount() != 1 || setter.getParameterTypes()[0].isPrimitive()) {
                    continue;
                }
                BiConsumer<Stack, Consumer<Object>> use = USES.get(builder);
                if (use == null) {
                    problems.add(builder.getName() + " has no entry in USES");
                    continue;
                }
                Throwable error = catchThrowable(() -> use.accept(new Stack(new App(), "Test"), b -> {
                    try {
                        setter.invoke(b, (Object) null);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }));
                String property = builder.getEnclosingClass().getSimpleName() + "." + setter.getName();
                checked.add(property);
                if (!(error instanceof ValidationError v) || !v.getProperty().endsWith(setter.getName())) {
                    problems.add(property + "(null) gave " + error);
                }
            }
        }
        assertThat(checked).hasSizeGreaterThan(40).contains("KnativeClusterProps.vpc", "GitSource.tag",
                "Autoscaler.stableWindow", "KnativeServiceProps.imagePullSecret", "ScheduledEventsProps.subscriber");
        assertThat(problems).isEmpty();
    }

    /** The builders whose public methods each set one property, and the factories users pass values to. */
    private static final List<Class<?>> BUILDERS = builders();
    private static final List<Class<?>> FACTORIES = List.of(ImageSource.class, ImageRegistry.class,
            KnativeVersion.class, KnativeCluster.class, AwsEventSource.class, AwsEventSink.class);
    /** Methods that take no value a user could get wrong, and why. */
    private static final Map<String, String> NOTHING_TO_GET_WRONG = Map.of(
            "KnativePlatformAttributes.Builder.https", "a boolean switch that must match the platform's hosted zone",
            "KnativePlatformAttributes.Builder.zeroInitialScale", "a boolean switch that must match the platform's "
                    + "autoscaler",
            "KnativeServingProps.Builder.externalHttps", "a boolean switch the platform sets with its hosted zone",
            "KnativeServiceProps.Builder.clusterLocal", "a boolean switch (the workload checks it against its domains)",
            "ImageRegistry.ecr", "takes no arguments");

    /** Every {@code Builder} and {@code AbstractBuilder} compiled from {@code src/} and {@code cdk8s/}. */
    private static List<Class<?>> builders() {
        try {
            Path classes = Path.of(KnativeCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (Stream<Path> files = Files.walk(classes)) {
                List<Class<?>> found = new ArrayList<>();
                for (Path file : files.filter(f -> f.toString().matches(".*\\$(Abstract)?Builder\\.class")).toList()) {
                    String name = classes.relativize(file).toString().replace(File.separatorChar, '.');
                    found.add(Class.forName(name.substring(0, name.length() - ".class".length())));
                }
                return found;
            }
        } catch (IOException | URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code Owner.method} for every public setter and value-taking factory. */
    private static Set<String> properties() {
        Set<String> names = new TreeSet<>();
        for (Class<?> builder : BUILDERS) {
            String owner = builder.getSimpleName().equals("AbstractBuilder")
                    ? builder.getEnclosingClass().getSimpleName() : builder.getEnclosingClass().getSimpleName()
                            + "." + builder.getSimpleName();
            for (Method m : builder.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                        && !m.getName().equals("build")) {
                    names.add(owner + "." + m.getName());
                }
            }
        }
        for (Class<?> factory : FACTORIES) {
            for (Method m : factory.getDeclaredMethods()) {
                boolean takesValues = m.getParameterCount() > 0 || !m.getName().startsWith("get");
                if (Modifier.isPublic(m.getModifiers()) && takesValues && (Modifier.isStatic(m.getModifiers())
                        || m.getName().equals("podIdentityRole"))) {
                    names.add(factory.getSimpleName() + "." + m.getName());
                }
            }
        }
        names.removeAll(NOTHING_TO_GET_WRONG.keySet());
        return names;
    }

    @Test
    void everyPublicPropertyHasABadAndAGoodCase() {
        Set<String> covered = badInputs().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
        @SuppressWarnings("unchecked")
        Set<String> goodCovered = goodInputs().flatMap(a -> ((List<String>) a.get()[0]).stream())
                .collect(Collectors.toSet());
        Set<String> properties = properties();
        assertThat(BUILDERS).as("the scan finds the props builders of both sides")
                .contains(KnativeClusterProps.AbstractBuilder.class, KnativeWorkloadProps.AbstractBuilder.class,
                        Autoscaler.Builder.class, GitSource.Builder.class, KnativeServiceProps.Builder.class);
        assertThat(properties).as("the reflection finds the builders' setters")
                .contains("KnativeClusterProps.desiredSize", "GitSource.Builder.url", "ImageSource.fromImage");
        List<String> missing = new ArrayList<>();
        for (String property : properties) {
            if (!covered.contains(property)) {
                missing.add(property + " has no bad-input case");
            }
            if (!goodCovered.contains(property)) {
                missing.add(property + " has no good-input case");
            }
        }
        assertThat(missing).isEmpty();
        assertThat(covered.stream().filter(c -> !c.startsWith("new "))).as("no case names a property that does "
                + "not exist").isSubsetOf(properties);
    }
}
