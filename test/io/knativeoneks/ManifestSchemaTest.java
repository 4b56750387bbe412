package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.knativeoneks.k8s.GitSource;
import io.knativeoneks.k8s.KnativeChart;
import io.knativeoneks.k8s.KnativeServingProps;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import org.cdk8s.Testing;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.secretsmanager.Secret;

/** Every Kubernetes object the library synthesizes passes its schema; planted mistakes do not. */
class ManifestSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** All objects of all manifests in a template. */
    static List<Map<String, Object>> objects(Map<String, Object> template) {
        return KnativeManifests.fromJson(template).all().stream().map(KnativeManifests.KubernetesObject::toJson)
                .toList();
    }

    @Test
    void everyObjectOfTheExampleAppIsValid() throws Exception {
        List<Map<String, Object>> objects = objects(ExampleApp.JSON);
        assertThat(objects).extracting(o -> o.get("kind")).contains("Namespace", "KnativeServing",
                "KnativeEventing", "ServiceAccount", "ConfigMap", "Job", "Service");
        assertThat(ManifestSchemas.problems(objects)).isEmpty();
    }

    @Test
    void everyObjectOfTheOtherPathsIsValid() throws Exception {
        Stack stack = new Stack(new App(), "Variants");
        KnativePlatform platform = KnativePlatform.Builder.create(stack, "Platform")
                .cluster(KnativeCluster.Builder.create(stack, "Cluster").build())
                .appNamespace("apps")
                .autoscaler(Autoscaler.builder().enableScaleToZero(true).scaleToZeroGracePeriod(Duration.seconds(45))
                        .stableWindow(Duration.seconds(90)).initialScale(0).minScale(0).maxScale(10)
                        .containerConcurrencyTargetDefault(50).build())
                .build();
        KnativeWorkload.Builder.create(stack, "DockerHub").platform(platform).name("pushed")
                .image(ImageSource.fromGit(GitSource.builder().url("https://github.com/org/app.git").tag("v1")
                        .commit("0123456789abcdef0123456789abcdef01234567").subDirectory("app").build(),
                        ImageRegistry.dockerHub("docker.io/org/app",
                                Secret.fromSecretNameV2(stack, "Credentials", "dockerhub"))))
                .scale(Autoscaler.builder().minScale(1).build())
                .build();
        KnativeWorkload.Builder.create(stack, "Existing").platform(platform).name("existing")
                .image(ImageSource.fromImage("ghcr.io/org/app:1.0")).env(Map.of("A", "1", "B", "2")).build();
        List<Map<String, Object>> objects = objects(Template.fromStack(stack).toJSON());
        assertThat(objects).extracting(o -> o.get("kind")).contains("SecretStore", "ExternalSecret", "Namespace");
        assertThat(ManifestSchemas.problems(objects)).isEmpty();
    }

    @Test
    void chartsSynthesizedOnTheirOwnAreValid() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> objects = (List<Map<String, Object>>) (List<?>) Testing.synth(new KnativeChart(
                new org.cdk8s.App(), "knative", KnativeServingProps.builder().domain("example.org").build(), "apps"));
        assertThat(ManifestSchemas.problems(objects)).isEmpty();
    }

    private static Map<String, Object> object(String json) throws Exception {
        return JSON.readValue(json, new TypeReference<>() { });
    }

    @Test
    void plantedMistakesAreCaught() throws Exception {
        List<String> problems = ManifestSchemas.problems(List.of(
                object("{\"apiVersion\":\"serving.knative.dev/v1\",\"kind\":\"Service\",\"metadata\":{\"name\":"
                        + "\"typo\"},\"spec\":{\"template\":{\"spec\":{\"contianers\":[]}}}}"),
                object("{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"wrong-type\"},"
                        + "\"spec\":{\"backoffLimit\":\"one\",\"template\":{\"spec\":{\"containers\":[]}}}}"),
                object("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"meta\","
                        + "\"lables\":{\"a\":\"b\"}}}"),
                object("{\"apiVersion\":\"operator.knative.dev/v1beta1\",\"kind\":\"KnativeServing\",\"metadata\":"
                        + "{\"name\":\"crd\"},\"spec\":{\"version\":\"1.23\",\"ingres\":{\"istio\":{\"enabled\":true}}}}"),
                object("{\"apiVersion\":\"operator.knative.dev/v1beta1\",\"kind\":\"KnativeEventing\",\"metadata\":"
                        + "{\"name\":\"crd-type\"},\"spec\":{\"config\":{\"default-ch-webhook\":{\"x\":1}}}}"),
                object("{\"apiVersion\":\"external-secrets.io/v1\",\"kind\":\"ExternalSecret\",\"metadata\":"
                        + "{\"name\":\"eso\"},\"spec\":{\"target\":{\"creationPolicy\":\"Sometimes\"}}}"),
                object("{\"apiVersion\":\"serving.knative.dev/v1alpha1\",\"kind\":\"Service\",\"metadata\":"
                        + "{\"name\":\"old-api\"},\"spec\":{\"runLatest\":{}}}")));
        assertThat(problems).anyMatch(p -> p.startsWith("serving.knative.dev/v1/Service typo") && p.contains("contianers"))
                .anyMatch(p -> p.startsWith("batch/v1/Job wrong-type") && p.contains("one"))
                .anyMatch(p -> p.startsWith("v1/Namespace meta") && p.contains("lables"))
                .anyMatch(p -> p.startsWith("operator.knative.dev/v1beta1/KnativeServing crd") && p.contains("ingres"))
                .anyMatch(p -> p.startsWith("operator.knative.dev/v1beta1/KnativeEventing crd-type"))
                .anyMatch(p -> p.contains("ExternalSecret eso") && p.contains("creationPolicy"))
                .anyMatch(p -> p.startsWith("serving.knative.dev/v1alpha1/Service old-api") && p.contains("unknown"));
    }
}
