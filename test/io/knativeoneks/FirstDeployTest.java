package io.knativeoneks;

import static io.knativeoneks.DependencyGraph.MANIFEST;
import static io.knativeoneks.DependencyGraph.READINESS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * What a new user's first {@code cdk deploy} of the default app depends on: everything it needs is in the
 * template and its assets, builds start early and fail fast, and {@code cdk destroy} leaves nothing behind.
 */
class FirstDeployTest {
    private static final Template template = ExampleApp.TEMPLATE;
    private static final DependencyGraph graph = ExampleApp.GRAPH;

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> resources() {
        return (Map<String, Map<String, Object>>) ExampleApp.JSON.get("Resources");
    }

    private static String chart(String release) {
        return graph.find("Custom::AWSCDK-EKS-HelmChart", p -> release.equals(p.get("Release")));
    }

    @Test
    void theExamplesAreBuiltFromThisCheckoutNotFromARepositoryThatMayNotExist() {
        List<String> builds = graph.all(MANIFEST).stream().map(graph::manifest).filter(m -> m.contains("\"Job\""))
                .toList();
        assertThat(builds).hasSize(2).allSatisfy(m -> assertThat(m).contains("--context=s3://")
                .doesNotContain("git://", "github.com"));
    }

    @Test
    void buildsStartOnceTheirNodesIdentityAndNamespaceExistNotAfterIstioOrKnative() {
        String agent = graph.all("AWS::EKS::Addon").get(0);
        for (String build : graph.all(MANIFEST).stream().filter(id -> graph.manifest(id).contains("\"Job\""))
                .toList()) {
            assertThat(graph.isAfter(build, agent)).as(build + " after the Pod Identity agent").isTrue();
            assertThat(graph.isAfter(build, graph.all("Custom::AWSCDK-EKS-KubernetesPatch").get(0)))
                    .as(build + " after the namespace label").isTrue();
            for (String istio : List.of("istio-base", "istiod", "istio-ingressgateway", "knative-operator")) {
                assertThat(graph.isAfter(build, chart(istio))).as(build + " not after " + istio).isFalse();
            }
            assertThat(graph.isAfter(build, graph.manifestContaining("\"kind\":\"KnativeServing\"")))
                    .as(build + " not after Knative").isFalse();
        }
    }

    @Test
    void eachBuildIsAwaitedByAWaitThatFailsFastWithTheReason() {
        template.resourceCountIs(READINESS, 5);
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", "index.on_event", "Runtime", "python3.14", "Timeout", 720)));
        String function = graph.find("AWS::Lambda::Function", p -> "index.on_event".equals(p.get("Handler")));
        String access = graph.find("AWS::EKS::AccessEntry",
                p -> String.valueOf(p.get("AccessPolicies")).contains("AmazonEKSViewPolicy"));
        assertThat(ExampleApp.properties(access).toString()).as("view rights only")
                .contains("AccessScope={Type=cluster}", ":eks::aws:cluster-access-policy/AmazonEKSViewPolicy")
                .doesNotContain("Admin").contains("PrincipalArn={Fn::GetAtt=[PlatformReadinessWaitProviderFunctionServiceRole");
        graph.all(READINESS).forEach(wait -> assertThat(graph.isAfter(wait, access)).as(wait).isTrue());
        Map<String, Object> properties = ExampleApp.properties(function);
        Object logGroup = ((Map<?, ?>) properties.get("LoggingConfig")).get("LogGroup");
        assertThat(logGroup).isInstanceOf(Map.class);
        assertThat(properties.get("Environment")).as("the failure reason names the log group it writes to")
                .isEqualTo(Map.of("Variables", Map.of("LOG_GROUP", logGroup,
                        "AWS_STS_REGIONAL_ENDPOINTS", "regional")));
        assertThat(template.findResources("AWS::IAM::Policy").values()).as("endpoint and CA known: no describe")
                .filteredOn(p -> p.toString().contains("Roles=[{Ref=PlatformReadinessWaitProviderFunctionServiceRole"))
                .noneMatch(p -> p.toString().contains("eks:DescribeCluster"));
    }

    @Test
    void nothingIsRetainedByDefault() {
        resources().forEach((id, r) -> {
            assertThat(r.get("DeletionPolicy")).as(id).isNotEqualTo("Retain");
            assertThat(r.get("UpdateReplacePolicy")).as(id).isNotEqualTo("Retain");
        });
        template.allResourcesProperties("AWS::KMS::Key", Match.objectLike(Map.of("PendingWindowInDays", 7)));
        template.allResourcesProperties("AWS::ECR::Repository", Match.objectLike(Map.of("EmptyOnDelete", true)));
    }

    @Test
    void oneRemovalPolicyRetainsEveryDataBearingResource() {
        Stack stack = new Stack(new App(), "Retained");
        KnativePlatform platform = KnativePlatform.Builder.create(stack, "Platform")
                .cluster(KnativeCluster.Builder.create(stack, "Cluster").removalPolicy(RemovalPolicy.RETAIN).build())
                .build();
        KnativeWorkload.Builder.create(stack, "App").platform(platform).name("app")
                .image(ImageSource.fromLocalDirectory("examples/hello-python")).build();
        Template retained = Template.fromStack(stack);
        for (String type : List.of("AWS::KMS::Key", "AWS::Logs::LogGroup", "AWS::ECR::Repository")) {
            assertThat(retained.findResources(type)).as(type).isNotEmpty().allSatisfy((id, r) ->
                    assertThat(r.get("DeletionPolicy")).as(id).isEqualTo("Retain"));
        }
        retained.findResources("AWS::ECR::Repository").forEach((id, r) ->
                assertThat(((Map<?, ?>) r.get("Properties")).get("EmptyOnDelete")).as(id).isNotEqualTo(true));
    }

    @Test
    void nodesInPublicSubnetsGetNoPublicAddress() {
        template.allResourcesProperties("AWS::EC2::Subnet", Match.objectLike(Map.of(
                "MapPublicIpOnLaunch", false)));
    }

    @Test
    void everyLogGroupTheStackCreatesIsEncryptedWithACustomerKeyAndKeptAYear() {
        assertThat(template.findResources("AWS::Logs::LogGroup")).hasSizeGreaterThanOrEqualTo(3);
        template.allResourcesProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of(
                "KmsKeyId", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("ClusterLogsKey.*"), "Arn")),
                "RetentionInDays", 365)));
        template.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("KeyPolicy", Match.objectLike(Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", Map.of("Fn::Join", List.of("", List.of("logs.",
                                Map.of("Ref", "AWS::Region"), ".amazonaws.com")))))))))))));
    }

    @Test
    void imageRepositoriesHaveImmutableTagsAndKeepRecentImages() {
        template.allResourcesProperties("AWS::ECR::Repository", Match.objectLike(Map.of(
                "ImageTagMutability", "IMMUTABLE",
                "LifecyclePolicy", Map.of("LifecyclePolicyText", Match.stringLikeRegexp(
                        ".*\"countType\":\"imageCountMoreThan\",\"countNumber\":" + ImageRegistry.ECR_IMAGES_KEPT
                                + ".*")))));
    }

    @Test
    void keysAllowGrantsOnlyForAwsResourcesOrServices() {
        assertThat(template.findResources("AWS::KMS::Key")).hasSize(2);
        template.allResourcesProperties("AWS::KMS::Key", Match.objectLike(Map.of("KeyPolicy", Match.objectLike(Map.of(
                "Statement", Match.arrayWith(List.of(Map.of(
                        "Sid", "GrantsOnlyForAwsResources",
                        "Effect", "Deny",
                        "Principal", Map.of("AWS", "*"),
                        "Action", "kms:CreateGrant",
                        "Resource", "*",
                        "Condition", Map.of("BoolIfExists", Map.of("kms:GrantIsForAWSResource", "false",
                                "aws:PrincipalIsAWSService", "false"))))))))));
    }

    @Test
    void theEstimatedDeployIsAtMostTwentyMinutes(@TempDir Path dir) throws IOException, InterruptedException {
        Path file = dir.resolve("template.json");
        new ObjectMapper().writeValue(file.toFile(), ExampleApp.JSON);
        Process estimate = new ProcessBuilder("node", "bench/deploy-estimate.mjs", "--max-minutes", "20",
                file.toString()).redirectErrorStream(true).start();
        String output = new String(estimate.getInputStream().readAllBytes());
        assertThat(estimate.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).containsPattern("estimated critical path: \\d+\\.\\d min");
        assertThat(estimate.exitValue()).as(output).isZero();
        assertThat(output).as("the longest path goes through the cluster and its nodes")
                .contains("AWS::EKS::Cluster", "AWS::EKS::Nodegroup");
    }

    @Test
    void theEstimateCanFail(@TempDir Path dir) throws IOException, InterruptedException {
        Path file = dir.resolve("template.json");
        Files.writeString(file, "{\"Resources\":{\"C\":{\"Type\":\"AWS::EKS::Cluster\"},"
                + "\"N\":{\"Type\":\"AWS::EKS::Nodegroup\",\"DependsOn\":[\"C\"]}}}");
        Process estimate = new ProcessBuilder("node", "bench/deploy-estimate.mjs", "--max-minutes", "12",
                file.toString()).redirectErrorStream(true).start();
        String output = new String(estimate.getInputStream().readAllBytes());
        assertThat(estimate.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("estimated critical path: 13.0 min", "over the target of 12 min");
        assertThat(estimate.exitValue()).isEqualTo(1);
    }
}
