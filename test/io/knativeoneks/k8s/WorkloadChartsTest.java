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

    private static final String REPOSITORY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello";
    private static final ImageBuild.RegistryCredentials ECR =
            ImageBuild.RegistryCredentials.ecr("123456789012.dkr.ecr.eu-west-1.amazonaws.com");

    private static ImageBuild build(Chart chart, BuildContext source) {
        return build(chart, source, REPOSITORY, ECR, "Stack/Hello");
    }

    private static ImageBuild build(Chart chart, BuildContext source, String repository,
            ImageBuild.RegistryCredentials credentials, String inputsKey) {
        return new ImageBuild(chart, "Build", "hello", "apps", "build-bot", source, repository, credentials,
                inputsKey);
    }

    private static String jobName(BuildContext source, String repository, ImageBuild.RegistryCredentials credentials,
            String inputsKey) {
        return build(new Chart(new App(), "x"), source, repository, credentials, inputsKey).getJobName();
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
        assertThat(build.getImage()).matches(REPOSITORY + ":build-[0-9a-f]{16}");
        Snapshot.matches("image-build-chart", objects);
    }

    @Test
    void theBuildRunsOnceAndLeavesItsLogTailAsTheReasonWhenItFails() {
        Chart chart = new Chart(new App(), "build");
        build(chart, SOURCE);
        String job = synth(chart).get(1).toString();
        assertThat(job).contains("backoffLimit=0", "activeDeadlineSeconds=" + ImageBuild.DEADLINE_SECONDS,
                "terminationMessagePolicy=FallbackToLogsOnError", "--digest-file=/dev/termination-log");
    }

    @Test
    void anS3ContextIsReadWithTheRegionKanikoNeeds() {
        Chart chart = new Chart(new App(), "build");
        build(chart, BuildContext.s3("assets-bucket", "abc123.gz", "eu-west-1", "Dockerfile.prod"));
        String job = synth(chart).get(1).toString();
        assertThat(job).contains("--context=s3://assets-bucket/abc123.gz", "--dockerfile=Dockerfile.prod",
                "env=[{name=AWS_REGION, value=eu-west-1}]").doesNotContain("--context-sub-path");
    }

    @Test
    void anyChangeToWhatTheBuildDoesIsANewJobAndNothingElseIs() {
        String base = jobName(SOURCE, REPOSITORY, ECR, "Stack/Hello");
        assertThat(jobName(SOURCE, REPOSITORY, ECR, "Stack/Hello")).as("same inputs").isEqualTo(base);
        assertThat(List.of(
                jobName(SOURCE, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/other", ECR, "Stack/Hello"),
                jobName(SOURCE, REPOSITORY, ImageBuild.RegistryCredentials.dockerConfigSecret("hello-registry"),
                        "Stack/Hello"),
                jobName(SOURCE, REPOSITORY, ECR, "Stack/Renamed"),
                jobName(GitSource.builder().url("https://github.com/org/repo.git").branch("release")
                        .commit("0123456789abcdef0123456789abcdef01234567").subDirectory("apps/hello")
                        .dockerfile("Dockerfile.prod").build(), REPOSITORY, ECR, "Stack/Hello"),
                jobName(BuildContext.s3("bucket", "a.gz", "eu-west-1", "Dockerfile"), REPOSITORY, ECR, "Stack/Hello"),
                jobName(BuildContext.s3("bucket", "b.gz", "eu-west-1", "Dockerfile"), REPOSITORY, ECR, "Stack/Hello")))
                .as("destination, credentials, owner, Dockerfile, context")
                .doesNotContain(base).doesNotHaveDuplicates();
    }

    @Test
    void aRebuildKeyRebuildsAMovingBranch() {
        GitSource.Builder branch = GitSource.builder().url("https://github.com/org/repo.git").branch("main");
        String plain = jobName(branch.build(), REPOSITORY, ECR, "Stack/Hello");
        String monday = jobName(branch.rebuildKey("2026-11-30").build(), REPOSITORY, ECR, "Stack/Hello");
        String tuesday = jobName(branch.rebuildKey("2026-12-01").build(), REPOSITORY, ECR, "Stack/Hello");
        assertThat(List.of(plain, monday, tuesday)).doesNotHaveDuplicates();
        Chart chart = new Chart(new App(), "build");
        build(chart, branch.build());
        assertThat(synth(chart).get(1).toString()).contains(GitSource.REBUILD_KEY_ANNOTATION + "=2026-12-01");
    }

    @Test
    void deployTimeValuesStandForWhatTheInputsKeySays() {
        String token = "${Token[TOKEN.101]}/hello";
        assertThat(jobName(SOURCE, token, ECR, "Stack/Hello"))
                .as("a token renumbered by an unrelated change does not rebuild")
                .isEqualTo(jobName(SOURCE, "${Token[TOKEN.2034]}/hello", ECR, "Stack/Hello"));
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
                .revisionAnnotations(Map.of("autoscaling.knative.dev/min-scale", "1",
                        "autoscaling.knative.dev/max-scale", "3"))
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
