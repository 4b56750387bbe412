package io.knativeoneks.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.knativeoneks.Snapshot;
import java.util.List;
import java.util.Map;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.Testing;
import org.junit.jupiter.api.Test;

/** The workload's Kubernetes objects on their own: the kaniko build and the Knative Service. */
class WorkloadChartsTest {
    private static final GitSource SOURCE = GitSource.builder()
            .url("https://github.com/org/repo.git")
            .branch("release")
            .commit("0123456789abcdef0123456789abcdef01234567")
            .subDirectory("apps/hello")
            .build();

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> synth(Chart chart) {
        return (List<Map<String, Object>>) (List<?>) Testing.synth(chart);
    }

    private static ImageBuild build(Chart chart, GitSource source) {
        return new ImageBuild(chart, "Build", "hello", "apps", "build-bot", source,
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello",
                ImageBuild.RegistryCredentials.ecr("123456789012.dkr.ecr.eu-west-1.amazonaws.com"));
    }

    @Test
    void buildJobMatchesSnapshotAndPinsItsInputs() {
        Chart chart = new Chart(new App(), "build");
        ImageBuild build = build(chart, SOURCE);
        List<Map<String, Object>> objects = synth(chart);
        assertThat(objects).extracting(o -> o.get("kind")).containsExactly("ConfigMap", "Job");
        String job = objects.get(1).toString();
        assertThat(job).contains(
                "--context=git://github.com/org/repo.git#refs/heads/release#0123456789abcdef0123456789abcdef01234567",
                "--context-sub-path=apps/hello", "--destination=" + build.getImage(), "serviceAccountName=build-bot",
                "namespace=apps");
        assertThat(build.getJobName()).matches("hello-build-[0-9a-f]{10}");
        Snapshot.matches("image-build-chart", objects);
    }

    @Test
    void anotherRevisionIsAnotherJobAndAnotherTag() {
        ImageBuild first = build(new Chart(new App(), "a"), SOURCE);
        ImageBuild same = build(new Chart(new App(), "b"), SOURCE);
        ImageBuild other = build(new Chart(new App(), "c"), GitSource.builder().url("https://github.com/org/repo.git")
                .tag("v2.0.0").subDirectory("apps/hello").build());
        assertThat(same.getJobName()).isEqualTo(first.getJobName());
        assertThat(same.getImage()).isEqualTo(first.getImage());
        assertThat(other.getJobName()).isNotEqualTo(first.getJobName());
        assertThat(other.getImage()).isNotEqualTo(first.getImage());
    }

    @Test
    void knativeServiceMatchesSnapshotWithScaleAnnotationsAndSortedEnv() {
        Chart chart = new Chart(new App(), "service");
        new KnativeService(chart, "Service", KnativeServiceProps.builder()
                .name("hello")
                .namespace("apps")
                .image("ghcr.io/org/hello:1.0")
                .env(Map.of("TARGET", "World", "GREETING", "Hello"))
                .scale(Autoscaler.builder().minScale(1).maxScale(3).build())
                .imagePullSecret("hello-registry")
                .build());
        List<Map<String, Object>> objects = synth(chart);
        assertThat(objects).hasSize(1);
        String service = objects.get(0).toString();
        assertThat(service).contains("apiVersion=serving.knative.dev/v1", "kind=Service",
                "autoscaling.knative.dev/min-scale=1", "autoscaling.knative.dev/max-scale=3",
                "env=[{name=GREETING, value=Hello}, {name=TARGET, value=World}]",
                "imagePullSecrets=[{name=hello-registry}]", "ports=[{containerPort=8080}]");
        Snapshot.matches("knative-service-chart", objects);
    }
}
