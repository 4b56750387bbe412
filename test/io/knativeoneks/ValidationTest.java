package io.knativeoneks;

import static io.knativeoneks.ValidationRows.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.knativeoneks.common.ValidationError;
import io.knativeoneks.k8s.GitSource;
import io.knativeoneks.k8s.KnativeServiceProps;
import io.knativeoneks.k8s.KnativeServingProps;
import io.knativeoneks.k8s.KnativeVersion;
import io.knativeoneks.k8s.Traffic;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;

/**
 * The runner of the validation rows: {@link ValidationRows} has their shape, and each construct or props class has a
 * row file of its own, listed in {@link #ROW_FILES}. Bad input fails at synth with a {@link ValidationError} whose
 * exact message names the user's construct path, the property, the value, what is allowed and a fix; good input,
 * including tokens, every partition and names at their length limits, passes and takes the effect it is for (each
 * good row checks it). Every public setter and factory of the props builders has both kinds of row (checked by
 * reflection below).
 */
class ValidationTest {
    /**
     * The row files, one per construct or props class. A new row goes into the file of the construct whose builder
     * method it covers; a new file goes here (the runner checks that every {@code *Rows} class is listed).
     */
    static final List<Class<?>> ROW_FILES = List.of(ClusterRows.class, PlatformRows.class, AutoscalerRows.class,
            WorkloadRows.class, ImageSourceRows.class, RoutingRows.class, ScheduledEventsRows.class,
            AwsEventsRows.class, K8sChartRows.class);

    private static Stream<Arguments> rows(String method) {
        return ROW_FILES.stream().flatMap(file -> {
            try {
                Method rows = file.getDeclaredMethod(method);
                rows.setAccessible(true);
                @SuppressWarnings("unchecked")
                Stream<Arguments> found = (Stream<Arguments>) rows.invoke(null);
                return found;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(file.getSimpleName() + "." + method + "()", e);
            }
        });
    }

    /** Every bad row of every row file. */
    static Stream<Arguments> badInputs() {
        return rows("badRows");
    }

    /** Every good row of every row file. */
    static Stream<Arguments> goodInputs() {
        return rows("goodRows");
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

    @ParameterizedTest(name = "{1}")
    @MethodSource("goodInputs")
    @SuppressWarnings("unchecked")
    void goodInputTakesEffect(List<String> covers, String name, Function<Stack, Object> build,
            Consumer<Object> effect) {
        Stack stack = new Stack(new App(AppProps.builder().context(Map.of()).build()), "Test");
        Object built = build.apply(stack);
        assertThat(built).as("%s builds something to check", name).isNotNull();
        effect.accept(built);
    }

    @Test
    void everyRowFileIsRunAndEveryRowNamedOnce() throws Exception {
        Path classes = Path.of(ValidationTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.list(classes.resolve("io/knativeoneks"))) {
            assertThat(files.map(f -> f.getFileName().toString())
                    .filter(f -> f.matches("[A-Za-z0-9]+Rows\\.class") && !f.equals("ValidationRows.class"))
                    .map(f -> f.substring(0, f.length() - ".class".length())))
                    .as("row files not in ROW_FILES are never run").containsExactlyInAnyOrderElementsOf(
                            ROW_FILES.stream().map(Class::getSimpleName).toList());
        }
        assertThat(badInputs().count()).as("bad rows").isGreaterThanOrEqualTo(274);
        assertThat(goodInputs().count()).as("good rows").isGreaterThanOrEqualTo(40);
        Map<String, Long> goodNames = goodInputs().collect(Collectors.groupingBy(a -> (String) a.get()[1],
                Collectors.counting()));
        assertThat(goodNames).as("good rows named alike").allSatisfy((n, count) -> assertThat(count).as(n)
                .isEqualTo(1));
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

    /** A setting that synthesizes but warns: a name, the build, the warned construct's path, fragments of the text. */
    private static Arguments warning(String name, Consumer<Stack> build, String path, String... fragments) {
        return Arguments.of(name, build, path, List.of(fragments));
    }

    @SuppressWarnings("deprecation") // metricsRetention, a deprecated bridge that must keep warning
    static Stream<Arguments> warningRows() {
        return Stream.of(
                warning("an API endpoint open to all addresses",
                        s -> clusterBuilder(s).apiAllowedCidrs(List.of("0.0.0.0/0")).build(), "/Test/Cluster",
                        "apiAllowedCidrs includes 0.0.0.0/0", "[ack: knative-on-eks:publicApiEndpoint]"),
                warning("metrics retention without metrics",
                        s -> platform(s).metricsRetention(Duration.days(7)).build(), "/Test/Platform",
                        "metricsRetention and metricsRetentionSize apply only with metrics(true)"),
                warning("an image tagged :latest",
                        s -> image(s, ImageSource.fromImage("nginx:latest")), "/Test/Workload",
                        "nginx:latest is tagged :latest", "[ack: knative-on-eks:latestImage]"),
                warning("a git build of a tag and a branch",
                        s -> image(s, ImageSource.fromGit(git().tag("v1").branch("main").build())), "/Test/Workload",
                        "the tag is built and the branch is ignored"),
                warning("an imported ECR repository's tag latest",
                        s -> image(s, ImageSource.fromEcrRepository(software.amazon.awscdk.services.ecr.Repository
                                .fromRepositoryName(s, "Repo", "team/app"), "latest")), "/Test/Workload",
                        "The image team/app:latest is tagged :latest", "[ack: knative-on-eks:latestImage]"),
                warning("the stack's own ECR repository's tag latest",
                        s -> image(s, ImageSource.fromEcrRepository(software.amazon.awscdk.services.ecr.Repository
                                .Builder.create(s, "Own").build(), "latest")), "/Test/Workload",
                        "The image Test/Own:latest is tagged :latest"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("warningRows")
    void settingsThatHaveNoEffectOrDriftWarn(String name, Consumer<Stack> build, String path, List<String> fragments) {
        Stack stack = new Stack(new App(), "Test");
        build.accept(stack);
        assertThat(warnings(stack)).as(name).anySatisfy(w -> assertThat(w).startsWith(path + ": ")
                .contains(fragments));
    }

    @Test
    void anOpenEndpointIsNeverCalledRestrictedInItsNagSuppression() {
        Stack stack = new Stack(new App(), "Test");
        clusterBuilder(stack).apiAllowedCidrs(List.of("0.0.0.0/0")).build();
        Object nag = ((software.amazon.awscdk.CfnResource) stack.getNode().findChild("Cluster").getNode()
                .findChild("Cluster").getNode().getDefaultChild()).getMetadata("cdk_nag");
        assertThat(nag.toString()).contains("open to all addresses").doesNotContain("restricted to");
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
