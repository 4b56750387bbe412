package io.knativeoneks;

import static io.knativeoneks.DependencyGraph.MANIFEST;
import static io.knativeoneks.DependencyGraph.READINESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.knativeoneks.k8s.GitSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.iam.Role;

/**
 * The in-cluster build on a fixture of its own: one workload built from git (pushed to a new ECR repository) and one
 * built from a local directory, on a platform over an imported cluster.
 */
class InClusterBuildTest {
    private static Stack stack;
    private static KnativeWorkload orders;
    private static InClusterBuild build;
    private static InClusterBuild localBuild;
    private static Template template;
    private static DependencyGraph graph;

    @BeforeAll
    static void synth() {
        stack = new Stack(new App(), "Apps");
        KnativePlatform platform = KnativePlatform.Builder.create(stack, "Knative")
                .cluster(AnyClusterTest.imported(stack, true)).installPodIdentityAgent(true).build();
        orders = KnativeWorkload.Builder.create(stack, "Orders").platform(platform).name("orders")
                .image(ImageSource.fromGit(GitSource.builder().url("https://github.com/team/orders.git").tag("v1.0")
                        .build()))
                .build();
        build = orders.getInClusterBuild();
        localBuild = KnativeWorkload.Builder.create(stack, "Hello").platform(platform).name("hello")
                .buildServiceAccount("hello-build").image(ImageSource.fromLocalDirectory("examples/hello-python"))
                .build().getInClusterBuild();
        template = Template.fromStack(stack);
        graph = new DependencyGraph(template.toJSON());
    }

    private static String logicalId(software.constructs.IConstruct resource) {
        return stack.getLogicalId((software.amazon.awscdk.CfnElement) resource.getNode().getDefaultChild());
    }

    @Test
    void theWorkloadMakesItUnderTheIdCdkLeavesOutOfLogicalIds() {
        assertThat(build.getNode().getPath()).as("path").isEqualTo("Apps/Orders/Default");
        assertThat(orders.getBuild()).as("the workload's cdk8s build").isSameAs(build.getImageBuild());
        assertThat(graph.all(MANIFEST)).as("the build's manifest keeps the logical ID of earlier versions")
                .anyMatch(id -> id.startsWith("OrdersBuild") && !id.startsWith("OrdersBuildBot"));
        assertThat(graph.all("AWS::IAM::Role")).as("the build's role keeps its logical ID")
                .anyMatch(id -> id.startsWith("OrdersBuildBotRole"));
        assertThat(graph.all(READINESS)).as("the wait keeps its logical ID")
                .anyMatch(id -> id.startsWith("OrdersBuildSucceeded"));
        assertThat(build.getImageBuild().getJobName()).as("the Job's name").startsWith("orders-build-");
    }

    @Test
    void theManifestHasTheBuildsServiceAccountAndTheJob() {
        String manifest = graph.manifest(logicalId(build.getManifest()));
        assertThat(manifest).as("the Job").contains("\"kind\":\"Job\"", build.getImageBuild().getJobName(),
                "\"serviceAccountName\":\"build-bot\"");
        assertThat(manifest).as("the service account").contains("\"kind\":\"ServiceAccount\"",
                "\"name\":\"build-bot\"");
        assertThat(manifest).as("kaniko's destination").contains("--destination=");
    }

    @Test
    void itsIdentityIsAPodIdentityAssociationOfTheBuildsServiceAccount() {
        assertThat(build.getIdentity().getServiceAccount()).as("service account").isEqualTo("build-bot");
        assertThat(build.getIdentity().getNamespace()).as("namespace").isEqualTo(orders.getNamespace());
        String role = logicalId(build.getIdentity().getRole());
        String association = graph.find("AWS::EKS::PodIdentityAssociation",
                p -> "build-bot".equals(p.get("ServiceAccount")));
        template.hasResourceProperties("AWS::EKS::PodIdentityAssociation", Match.objectLike(Map.of(
                "ServiceAccount", "build-bot", "RoleArn", Map.of("Fn::GetAtt", List.of(role, "Arn")))));
        assertThat(graph.isAfter(logicalId(build.getManifest()), association)).as("the Job starts after it").isTrue();
    }

    @Test
    void itsRolePushesToTheRepositoryAndReadsOnlyTheBuildContexts() {
        String repository = logicalId(build.getRepository());
        assertThat(build.getRepository()).as("the repository").isInstanceOf(Repository.class)
                .isSameAs(orders.getRepository());
        Object push = Match.objectLike(Map.of(
                "Action", Match.arrayWith(List.of("ecr:CompleteLayerUpload", "ecr:UploadLayerPart",
                        "ecr:InitiateLayerUpload", "ecr:PutImage")),
                "Resource", Map.of("Fn::GetAtt", List.of(repository, "Arn"))));
        Object login = Match.objectLike(Map.of("Action", "ecr:GetAuthorizationToken", "Resource", "*"));
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(push, login)))),
                "Roles", List.of(Map.of("Ref", logicalId(build.getIdentity().getRole()))))));
        Object read = Match.objectLike(Map.of("Action", "s3:GetObject",
                "Resource", Match.objectLike(Map.of("Fn::Join", Match.anyValue()))));
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(read)))),
                "Roles", List.of(Map.of("Ref", logicalId(localBuild.getIdentity().getRole()))))));
        assertThat(build.getImage()).as("the image it pushes").contains(":");
    }

    @Test
    void theWaitComesAfterTheJobAndTheServiceAfterTheWait() {
        String wait = logicalId(build.getSucceeded().getResource());
        template.hasResourceProperties(READINESS, Match.objectLike(Map.of("Kind", "Job",
                "Name", build.getImageBuild().getJobName())));
        assertThat(graph.isAfter(wait, logicalId(build.getManifest()))).as("the wait after the Job").isTrue();
        assertThat(graph.isAfter(logicalId(orders.getService()), wait)).as("the service after the wait").isTrue();
        String tag = build.getImage().substring(build.getImage().lastIndexOf(':'));
        assertThat(tag).as("the build's tag").startsWith(":build-");
        assertThat(graph.manifest(logicalId(orders.getService()))).as("the service runs the image")
                .contains("/${Ref:" + logicalId(build.getRepository()) + "}" + tag + "\"");
    }

    @Test
    void podIdentityRoleIsAPrincipal() {
        Stack own = new Stack(new App(), "Own");
        PodIdentityRole reader = PodIdentityRole.Builder.create(own, "Reader")
                .cluster(AnyClusterTest.imported(own, false)).namespace("reports").serviceAccount("reader").build();
        software.amazon.awscdk.services.s3.Bucket bucket = software.amazon.awscdk.services.s3.Bucket.Builder
                .create(own, "Reports").build();
        bucket.grantRead(reader);
        assertThat(reader.getGrantPrincipal()).as("its grant principal is its role").isSameAs(reader.getRole())
                .isInstanceOf(Role.class);
        Template.fromStack(own).hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(
                        Map.of("Action", Match.arrayWith(List.of("s3:GetObject*")))))))),
                "Roles", List.of(Map.of("Ref", own.getLogicalId((software.amazon.awscdk.CfnElement)
                        reader.getRole().getNode().getDefaultChild()))))));
        Template.fromStack(own).hasResourceProperties("AWS::EKS::PodIdentityAssociation", Match.objectLike(Map.of(
                "ClusterName", "team-cluster", "Namespace", "reports", "ServiceAccount", "reader")));
    }
}
