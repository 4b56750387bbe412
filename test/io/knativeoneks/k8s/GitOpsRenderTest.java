package io.knativeoneks.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.knativeoneks.Autoscaler;
import io.knativeoneks.CustomDomain;
import io.knativeoneks.ImageRegistry;
import io.knativeoneks.ImageSource;
import io.knativeoneks.KnativeManifests;
import io.knativeoneks.KnativePlatform;
import io.knativeoneks.KnativeWorkload;
import io.knativeoneks.ScheduledEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.cdk8s.Chart;
import org.cdk8s.plus25.k8s.KubeServiceAccount;
import org.cdk8s.plus25.k8s.KubeServiceAccountProps;
import org.cdk8s.plus25.k8s.ObjectMeta;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.ClusterAttributes;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubectlProvider;
import software.amazon.awscdk.services.eks_v2.KubectlProviderAttributes;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.secretsmanager.Secret;

/**
 * What {@code Render} writes for a GitOps repository is what the CDK constructs apply for the same inputs: the
 * README's example ({@link Render#example}) against a stack with a {@link KnativePlatform}, a {@link KnativeWorkload}
 * built from git with a custom domain, and {@link ScheduledEvents} for it. Each rendered object must equal the object
 * of the same apiVersion, kind, namespace and name the stack applies, field by field, and every Knative object the
 * stack applies must be rendered. A second case renders other inputs with the cdk8s constructs directly.
 *
 * <p>Ignored, and only this: the label {@code aws.cdk.eks/prune-<hash>} that aws-cdk-lib's {@code KubernetesManifest}
 * adds to every object it applies (its kubectl handler deletes objects by it; a GitOps tool tracks its objects its own
 * way). Objects only the stack applies are listed in {@link #AWS_ONLY}, each with its reason.
 */
class GitOpsRenderTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String PRUNE_LABEL = "aws.cdk.eks/prune-";
    /** Objects the stack applies that a GitOps render has no counterpart for, each with the reason. */
    private static final Map<String, String> AWS_ONLY = new TreeMap<>(Map.of(
            "external-secrets.io/v1 ExternalSecret apps/hello-registry",
            "turns the Secrets Manager secret (an ARN known at deploy) into the registry Secret; a GitOps repository "
                    + "brings that Secret its own way (SealedSecret, its own ExternalSecret)",
            "external-secrets.io/v1 SecretStore apps/hello-registry-store",
            "lets that ExternalSecret read AWS Secrets Manager in the stack's region"));

    private static Map<String, Map<String, Object>> rendered;
    private static Map<String, Map<String, Object>> applied;

    @BeforeAll
    static void renderBothWays(@TempDir Path dir) throws IOException {
        org.cdk8s.App app = new org.cdk8s.App();
        Render.example(app);
        rendered = rendered(app, dir);
        applied = applied(exampleStack());
    }

    /** @return the objects of the files {@code Render} writes for {@code app}, by identity */
    private static Map<String, Map<String, Object>> rendered(org.cdk8s.App app, Path dir) throws IOException {
        Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
        for (Path file : Render.toDirectory(app, dir)) {
            for (Object object : YAML.readerFor(Object.class).readValues(Files.readString(file)).readAll()) {
                put(objects, cast(object));
            }
        }
        return objects;
    }

    /** @return the objects {@code stack} applies, by identity, without aws-cdk-lib's prune label */
    private static Map<String, Map<String, Object>> applied(Stack stack) {
        Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
        KnativeManifests.of(stack).all().forEach(o -> put(objects, withoutPruneLabel(o.toJson())));
        return objects;
    }

    /** A stack of its own app, in one account and region. */
    private static Stack stack(String id) {
        return new Stack(new App(), id, StackProps.builder()
                .env(Environment.builder().account("111111111111").region("eu-west-1").build()).build());
    }

    /** A cluster imported into {@code stack} with its kubectl provider. */
    private static ICluster cluster(Stack stack) {
        return Cluster.fromClusterAttributes(stack, "Cluster", ClusterAttributes.builder()
                .clusterName("team-cluster")
                .kubectlProvider(KubectlProvider.fromKubectlProviderAttributes(stack, "Kubectl",
                        KubectlProviderAttributes.builder()
                                .serviceToken("arn:aws:lambda:eu-west-1:111111111111:function:kubectl").build()))
                .build());
    }

    /** The README example's inputs, given to the CDK constructs. */
    private static Stack exampleStack() {
        Stack stack = stack("gitops");
        KnativePlatform platform = KnativePlatform.Builder.create(stack, "Knative")
                .cluster(cluster(stack))
                .domain("apps.example.org")
                .hostedZone(HostedZone.fromHostedZoneAttributes(stack, "Zone", HostedZoneAttributes.builder()
                        .hostedZoneId("Z0000000000000000000A").zoneName("example.org").build()))
                .appNamespace("apps")
                .build();
        KnativeWorkload hello = KnativeWorkload.Builder.create(stack, "hello")
                .platform(platform)
                .name("hello")
                .image(ImageSource.fromGit(GitSource.builder().url("https://github.com/knative/docs.git")
                                .branch("main").subDirectory("code-samples/serving/hello-world/helloworld-go").build(),
                        ImageRegistry.withCredentials("https://registry.example.com", "registry.example.com/team/hello",
                                Secret.fromSecretNameV2(stack, "RegistryCredentials", "registry"))))
                .env(Map.of("TARGET", "GitOps"))
                .customDomains(List.of(CustomDomain.of("www.example.net", HostedZone.fromHostedZoneAttributes(stack,
                        "Net", HostedZoneAttributes.builder().hostedZoneId("Z0000000000000000000B")
                                .zoneName("example.net").build()))))
                .build();
        assertThat(hello.getNode().getPath()).as("the build's inputsKey the example renders with")
                .isEqualTo(Render.EXAMPLE_BUILD_KEY);
        ScheduledEvents.Builder.create(stack, "Events")
                .platform(platform)
                .name("every-minute")
                .schedule("* * * * *")
                .data("{\"message\": \"Hello from GitOps\"}")
                .subscriber(hello)
                .build();
        return stack;
    }

    @Test
    void everyRenderedObjectIsTheObjectTheStackApplies() {
        assertThat(rendered).isNotEmpty();
        rendered.forEach((identity, object) -> assertThat(object).as(identity).isEqualTo(applied.get(identity)));
    }

    @Test
    void everyKnativeObjectTheStackAppliesIsRendered() {
        Set<String> knative = applied.keySet().stream().filter(id -> id.split(" ")[0].contains("knative.dev/"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(knative).as("the stack applies the Knative objects of the example").hasSizeGreaterThan(5);
        assertThat(rendered.keySet()).containsAll(knative);
    }

    @Test
    void theStackAppliesNothingElseButWhatIsListedWithItsReason() {
        Set<String> awsOnly = new TreeSet<>(applied.keySet());
        awsOnly.removeAll(rendered.keySet());
        assertThat(awsOnly).isEqualTo(AWS_ONLY.keySet());
    }

    @Test
    void theRenderHasEveryKindTheIssueAsksFor() {
        assertThat(rendered.keySet().stream().map(id -> id.split(" ")[1]).collect(Collectors.toSet()))
                .contains("KnativeServing", "KnativeEventing", "Service", "Job", "PingSource", "Broker", "Trigger",
                        "DomainMapping", "ClusterDomainClaim");
    }

    @Test
    void theServiceRunsTheImageItsBuildPushes() {
        Map<String, Object> service = rendered.get("serving.knative.dev/v1 Service apps/hello");
        String job = rendered.keySet().stream().filter(id -> id.startsWith("batch/v1 Job apps/hello-build-"))
                .findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        List<String> args = (List<String>) at(rendered.get(job), "spec", "template", "spec", "containers", 0, "args");
        assertThat(args).contains("--destination=" + at(service, "spec", "template", "spec", "containers", 0,
                "image"));
    }

    /**
     * Other inputs, rendered with the cdk8s constructs directly: plain HTTP on Knative's dotted hosts, cluster-wide
     * autoscaler settings, and in the built-in {@code default} namespace a cluster-local service from an existing
     * image with its own scale and a named revision. The AWS side's {@link Autoscaler} makes the settings of both.
     */
    @Test
    void aPlainHttpPlatformWithAClusterLocalServiceRendersWhatTheStackApplies(@TempDir Path dir) throws IOException {
        Autoscaler platformScale = Autoscaler.builder().minScale(1).stableWindow(Duration.seconds(90)).build();
        Autoscaler serviceScale = Autoscaler.builder().minScale(2).maxScale(5).build();
        Traffic traffic = Traffic.builder().revisionName("v1").build();
        Stack stack = stack("plain");
        KnativePlatform platform = KnativePlatform.Builder.create(stack, "Knative").cluster(cluster(stack))
                .autoscaler(platformScale).build();
        KnativeWorkload.Builder.create(stack, "Orders").platform(platform).name("orders")
                .image(ImageSource.fromImage("ghcr.io/knative/helloworld-go:v1")).env(Map.of("TARGET", "orders"))
                .clusterLocal(true).scale(serviceScale).traffic(traffic).build();

        org.cdk8s.App app = new org.cdk8s.App();
        new KnativeChart(app, "knative", KnativeServingProps.builder().domain("example.com")
                .autoscaler(platformScale.toConfig(app)).build(), null);
        Chart orders = new Chart(app, "orders");
        new KubeServiceAccount(orders, "ServiceAccount", KubeServiceAccountProps.builder()
                .metadata(ObjectMeta.builder().name("orders").namespace("default").build()).build());
        new KnativeService(orders, "Service", KnativeServiceProps.builder().name("orders").namespace("default")
                .image("ghcr.io/knative/helloworld-go:v1").env(Map.of("TARGET", "orders")).serviceAccountName("orders")
                .clusterLocal(true).revisionAnnotations(serviceScale.toAnnotations(app)).traffic(traffic).build());

        Map<String, Map<String, Object>> plainRendered = rendered(app, dir);
        Map<String, Map<String, Object>> plainApplied = applied(stack);
        plainRendered.forEach((identity, object) -> assertThat(object).as(identity)
                .isEqualTo(plainApplied.get(identity)));
        assertThat(plainRendered.keySet()).as("every object the stack applies").isEqualTo(plainApplied.keySet());
        assertThat(plainRendered.get("serving.knative.dev/v1 Service default/orders").toString())
                .as("the inputs reached the objects").contains("cluster-local", "orders-v1", "max-scale=5");
    }

    @Test
    void onlyThePruneLabelIsIgnored() {
        assertThat(withoutPruneLabel(Map.of("metadata", Map.of("labels", Map.of(PRUNE_LABEL + "c8a1", "")))))
                .isEqualTo(Map.of("metadata", Map.of()));
        assertThat(withoutPruneLabel(Map.of("metadata", Map.of("labels", Map.of(PRUNE_LABEL + "c8a1", "",
                "team", "a"))))).isEqualTo(Map.of("metadata", Map.of("labels", Map.of("team", "a"))));
    }

    private static void put(Map<String, Map<String, Object>> into, Map<String, Object> object) {
        Map<String, Object> metadata = cast(object.get("metadata"));
        Object namespace = metadata.get("namespace");
        String identity = object.get("apiVersion") + " " + object.get("kind") + " "
                + (namespace == null ? "" : namespace + "/") + metadata.get("name");
        assertThat(into.put(identity, object)).as("one object " + identity).isNull();
    }

    /** The object without aws-cdk-lib's prune label, and without labels when that was the only one. */
    private static Map<String, Object> withoutPruneLabel(Map<String, Object> object) {
        Map<String, Object> copy = new LinkedHashMap<>(object);
        Map<String, Object> metadata = new LinkedHashMap<>(cast(copy.get("metadata")));
        Map<String, Object> labels = new LinkedHashMap<>(cast(metadata.getOrDefault("labels", Map.of())));
        labels.keySet().removeIf(key -> key.startsWith(PRUNE_LABEL));
        if (labels.isEmpty()) {
            metadata.remove("labels");
        } else {
            metadata.put("labels", labels);
        }
        copy.put("metadata", metadata);
        return copy;
    }

    private static Object at(Object value, Object... path) {
        for (Object step : path) {
            value = step instanceof Integer i ? ((List<?>) value).get(i) : ((Map<?, ?>) value).get(step);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
