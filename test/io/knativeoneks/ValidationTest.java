package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.knativeoneks.k8s.Autoscaler;
import io.knativeoneks.k8s.GitSource;
import io.knativeoneks.k8s.KnativeChart;
import io.knativeoneks.k8s.KnativeServingProps;
import io.knativeoneks.k8s.KnativeVersion;
import io.knativeoneks.k8s.ValidationError;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.cdk8s.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.eks_v2.KubernetesVersion;
import software.amazon.awscdk.services.lambda.LayerVersion;

/**
 * Bad input fails at synth with a message naming the construct, the property, the value, what is allowed and a fix;
 * good input, including unresolved tokens, passes.
 */
class ValidationTest {

    private static Arguments bad(String name, Consumer<Stack> build, String... expected) {
        return Arguments.of(name, build, List.of(expected));
    }

    private static KnativeCluster cluster(Stack stack) {
        return KnativeCluster.Builder.create(stack, "Cluster").build();
    }

    private static KnativePlatform.Builder platform(Stack stack) {
        return KnativePlatform.Builder.create(stack, "Platform").cluster(cluster(stack));
    }

    private static KnativeChart chart(KnativeServingProps serving, String appNamespace) {
        return new KnativeChart(new org.cdk8s.App(), "knative", serving, appNamespace);
    }

    private static KnativeServingProps autoscaler(Autoscaler.Builder autoscaler) {
        return KnativeServingProps.builder().autoscaler(autoscaler.build()).build();
    }

    private static GitSource.Builder git() {
        return GitSource.builder().url("https://github.com/org/repo.git");
    }

    private static void workload(Stack stack, ImageSource image) {
        KnativeWorkload.Builder.create(stack, "Workload").platform(platform(stack).build()).name("hello").image(image)
                .build();
    }

    private static void events(Stack stack, String schedule) {
        KnativePlatform p = platform(stack).build();
        ScheduledEvents.Builder.create(stack, "Events").platform(p).name("tick").schedule(schedule)
                .subscriber(KnativeWorkload.Builder.create(stack, "Display").platform(p).name("display")
                        .image(ImageSource.fromImage("nginx:1")).build())
                .build();
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("no nodes", s -> KnativeCluster.Builder.create(s, "Cluster").desiredSize(0).build(),
                        "[Test/Cluster] desiredSize (0) must be between 1 and 450", "set desiredSize within"),
                bad("too many nodes", s -> KnativeCluster.Builder.create(s, "Cluster").maxSize(1000).build(),
                        "maxSize (1000) must be between 1 and 450"),
                bad("negative min", s -> KnativeCluster.Builder.create(s, "Cluster").minSize(-1).build(),
                        "minSize (-1) must be between 0 and 450"),
                bad("min above max", s -> KnativeCluster.Builder.create(s, "Cluster").minSize(5).maxSize(3).build(),
                        "minSize (5) must not exceed maxSize (3): raise maxSize or lower minSize"),
                bad("desired above max", s -> KnativeCluster.Builder.create(s, "Cluster").desiredSize(5).minSize(1)
                        .maxSize(3).build(), "desiredSize (5) must lie between minSize (1) and maxSize (3)"),
                bad("desired below min", s -> KnativeCluster.Builder.create(s, "Cluster").desiredSize(2).minSize(3)
                        .build(), "desiredSize (2) must lie between minSize (3)"),
                bad("kubernetes too old for default layer", s -> KnativeCluster.Builder.create(s, "Cluster")
                        .kubernetesVersion(KubernetesVersion.V1_33).build(),
                        "kubernetesVersion (1.33) must be within one minor of the default kubectl layer (1.36)",
                        "pass a kubectlLayer"),
                bad("kubernetes too new for default layer", s -> KnativeCluster.Builder.create(s, "Cluster")
                        .kubernetesVersion(KubernetesVersion.of("1.38")).build(), "kubernetesVersion (1.38)"),
                bad("kubernetes version malformed", s -> KnativeCluster.Builder.create(s, "Cluster")
                        .kubernetesVersion(KubernetesVersion.of("latest")).build(),
                        "kubernetesVersion (latest) must be of the form 1.N"),
                bad("instance too small", s -> KnativeCluster.Builder.create(s, "Cluster")
                        .instanceType(new InstanceType("t3.micro")).build(),
                        "instanceType (t3.micro) is too small", "e.g. m6i.xlarge"),
                bad("instance medium", s -> KnativeCluster.Builder.create(s, "Cluster")
                        .instanceType(new InstanceType("t3.medium")).build(), "instanceType (t3.medium)"),
                bad("instance malformed", s -> KnativeCluster.Builder.create(s, "Cluster")
                        .instanceType(new InstanceType("m6ixlarge")).build(),
                        "instanceType (\"m6ixlarge\") must be an EC2 instance type"),
                bad("admin not an ARN", s -> KnativeCluster.Builder.create(s, "Cluster").adminPrincipalArn("alice")
                        .build(), "adminPrincipalArn (\"alice\") must be an IAM role or user ARN"),
                bad("admin is an STS session", s -> KnativeCluster.Builder.create(s, "Cluster")
                        .adminPrincipalArn("arn:aws:sts::123456789012:assumed-role/Admin/alice").build(),
                        "must be an IAM role or user ARN", "the role it assumed"),
                bad("admin account too short", s -> KnativeCluster.Builder.create(s, "Cluster")
                        .adminPrincipalArn("arn:aws:iam::1234:role/Admin").build(), "adminPrincipalArn"),
                bad("admin from context", s -> {
                    s.getNode().setContext("adminPrincipalArn", "bob");
                    KnativeCluster.Builder.create(s, "Cluster").build();
                }, "adminPrincipalArn (\"bob\")"),
                bad("CIDR prefix too long", s -> KnativeCluster.Builder.create(s, "Cluster")
                        .apiAllowedCidrs(List.of("203.0.113.0/33")).build(),
                        "apiAllowedCidrs (\"203.0.113.0/33\") must be an IPv4 CIDR block", "\"203.0.113.0/24\""),
                bad("CIDR without prefix", s -> KnativeCluster.Builder.create(s, "Cluster")
                        .apiAllowedCidrs(List.of("203.0.113.7")).build(), "apiAllowedCidrs (\"203.0.113.7\")"),
                bad("CIDR octet out of range", s -> KnativeCluster.Builder.create(s, "Cluster")
                        .apiAllowedCidrs(List.of("10.0.0.0/8", "256.1.1.0/24")).build(),
                        "apiAllowedCidrs (\"256.1.1.0/24\")"),
                bad("platform without cluster", s -> KnativePlatform.Builder.create(s, "Platform").build(),
                        "[Test/Platform] cluster (null) is required"),
                bad("knative older than operator supports", s -> platform(s)
                        .knativeVersion(KnativeVersion.of("1.19", 32)).build(),
                        "knativeVersion (1.19) must be 1.20 to 1.23", "use KnativeVersion.V1_23"),
                bad("knative version malformed", s -> platform(s).knativeVersion(KnativeVersion.of("latest", 34))
                        .build(), "knativeVersion (latest) must be 1.20 to 1.23"),
                bad("knative needs newer kubernetes", s -> KnativePlatform.Builder.create(s, "Platform")
                        .cluster(KnativeCluster.Builder.create(s, "Cluster").kubernetesVersion(KubernetesVersion.V1_33)
                                .kubectlLayer(LayerVersion.fromLayerVersionArn(s, "Layer",
                                        "arn:aws:lambda:us-east-1:123456789012:layer:kubectl133:1"))
                                .build())
                        .build(), "knativeVersion (1.23) needs Kubernetes 1.34 or newer, but the cluster runs 1.33"),
                bad("istio older line", s -> platform(s).istioVersion("1.30.3").build(),
                        "istioVersion (\"1.30.3\") must be an Istio 1.31.x release", "use \"1.31.1\""),
                bad("istio not a version", s -> platform(s).istioVersion("latest").build(), "istioVersion"),
                bad("istio too old for kubernetes", s -> KnativePlatform.Builder.create(s, "Platform")
                        .cluster(KnativeCluster.Builder.create(s, "Cluster").kubernetesVersion(KubernetesVersion.of(
                                "1.37")).kubectlLayer(LayerVersion.fromLayerVersionArn(s, "Layer",
                                        "arn:aws:lambda:us-east-1:123456789012:layer:kubectl137:1")).build())
                        .build(), "istioVersion (1.31.1) supports Kubernetes up to 1.36, but the cluster runs 1.37"),
                bad("namespace not DNS-1123", s -> platform(s).appNamespace("My_Apps").build(),
                        "appNamespace (\"My_Apps\") must be a DNS-1123 label", "\"my-name\""),
                bad("namespace too long", s -> platform(s).appNamespace("a".repeat(64)).build(), "appNamespace"),
                bad("namespace is kube-system", s -> platform(s).appNamespace("kube-system").build(),
                        "appNamespace (\"kube-system\") must not be a Kubernetes system namespace"),
                bad("domain upper case", s -> platform(s).domain("Example.COM").build(),
                        "domain (\"Example.COM\") must be a DNS domain name"),
                bad("domain single label", s -> platform(s).domain("localhost").build(), "domain (\"localhost\")"),
                bad("domain with scheme", s -> platform(s).domain("https://example.com").build(), "domain"),
                bad("chart creating default", s -> chart(KnativeServingProps.builder().build(), "default"),
                        "[knative] appNamespace (\"default\") must not be a namespace Kubernetes creates itself"),
                bad("min scale above max scale", s -> chart(autoscaler(Autoscaler.builder().minScale(5).maxScale(3)),
                        null), "autoscaler.minScale (5) must not exceed autoscaler.maxScale (3)"),
                bad("negative min scale", s -> chart(autoscaler(Autoscaler.builder().minScale(-1)), null),
                        "autoscaler.minScale (-1) must be between 0"),
                bad("negative max scale", s -> chart(autoscaler(Autoscaler.builder().maxScale(-2)), null),
                        "autoscaler.maxScale (-2)"),
                bad("negative initial scale", s -> chart(autoscaler(Autoscaler.builder().initialScale(-1)), null),
                        "autoscaler.initialScale (-1)"),
                bad("stable window too short", s -> chart(autoscaler(Autoscaler.builder()
                        .stableWindow(Duration.seconds(2))), null),
                        "autoscaler.stableWindow (2 seconds) must be between 6 seconds and 1 hour"),
                bad("grace period too long", s -> chart(autoscaler(Autoscaler.builder()
                        .scaleToZeroGracePeriod(Duration.hours(2))), null), "autoscaler.scaleToZeroGracePeriod"),
                bad("git url not https", s -> workload(s, ImageSource.fromGit(GitSource.builder()
                        .url("git@github.com:org/repo.git").build())), "git.url (\"git@github.com:org/repo.git\") must be an https://"),
                bad("git url missing", s -> workload(s, ImageSource.fromGit(GitSource.builder().build())),
                        "git.url (null) is required"),
                bad("git branch with ..", s -> workload(s, ImageSource.fromGit(git().branch("main..evil").build())),
                        "git.branch (\"main..evil\") must be a git branch or tag name"),
                bad("git tag with space", s -> workload(s, ImageSource.fromGit(git().tag("v 1").build())),
                        "git.tag (\"v 1\")"),
                bad("git commit short", s -> workload(s, ImageSource.fromGit(git().commit("abc123").build())),
                        "git.commit (\"abc123\") must be a full 40-character commit id"),
                bad("git subdirectory escapes", s -> workload(s, ImageSource.fromGit(git().subDirectory("../etc")
                        .build())), "git.subDirectory (\"../etc\") must be a relative path"),
                bad("git dockerfile absolute", s -> workload(s, ImageSource.fromGit(git().dockerfile("/Dockerfile")
                        .build())), "git.dockerfile (\"/Dockerfile\")"),
                bad("image without tag", s -> workload(s, ImageSource.fromImage("nginx")),
                        "image (\"nginx\") must name a tag or a digest", "add :<tag>"),
                bad("image upper case", s -> workload(s, ImageSource.fromImage("Docker.io/App:1")),
                        "image (\"Docker.io/App:1\") must be a container image reference"),
                bad("image directory without Dockerfile", s -> workload(s, ImageSource.fromDirectory("src")),
                        "image.directory (\"src\") must be a directory with a Dockerfile"),
                bad("service name with underscore", s -> KnativeWorkload.Builder.create(s, "W").platform(platform(s)
                        .build()).name("hello_world").image(ImageSource.fromImage("nginx:1")).build(),
                        "name (\"hello_world\") must be a DNS-1035 label"),
                bad("service name starts with digit", s -> KnativeWorkload.Builder.create(s, "W")
                        .platform(platform(s).build()).name("1hello").image(ImageSource.fromImage("nginx:1")).build(),
                        "name (\"1hello\")"),
                bad("workload without image", s -> KnativeWorkload.Builder.create(s, "W").platform(platform(s)
                        .build()).name("hello").build(), "image (null) is required", "ImageSource.fromLocalDirectory"),
                bad("workload without platform", s -> KnativeWorkload.Builder.create(s, "W").name("hello").build(),
                        "platform (null) is required"),
                bad("env name with dash", s -> KnativeWorkload.Builder.create(s, "W").platform(platform(s).build())
                        .name("hello").image(ImageSource.fromImage("nginx:1")).env(Map.of("MY-VAR", "x")).build(),
                        "env (\"MY-VAR\") must be an environment variable name"),
                bad("env PORT", s -> KnativeWorkload.Builder.create(s, "W").platform(platform(s).build())
                        .name("hello").image(ImageSource.fromImage("nginx:1")).env(Map.of("PORT", "80")).build(),
                        "env (PORT) is set by Knative from containerPort"),
                bad("container port zero", s -> KnativeWorkload.Builder.create(s, "W").platform(platform(s).build())
                        .name("hello").image(ImageSource.fromImage("nginx:1")).containerPort(0).build(),
                        "containerPort (0) must be between 1 and 65535"),
                bad("service scale min above max", s -> KnativeWorkload.Builder.create(s, "W")
                        .platform(platform(s).build()).name("hello").image(ImageSource.fromImage("nginx:1"))
                        .scale(Autoscaler.builder().minScale(3).maxScale(1).build()).build(),
                        "autoscaler.minScale (3) must not exceed autoscaler.maxScale (1)"),
                bad("service scale is cluster-wide", s -> KnativeWorkload.Builder.create(s, "W")
                        .platform(platform(s).build()).name("hello").image(ImageSource.fromImage("nginx:1"))
                        .scale(Autoscaler.builder().enableScaleToZero(false).build()).build(),
                        "scale.enableScaleToZero (false) is a cluster-wide setting"),
                bad("two builds share build-bot", s -> {
                    KnativePlatform p = platform(s).build();
                    KnativeWorkload.Builder.create(s, "A").platform(p).name("a").image(ImageSource.fromGit(git()
                            .build())).build();
                    KnativeWorkload.Builder.create(s, "B").platform(p).name("b").image(ImageSource.fromGit(git()
                            .build())).build();
                }, "[Test/B] buildServiceAccount (\"build-bot\") is already used by another workload's build"),
                bad("registry without credentials", s -> workload(s, ImageSource.fromGit(git().build(),
                        ImageRegistry.dockerHub("docker.io/alice/app", null))),
                        "registry.credentials (null) is required for a registry other than ECR"),
                bad("registry repository with tag", s -> workload(s, ImageSource.fromGit(git().build(),
                        ImageRegistry.dockerHub("docker.io/alice/app:1", null))),
                        "registry.repository (\"docker.io/alice/app:1\") must be an image repository without tag"),
                bad("schedule in words", s -> events(s, "every minute"),
                        "schedule (\"every minute\") must be a cron schedule of five fields"),
                bad("schedule with four fields", s -> events(s, "* * * *"), "schedule (\"* * * *\")"),
                bad("events without subscriber", s -> ScheduledEvents.Builder.create(s, "E")
                        .platform(platform(s).build()).name("tick").build(), "subscriber (null) is required"),
                bad("events name not DNS-1123", s -> {
                    KnativePlatform p = platform(s).build();
                    ScheduledEvents.Builder.create(s, "E").platform(p).name("Every_Minute")
                            .subscriber(KnativeWorkload.Builder.create(s, "W").platform(p).name("display")
                                    .image(ImageSource.fromImage("nginx:1")).build()).build();
                }, "broker (\"Every_Minute\")"),
                bad("retention too short", s -> platform(s).metrics(true)
                        .metricsRetention(software.amazon.awscdk.Duration.minutes(30)).build(),
                        "metricsRetention (30 minutes) must be whole hours from 1 hour to 365 days"),
                bad("retention too long", s -> platform(s).metrics(true)
                        .metricsRetention(software.amazon.awscdk.Duration.days(400)).build(), "metricsRetention"),
                bad("retention size too big", s -> platform(s).metrics(true)
                        .metricsRetentionSize(software.amazon.awscdk.Size.gibibytes(100)).build(),
                        "metricsRetentionSize (100 GiB) must be whole GiB from 1 to 64"),
                bad("retention size fractional", s -> platform(s).metrics(true)
                        .metricsRetentionSize(software.amazon.awscdk.Size.mebibytes(1536)).build(),
                        "metricsRetentionSize (1.5 GiB)"),
                bad("zero concurrency target", s -> chart(autoscaler(Autoscaler.builder()
                        .containerConcurrencyTargetDefault(0)), null),
                        "autoscaler.containerConcurrencyTargetDefault (0.0) must be at least 0.01"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputFailsAtSynthWithAClearMessage(String name, Consumer<Stack> build, List<String> expected) {
        Stack stack = new Stack(new App(), "Test");
        ValidationError error = catchThrowableOfType(ValidationError.class, () -> build.accept(stack));
        assertThat(error).as("%s should be rejected", name).isNotNull();
        assertThat(error.getMessage()).contains(expected).contains(":");
    }

    static Stream<Arguments> goodInputs() {
        return Stream.<Arguments>of(
                Arguments.of("defaults", (Consumer<Stack>) s -> platform(s).build()),
                Arguments.of("kubernetes 1.35, ARM nodes, explicit sizes", (Consumer<Stack>) s ->
                        KnativePlatform.Builder.create(s, "Platform").cluster(KnativeCluster.Builder.create(s, "C")
                                .kubernetesVersion(KubernetesVersion.V1_35).instanceType(new InstanceType("m7g.large"))
                                .desiredSize(3).minSize(1).maxSize(10).build()).build()),
                Arguments.of("restricted and private endpoints", (Consumer<Stack>) s -> {
                    KnativeCluster.Builder.create(s, "A").apiAllowedCidrs(List.of("203.0.113.0/24", "0.0.0.0/0"))
                            .build();
                    KnativeCluster.Builder.create(s, "B").apiAllowedCidrs(List.of()).build();
                }),
                Arguments.of("kubernetes 1.36", (Consumer<Stack>) s -> KnativeCluster.Builder.create(s, "C")
                        .kubernetesVersion(KubernetesVersion.V1_36).build()),
                Arguments.of("tokens are not judged", (Consumer<Stack>) s -> {
                    String arn = CfnParameter.Builder.create(s, "Admin").build().getValueAsString();
                    String domain = CfnParameter.Builder.create(s, "Domain").build().getValueAsString();
                    KnativePlatform.Builder.create(s, "Platform").domain(domain)
                            .cluster(KnativeCluster.Builder.create(s, "C").adminPrincipalArn(arn).build()).build();
                }),
                Arguments.of("own namespace and autoscaler", (Consumer<Stack>) s -> platform(s).appNamespace("apps")
                        .domain("knative.example.org").autoscaler(Autoscaler.builder().minScale(1).maxScale(5)
                                .initialScale(0).stableWindow(Duration.minutes(1)).build()).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodInputs")
    void goodInputPasses(String name, Consumer<Stack> build) {
        Stack stack = new Stack(new App(AppProps.builder().context(Map.of()).build()), "Test");
        assertThatCode(() -> build.accept(stack)).as(name).doesNotThrowAnyException();
    }
}
