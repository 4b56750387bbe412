package io.knativeoneks;

import static io.knativeoneks.DependencyGraph.MANIFEST;
import static io.knativeoneks.DependencyGraph.READINESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.knativeoneks.KnativeManifests.KubernetesObject;
import io.knativeoneks.k8s.ImageBuild;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * A workload built in the cluster from a local directory, on a fixture of its own (a cluster, a platform and the
 * walkthrough's helloworld-python, as the example app has it): build, identities, service, order and outputs.
 */
class KnativeWorkloadTest {
    private static final String OBJECT_VALUE = "Custom::AWSCDK-EKS-KubernetesObjectValue";
    private static final Stack STACK = new Stack(new App(AppProps.builder().context(ExampleApp.withCdkJson(Map.of()))
            .build()), "Fixture");
    private static final KnativeWorkload HELLO = KnativeWorkload.Builder.create(STACK, "HelloWorld")
            .platform(KnativePlatform.Builder.create(STACK, "Platform").cluster(KnativeCluster.Builder
                    .create(STACK, "Cluster").adminPrincipalArn("arn:aws:iam::123456789012:role/Admin").build())
                    .build())
            .name("helloworld-python")
            .env(Map.of("TARGET", "Python Sample v1 with Knative on EKS"))
            .image(ImageSource.fromLocalDirectory("examples/hello-python"))
            .build();
    private static final Template TEMPLATE = Template.fromStack(STACK);
    private static final Map<String, Object> JSON = TEMPLATE.toJSON();
    private static final DependencyGraph graph = new DependencyGraph(JSON);
    private static final KnativeManifests k8s = KnativeManifests.of(TEMPLATE);

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(String logicalId) {
        Map<String, Object> resources = (Map<String, Object>) JSON.get("Resources");
        return (Map<String, Object>) ((Map<String, Object>) resources.get(logicalId)).get("Properties");
    }

    /** The in-cluster build of helloworld-python. */
    private static KubernetesObject job() {
        return k8s.ofKind("Job").stream().filter(j -> j.getName().startsWith("helloworld-python")).findFirst()
                .orElseThrow();
    }

    private static KubernetesObject service() {
        return k8s.get("Service", "default", "helloworld-python");
    }

    /** The objects the manifest {@code logicalId} applies. */
    private static List<KubernetesObject> objects(String logicalId) {
        return k8s.all().stream().filter(o -> o.getLogicalId().equals(logicalId)).toList();
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(KubernetesObject object, String path) {
        return (T) object.at(path);
    }

    @Test
    void buildRunsPinnedKanikoAsBuildBotWithoutASidecar() {
        KubernetesObject job = job();
        assertThat(job.at("spec.template.spec.serviceAccountName")).isEqualTo("build-bot");
        assertThat(job.at("spec.template.spec.restartPolicy")).isEqualTo("Never");
        assertThat(job.at("spec.template.metadata.annotations['sidecar.istio.io/inject']")).isEqualTo("false");
        assertThat(KnativeWorkloadTest.<String>at(job, "spec.template.spec.containers[0].image"))
                .isEqualTo(ImageBuild.KANIKO_IMAGE).startsWith("ghcr.io/osscontainertools/kaniko:v1.28");
        List<String> args = at(job, "spec.template.spec.containers[0].args");
        assertThat(args.get(0)).as("this checkout's examples/hello-python, uploaded as a file asset")
                .matches("--context=s3://\\$\\{Sub:cdk-hnb659fds-assets-\\$\\{AWS::AccountId}-"
                        + "\\$\\{AWS::Region}}/[0-9a-f]{64}\\.knative-build-context");
        assertThat(args).contains("--dockerfile=Dockerfile");
        assertThat(job.at("spec.template.spec.containers[0].env"))
                .isEqualTo(List.of(Map.of("name", "AWS_REGION", "value", "${AWS::Region}")));
        assertThat(KnativeWorkloadTest.<Integer>at(job, "spec.activeDeadlineSeconds")).isLessThan(600);
    }

    @Test
    void buildBotLogsInToEcrThroughPodIdentityWithNoSecret() {
        String build = job().getLogicalId();
        assertThat(objects(build)).extracting(KubernetesObject::getKind)
                .containsExactly("ServiceAccount", "ConfigMap", "Job").doesNotContain("Secret");
        assertThat(KnativeWorkloadTest.<String>at(k8s.get("ConfigMap", "helloworld-python-docker-config"),
                "data['config.json']")).matches("\\{\"credHelpers\":\\{\".*\\.dkr\\.ecr\\..*\":\"ecr-login\"}}");
        String association = graph.find("AWS::EKS::PodIdentityAssociation",
                p -> "build-bot".equals(p.get("ServiceAccount")) && "default".equals(p.get("Namespace")));
        assertThat(graph.isAfter(build, association)).as("pods start after their identity exists").isTrue();
    }

    @Test
    void theBuiltImageFlowsFromBuildToService() {
        List<String> args = at(job(), "spec.template.spec.containers[0].args");
        String destination = args.stream().filter(a -> a.startsWith("--destination=")).findFirst().orElseThrow()
                .substring("--destination=".length());
        String image = at(service(), "spec.template.spec.containers[0].image");
        assertThat(image).isEqualTo(destination).contains(".dkr.ecr.").matches(".*:build-[0-9a-f]{16}");
    }

    @Test
    void serviceIsAppliedOnlyAfterTheBuildSucceededAndServingIsReady() {
        String build = job().getLogicalId();
        String service = service().getLogicalId();
        String jobName = job().getName();
        String succeeded = graph.find(READINESS, p -> jobName.equals(p.get("Name")));
        TEMPLATE.hasResourceProperties(READINESS, Match.objectLike(Map.of(
                "Kind", "Job", "Namespace", "default", "Name", jobName)));
        String servingReady = graph.find(READINESS, p -> "webhook".equals(p.get("Name")));
        assertThat(graph.isAfter(succeeded, build)).isTrue();
        assertThat(graph.isAfter(service, succeeded)).isTrue();
        assertThat(graph.isAfter(service, servingReady)).isTrue();
        assertThat(graph.isAfter(build, service)).isFalse();
    }

    @Test
    void serviceIsTheWalkthroughsHelloworldPython() {
        KubernetesObject service = service();
        assertThat(List.of(HELLO.getName(), HELLO.getNamespace())).containsExactly("helloworld-python", "default");
        assertThat(service.getApiVersion()).isEqualTo("serving.knative.dev/v1");
        assertThat(service.getNamespace()).isEqualTo("default");
        assertThat(service.at("spec.template.spec.containers[0].env").toString())
                .isEqualTo("[{name=TARGET, value=Python Sample v1 with Knative on EKS}]" /* name first, always */);
    }

    @Test
    void pushAndPullAreScopedToTheRepository() {
        String repository = graph.all("AWS::ECR::Repository").stream()
                .filter(id -> id.startsWith("HelloWorldRepository")).findFirst().orElseThrow();
        Map<String, Object> repoArn = Map.of("Fn::GetAtt", List.of(repository, "Arn"));
        Map<String, Object> buildBotPolicy = properties(graph.find("AWS::IAM::Policy",
                p -> String.valueOf(p.get("Roles")).contains("HelloWorldBuildBotRole")));
        assertThat(String.valueOf(buildBotPolicy.get("PolicyDocument"))).doesNotContain("s3:*", "ecr:*");
        TEMPLATE.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(Map.of("Ref", Match.stringLikeRegexp("HelloWorldBuildBotRole.*"))),
                "PolicyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(
                        Map.of("Effect", "Allow", "Action", "s3:GetObject", "Resource", Match.anyValue()),
                        Map.of("Effect", "Allow", "Resource", repoArn, "Action", List.of(
                                "ecr:CompleteLayerUpload", "ecr:UploadLayerPart", "ecr:InitiateLayerUpload",
                                "ecr:BatchCheckLayerAvailability", "ecr:PutImage")),
                        Map.of("Effect", "Allow", "Resource", "*", "Action", "ecr:GetAuthorizationToken"))))));
        assertThat(buildBotPolicy.get("PolicyDocument").toString())
                .as("read on build contexts only, the same grant whatever the context's hash (no IAM propagation "
                        + "delay after an edit)")
                .contains("Action=s3:GetObject, Effect=Allow, Resource={Fn::Join=[, [arn:, "
                        + "{Ref=AWS::Partition}, :s3:::, {Fn::Sub=cdk-hnb659fds-assets-${AWS::AccountId}-"
                        + "${AWS::Region}}, /*.knative-build-context]]}");
        // the controller may pull from each workload's repository, one statement per repository
        TEMPLATE.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(Map.of("Ref", Match.stringLikeRegexp("PlatformServingControllerRole.*"))),
                "PolicyDocument", Map.of("Version", "2012-10-17", "Statement", Match.arrayWith(List.of(
                        Map.of("Effect", "Allow", "Resource", repoArn, "Action", List.of(
                                "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
                                "ecr:BatchGetImage")),
                        Map.of("Effect", "Allow", "Resource", "*", "Action", "ecr:GetAuthorizationToken")))))));
        String controllerPolicy = graph.find("AWS::IAM::Policy",
                p -> String.valueOf(p.get("Roles")).contains("PlatformServingControllerRole"));
        assertThat(String.valueOf(properties(controllerPolicy).get("PolicyDocument")))
                .doesNotContain("ecr:PutImage", "ecr:*");
    }

    @Test
    void outputsGiveTheCurlCommandAndTheHost() {
        TEMPLATE.hasOutput("*", Match.objectLike(Map.of("Value",
                "helloworld-python.default.example.com")));
        TEMPLATE.hasOutput("*", Match.objectLike(Map.of("Value", Map.of("Fn::Join", List.of("", List.of(
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
        Template template = workload(ImageSource.fromDockerBuild("examples/hello-python"), Autoscaler.builder()
                .minScale(1).maxScale(5).initialScale(2).scaleToZeroPodRetentionPeriod(Duration.minutes(2))
                .containerConcurrencyTargetDefault(20).build());
        KubernetesObject service = KnativeManifests.of(template).get("Service", "default", "app");
        assertThat(service.at("spec.template.spec.containers[0].image").toString()).contains("container-assets");
        assertThat(service.at("spec.template.metadata.annotations")).isEqualTo(Map.of(
                "autoscaling.knative.dev/min-scale", "1", "autoscaling.knative.dev/max-scale", "5",
                "autoscaling.knative.dev/initial-scale", "2",
                "autoscaling.knative.dev/scale-to-zero-pod-retention-period", "120s",
                "autoscaling.knative.dev/target", "20"));
    }
}
