package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import io.knativeoneks.k8s.GitSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import platform.PlatformApp;
import routing.RoutingApp;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.TableV2;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.secretsmanager.Secret;

/**
 * The library's layouts under every feature-flag set a user's app may have: none; every flag {@code cdk init app
 * --language java} writes (its {@code cdk.json}, kept as the pinned CLI wrote it in
 * {@code test/resources/cdk-init/cdk.json}); and the flags of this repository's own {@code cdk.json}.
 */
class FeatureFlagsTest {
    private static final StackProps ENV = StackProps.builder().env(Environment.builder().account("111111111111")
            .region("eu-west-1").build()).build();
    private static final Map<String, Map<String, Object>> FLAG_SETS = new LinkedHashMap<>();

    static {
        FLAG_SETS.put("no flags", Map.of());
        FLAG_SETS.put("cdk init", CdkJson.context(Path.of("test/resources/cdk-init/cdk.json")));
        FLAG_SETS.put("our cdk.json", CdkJson.context(Path.of("cdk.json")));
    }

    /** Every image source, each in a workload of a stack other than the platform's. */
    private static final Map<String, Function<Stack, ImageSource>> SOURCES = new LinkedHashMap<>();

    static {
        SOURCES.put("Local", s -> ImageSource.fromLocalDirectory("examples/hello-python"));
        SOURCES.put("Git", s -> ImageSource.fromGit(GitSource.builder().url("https://github.com/team/orders.git")
                .tag("v1.0").build()));
        SOURCES.put("GitToDockerHub", s -> ImageSource.fromGit(GitSource.builder()
                .url("https://github.com/team/orders.git").tag("v1.0").build(), ImageRegistry.dockerHub(
                        "docker.io/team/orders", Secret.Builder.create(s, "HubCredentials").build())));
        SOURCES.put("Image", s -> ImageSource.fromImage("111111111111.dkr.ecr.eu-west-1.amazonaws.com/orders:1.0"));
        SOURCES.put("EcrRepository", s -> ImageSource.fromEcrRepository(
                Repository.Builder.create(s, "OrdersRepository").build(), "1.0"));
        SOURCES.put("Directory", s -> ImageSource.fromDockerBuild("examples/hello-python"));
    }

    static Stream<Arguments> flagSets() {
        return FLAG_SETS.keySet().stream().map(Arguments::of);
    }

    private static App app(String flags, Map<String, Object> more) {
        Map<String, Object> context = new LinkedHashMap<>(FLAG_SETS.get(flags));
        context.putAll(more);
        return new App(AppProps.builder().context(context).build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flagSets")
    void theDefaultAppInOneStack(String flags) {
        Template template = Template.fromStack(PlatformApp.build(app(flags, Map.of("metrics", "true",
                "logs", "true"))));

        template.resourceCountIs("AWS::EKS::Cluster", 1);
        assertThat(template.findResources("Custom::AWSCDK-EKS-HelmChart")).hasSize(5); // Istio x3, Knative, metrics
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flagSets")
    void theRoutingExampleWithItsHostedZone(String flags) {
        App app = app(flags, Map.of("domain", "apps.example.org", "hostedZoneId", "Z0123456789ABCDEFGHIJ",
                "hostedZoneName", "example.org"));
        Stack stack = RoutingApp.build(app);
        app.synth();

        Template.fromStack(stack).resourceCountIs("AWS::CertificateManager::Certificate", 1);
    }

    /** Cluster, platform and workloads in three stacks, with every image source, a grant and scheduled events. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("flagSets")
    void clusterPlatformAndWorkloadsInThreeStacks(String flags) {
        App app = app(flags, Map.of());
        Stack clusterStack = new Stack(app, "Cluster", ENV);
        KnativeCluster cluster = KnativeCluster.Builder.create(clusterStack, "Cluster").build();
        Stack platformStack = new Stack(app, "Platform", ENV);
        KnativePlatform platform = KnativePlatform.Builder.create(platformStack, "Knative").cluster(cluster).build();
        Stack services = new Stack(app, "Services", ENV);
        workloads(services, platform);

        app.synth(); // a raw jsii error or a dependency cycle fails here
        assertThat(platformStack.getDependencies()).containsExactly(clusterStack);
        assertGrantsAndPulls(services);
    }

    /** A platform on a cluster another app created, its workloads in a second stack. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("flagSets")
    void aPlatformOnAnImportedClusterWithWorkloadsInTheirOwnStack(String flags) {
        App app = app(flags, Map.of());
        Stack platformStack = new Stack(app, "Platform", ENV);
        KnativePlatform platform = KnativePlatform.Builder.create(platformStack, "Knative")
                .cluster(AnyClusterTest.imported(platformStack, true)).installPodIdentityAgent(true).build();
        Stack services = new Stack(app, "Services", ENV);
        workloads(services, platform);

        app.synth();
        assertThat(services.getDependencies()).containsExactly(platformStack);
        assertGrantsAndPulls(services);
    }

    private static void workloads(Stack services, KnativePlatform platform) {
        TableV2 table = TableV2.Builder.create(services, "Orders").partitionKey(Attribute.builder().name("id")
                .type(AttributeType.STRING).build()).build();
        SOURCES.forEach((kind, source) -> {
            KnativeWorkload workload = KnativeWorkload.Builder.create(services, kind).platform(platform)
                    .name(kind.toLowerCase()).buildServiceAccount(kind.toLowerCase() + "-build")
                    .image(source.apply(services)).build();
            table.grantReadWriteData(workload);
            ScheduledEvents.Builder.create(services, kind + "Ping").platform(platform)
                    .name(kind.toLowerCase() + "-ping").schedule("*/5 * * * *").subscriber(workload).build();
        });
    }

    /** Each workload's role may use the table; Serving's controller may pull from each ECR repository. */
    private static void assertGrantsAndPulls(Stack services) {
        Template template = Template.fromStack(services);
        for (String kind : SOURCES.keySet()) {
            template.hasResourceProperties("AWS::EKS::PodIdentityAssociation", Map.of(
                    "ServiceAccount", kind.toLowerCase(), "Namespace", "default", "RoleArn", Match.anyValue(),
                    "ClusterName", Match.anyValue()));
        }
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of("PolicyDocument",
                Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Action", Match.arrayWith(List.of("dynamodb:PutItem")))))))))));
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of("PolicyDocument",
                Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Action", Match.arrayWith(List.of("ecr:BatchGetImage")))))))))));
    }
}
