package io.knativeoneks;

import static io.knativeoneks.DependencyGraph.MANIFEST;
import static io.knativeoneks.DependencyGraph.READINESS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.knativeoneks.k8s.ImageBuild;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The example app's helloworld-python: build, identities, service, order and outputs. */
class KnativeWorkloadTest {
    private static final String OBJECT_VALUE = "Custom::AWSCDK-EKS-KubernetesObjectValue";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DependencyGraph graph = ExampleApp.GRAPH;

    /** The helloworld-python manifest that holds an object of {@code kind}. */
    private static String manifestWith(String kind) {
        return graph.manifestContaining("\"kind\":\"" + kind + "\"", "helloworld-python");
    }

    private static List<Map<String, Object>> objects(String manifestId) throws Exception {
        return JSON.readValue(graph.manifest(manifestId),
                new TypeReference<>() { });
    }

    private static Map<String, Object> object(String manifestId, String kind) throws Exception {
        return objects(manifestId).stream().filter(o -> kind.equals(o.get("kind"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            current = step instanceof Integer ? ((List<Object>) current).get((Integer) step)
                    : ((Map<String, Object>) current).get(step);
        }
        return (T) current;
    }

    @Test
    void buildRunsPinnedKanikoAsBuildBotWithoutASidecar() throws Exception {
        Map<String, Object> job = object(manifestWith("Job"), "Job");
        Map<String, Object> pod = at(job, "spec", "template");
        assertThat(at(pod, "spec", "serviceAccountName").toString()).isEqualTo("build-bot");
        assertThat(at(pod, "spec", "restartPolicy").toString()).isEqualTo("Never");
        assertThat(at(pod, "metadata", "annotations").toString()).contains("sidecar.istio.io/inject=false");
        assertThat(at(pod, "spec", "containers", 0, "image").toString())
                .isEqualTo(ImageBuild.KANIKO_IMAGE).startsWith("ghcr.io/osscontainertools/kaniko:v1.28");
        List<String> args = at(pod, "spec", "containers", 0, "args");
        assertThat(args.get(0)).as("this checkout's examples/hello-python, uploaded as a file asset")
                .matches("--context=s3://\\$\\{\\{Fn::Sub=cdk-hnb659fds-assets-\\$\\{AWS::AccountId}-"
                        + "\\$\\{AWS::Region}}}/[0-9a-f]{64}\\.gz");
        assertThat(args).contains("--dockerfile=Dockerfile");
        assertThat(at(pod, "spec", "containers", 0, "env").toString())
                .isEqualTo("[{name=AWS_REGION, value=${{Ref=AWS::Region}}}]");
        assertThat((int) at(job, "spec", "activeDeadlineSeconds")).isLessThan(600);
    }

    @Test
    void buildBotLogsInToEcrThroughPodIdentityWithNoSecret() throws Exception {
        String build = manifestWith("Job");
        assertThat(objects(build)).extracting(o -> o.get("kind"))
                .containsExactly("ServiceAccount", "ConfigMap", "Job").doesNotContain("Secret");
        assertThat(at(object(build, "ConfigMap"), "data", "config.json").toString())
                .matches("\\{\"credHelpers\":\\{\".*\\.dkr\\.ecr\\..*\":\"ecr-login\"}}");
        String association = graph.find("AWS::EKS::PodIdentityAssociation",
                p -> "build-bot".equals(p.get("ServiceAccount")) && "default".equals(p.get("Namespace")));
        assertThat(graph.isAfter(build, association)).as("pods start after their identity exists").isTrue();
    }

    @Test
    void theBuiltImageFlowsFromBuildToService() throws Exception {
        List<String> args = at(object(manifestWith("Job"), "Job"), "spec", "template", "spec", "containers", 0, "args");
        String destination = args.stream().filter(a -> a.startsWith("--destination=")).findFirst().orElseThrow()
                .substring("--destination=".length());
        String image = at(object(manifestWith("Service"), "Service"), "spec", "template", "spec", "containers", 0,
                "image");
        assertThat(image).isEqualTo(destination).contains(".dkr.ecr.").matches(".*:build-[0-9a-f]{16}");
    }

    @Test
    void serviceIsAppliedOnlyAfterTheBuildSucceededAndServingIsReady() throws Exception {
        String build = manifestWith("Job");
        String service = manifestWith("Service");
        String jobName = at(object(build, "Job"), "metadata", "name");
        String succeeded = graph.find(READINESS, p -> jobName.equals(p.get("Name")));
        ExampleApp.TEMPLATE.hasResourceProperties(READINESS, Match.objectLike(Map.of(
                "Kind", "Job", "Namespace", "default", "Name", jobName)));
        String servingReady = graph.find(READINESS, p -> "webhook".equals(p.get("Name")));
        assertThat(graph.isAfter(succeeded, build)).isTrue();
        assertThat(graph.isAfter(service, succeeded)).isTrue();
        assertThat(graph.isAfter(service, servingReady)).isTrue();
        assertThat(graph.isAfter(build, service)).isFalse();
    }

    @Test
    void serviceIsTheWalkthroughsHelloworldPython() throws Exception {
        Map<String, Object> service = object(manifestWith("Service"), "Service");
        assertThat(service.get("apiVersion")).isEqualTo("serving.knative.dev/v1");
        assertThat(at(service, "metadata", "name").toString()).isEqualTo("helloworld-python");
        assertThat(at(service, "metadata", "namespace").toString()).isEqualTo("default");
        assertThat(at(service, "spec", "template", "spec", "containers", 0, "env").toString())
                .isEqualTo("[{name=TARGET, value=Python Sample v1 with Knative on EKS}]" /* name first, always */);
    }

    @Test
    void pushAndPullAreScopedToTheRepository() {
        String repository = graph.all("AWS::ECR::Repository").stream()
                .filter(id -> id.startsWith("HelloWorldRepository")).findFirst().orElseThrow();
        Map<String, Object> repoArn = Map.of("Fn::GetAtt", List.of(repository, "Arn"));
        Map<String, Object> buildBotPolicy = ExampleApp.properties(graph.find("AWS::IAM::Policy",
                p -> String.valueOf(p.get("Roles")).contains("HelloWorldBuildBotRole")));
        assertThat(CfnText.render(Map.of("x", buildBotPolicy.get("PolicyDocument")))).doesNotContain("s3:*", "ecr:*");
        ExampleApp.TEMPLATE.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(Map.of("Ref", Match.stringLikeRegexp("HelloWorldBuildBotRole.*"))),
                "PolicyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(
                        Map.of("Effect", "Allow", "Action", "s3:GetObject", "Resource", Match.anyValue()),
                        Map.of("Effect", "Allow", "Resource", repoArn, "Action", List.of(
                                "ecr:CompleteLayerUpload", "ecr:UploadLayerPart", "ecr:InitiateLayerUpload",
                                "ecr:BatchCheckLayerAvailability", "ecr:PutImage")),
                        Map.of("Effect", "Allow", "Resource", "*", "Action", "ecr:GetAuthorizationToken"))))));
        assertThat(buildBotPolicy.get("PolicyDocument").toString()).as("read on its context object only")
                .containsPattern("Action=s3:GetObject, Effect=Allow, Resource=\\{Fn::Join=\\[, \\[arn:, "
                        + "\\{Ref=AWS::Partition}, :s3:::, \\{Fn::Sub=cdk-hnb659fds-assets-\\$\\{AWS::AccountId}-"
                        + "\\$\\{AWS::Region}}, /[0-9a-f]{64}\\.gz]]}");
        // the controller may pull from each workload's repository, one statement per repository
        ExampleApp.TEMPLATE.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(Map.of("Ref", Match.stringLikeRegexp("PlatformServingControllerRole.*"))),
                "PolicyDocument", Map.of("Version", "2012-10-17", "Statement", Match.arrayWith(List.of(
                        Map.of("Effect", "Allow", "Resource", repoArn, "Action", List.of(
                                "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
                                "ecr:BatchGetImage")),
                        Map.of("Effect", "Allow", "Resource", "*", "Action", "ecr:GetAuthorizationToken")))))));
        String controllerPolicy = graph.find("AWS::IAM::Policy",
                p -> String.valueOf(p.get("Roles")).contains("PlatformServingControllerRole"));
        assertThat(CfnText.render(Map.of("x", ExampleApp.properties(controllerPolicy).get("PolicyDocument"))))
                .doesNotContain("ecr:PutImage", "ecr:*");
    }

    @Test
    void outputsGiveTheCurlCommandAndTheHost() {
        ExampleApp.TEMPLATE.hasOutput("*", Match.objectLike(Map.of("Value",
                "helloworld-python.default.example.com")));
        ExampleApp.TEMPLATE.hasOutput("*", Match.objectLike(Map.of("Value", Map.of("Fn::Join", List.of("", List.of(
                "curl -H \"Host: helloworld-python.default.example.com\" http://",
                Map.of("Fn::GetAtt", List.of(graph.find(OBJECT_VALUE,
                        p -> "istio-ingressgateway".equals(p.get("ObjectName"))), "Value"))))))));
    }

    private static Template workload(ImageSource image, Autoscaler scale) {
        Stack stack = new Stack(new App(), "Workload");
        KnativePlatform platform = KnativePlatform.Builder.create(stack, "Platform")
                .cluster(KnativeCluster.Builder.create(stack, "Cluster").build()).build();
        KnativeWorkload.Builder app = KnativeWorkload.Builder.create(stack, "App").platform(platform).name("app")
                .image(image);
        if (scale != null) {
            app.scale(scale);
        }
        app.build();
        return Template.fromStack(stack);
    }

    @Test
    void existingEcrImageRunsAsIsAndTheControllerMayResolveIt() {
        Template template = workload(ImageSource.fromImage(
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.2.3"), null);
        template.resourceCountIs("AWS::ECR::Repository", 0);
        template.resourcePropertiesCountIs(MANIFEST, Match.objectLike(Map.of("Manifest",
                Match.stringLikeRegexp(".*\"image\":\"123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.2.3\".*"))),
                1);
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of("PolicyDocument", Map.of(
                "Version", "2012-10-17", "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Resource", "arn:aws:ecr:eu-west-1:123456789012:repository/team/app"))))))));
    }

    @Test
    void localDirectoryIsBuiltByCdkAndScaleBecomesRevisionAnnotations() {
        Template template = workload(ImageSource.fromDirectory("examples/hello-python"), Autoscaler.builder()
                .minScale(1).maxScale(5).initialScale(2).scaleToZeroPodRetentionPeriod(Duration.minutes(2))
                .containerConcurrencyTargetDefault(20).build());
        String manifest = template.findResources(MANIFEST).values().stream()
                .map(r -> CfnText.render(((Map<?, ?>) r.get("Properties")).get("Manifest")))
                .filter(m -> m.contains("serving.knative.dev/v1")).findFirst().orElseThrow();
        assertThat(manifest).contains("container-assets", "\"autoscaling.knative.dev/min-scale\":\"1\"",
                "\"autoscaling.knative.dev/max-scale\":\"5\"", "\"autoscaling.knative.dev/initial-scale\":\"2\"",
                "\"autoscaling.knative.dev/scale-to-zero-pod-retention-period\":\"120s\"",
                "\"autoscaling.knative.dev/target\":\"20\"");
    }
}
