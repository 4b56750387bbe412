package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.knativeoneks.common.ValidationError;
import io.knativeoneks.k8s.GitSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.secretsmanager.Secret;

/**
 * A platform another CDK app installed, imported by its attributes: this app's workloads run on it with nothing
 * installed or awaited, grants go to the imported roles as policies of the workloads' stacks, and this app's own
 * objects are still checked for clashes.
 */
class ImportedPlatformTest {
    private static final String HELM = "Custom::AWSCDK-EKS-HelmChart";
    private static final String MANIFEST = "Custom::AWSCDK-EKS-KubernetesResource";
    private static final String OBJECT_VALUE = "Custom::AWSCDK-EKS-KubernetesObjectValue";
    private static final String SERVING_ROLE = "arn:aws:iam::111111111111:role/team-serving-controller";
    private static final String OPERATOR_ROLE = "arn:aws:iam::111111111111:role/team-external-secrets";
    private static final StackProps ENV = StackProps.builder().env(Environment.builder().account("111111111111")
            .region("eu-west-1").build()).build();

    /** The platform's app: a stack with a KnativeCluster and its KnativePlatform, which the other app never sees. */
    private static Template platformApp() {
        Stack stack = new Stack(new App(), "Platform", ENV);
        KnativePlatform.Builder.create(stack, "Platform").cluster(KnativeCluster.Builder.create(stack, "Cluster")
                .build()).build();
        return Template.fromStack(stack);
    }

    /** The services' app: the platform imported in one stack, workloads in another. */
    private record Services(Stack shared, Stack services, IKnativePlatform platform) {
    }

    private static Services servicesApp(KnativePlatformAttributes.Builder attributes) {
        App app = new App();
        Stack shared = new Stack(app, "Shared", ENV);
        Stack services = new Stack(app, "Services", ENV);
        IKnativePlatform platform = KnativePlatform.fromPlatformAttributes(shared, "Platform",
                attributes.cluster(AnyClusterTest.imported(shared, true)).build());
        return new Services(shared, services, platform);
    }

    private static KnativePlatformAttributes.Builder attributes() {
        return KnativePlatformAttributes.builder().servingControllerRoleArn(SERVING_ROLE);
    }

    private static KnativeWorkload workload(Stack stack, IKnativePlatform platform, String id, String name) {
        return KnativeWorkload.Builder.create(stack, id).platform(platform).name(name)
                .image(ImageSource.fromEcrRepository(Repository.fromRepositoryName(stack, id + "Repo", "team/" + name),
                        "1.0.0"))
                .build();
    }

    @Test
    void theImportingAppInstallsNoChartAndWaitsForNothing() {
        assertThat(platformApp().findResources(HELM)).as("the platform's app installs the charts").hasSize(4);
        Services app = servicesApp(attributes());
        workload(app.services(), app.platform(), "Orders", "orders");
        Template shared = Template.fromStack(app.shared());
        Template services = Template.fromStack(app.services());
        for (Template t : List.of(shared, services)) {
            t.resourceCountIs(HELM, 0);
            t.resourceCountIs("Custom::KnativeOnEksReadinessWait", 0);
        }
        assertThat(services.findResources(MANIFEST)).as("the workload's Service").hasSize(1);
        Map<String, Map<String, Object>> manifests = services.findResources(MANIFEST);
        assertThat((List<?>) manifests.values().iterator().next().get("DependsOn"))
                .as("nothing of the platform to depend on: only the workload's own identity")
                .allSatisfy(d -> assertThat(d.toString()).startsWith("OrdersIdentity"));
    }

    @Test
    void servingControllerGetsPullAsAPolicyOfTheWorkloadsStack() {
        Services app = servicesApp(attributes());
        workload(app.services(), app.platform(), "Orders", "orders");
        Template services = Template.fromStack(app.services());
        services.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of("team-serving-controller"),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(
                        Map.of("Action", Match.arrayWith(List.of("ecr:BatchGetImage")))))))))));
        Template.fromStack(app.shared()).resourceCountIs("AWS::IAM::Policy", 0);
    }

    @Test
    void httpsAttributeGivesHttpsUrlsOnOneLabelHosts() {
        Services app = servicesApp(attributes().domain("apps.example.org").https(true));
        workload(app.services(), app.platform(), "Orders", "orders");
        Template.fromStack(app.services()).hasOutput("*", Match.objectLike(Map.of(
                "Value", "https://orders-default.apps.example.org")));
    }

    @Test
    void curlCommandReadsTheLoadBalancerFromTheClusterUnlessGiven() {
        Services read = servicesApp(attributes());
        workload(read.services(), read.platform(), "Orders", "orders");
        Template.fromStack(read.shared()).hasResourceProperties(OBJECT_VALUE, Match.objectLike(Map.of(
                "ObjectType", "service", "ObjectName", KnativePlatform.GATEWAY_NAME,
                "ObjectNamespace", KnativePlatform.ISTIO_NAMESPACE)));

        Services given = servicesApp(attributes().ingressHostname("lb-1.elb.eu-west-1.amazonaws.com"));
        workload(given.services(), given.platform(), "Orders", "orders");
        Template.fromStack(given.shared()).resourceCountIs(OBJECT_VALUE, 0);
        Template.fromStack(given.services()).hasOutput("*", Match.objectLike(Map.of("Value",
                "curl -H \"Host: orders.default.example.com\" http://lb-1.elb.eu-west-1.amazonaws.com")));
    }

    @Test
    void workloadNamespacesAreCreatedByThisApp() {
        Services app = servicesApp(attributes().appNamespace("apps"));
        KnativeWorkload.Builder.create(app.services(), "Orders").platform(app.platform()).name("orders")
                .namespace("orders").image(ImageSource.fromImage("nginx:1")).build();
        assertThat(Template.fromStack(app.shared()).findResources(MANIFEST).toString())
                .as("a namespace for the workload, none for the platform's appNamespace")
                .contains("\"kind\":\"Namespace\"", "\"name\":\"orders\"").doesNotContain("\"name\":\"apps\"");
    }

    @Test
    void clashesAmongThisAppsWorkloadsAreStillRefused() {
        Services app = servicesApp(attributes());
        workload(app.services(), app.platform(), "Orders", "orders");
        assertThatThrownBy(() -> workload(app.services(), app.platform(), "Orders2", "orders"))
                .isInstanceOf(ValidationError.class)
                .hasMessageContaining("would create Service default/orders, which Services/Orders already creates");
    }

    @Test
    void externalSecretsOfThePlatformsAppAreUsedByTheirRole() {
        Services app = servicesApp(attributes().externalSecretsRoleArn(OPERATOR_ROLE));
        KnativeWorkload.Builder.create(app.services(), "Hello").platform(app.platform()).name("hello")
                .image(ImageSource.fromGit(GitSource.builder().url("https://github.com/example/hello.git").build(),
                        ImageRegistry.dockerHub("docker.io/alice/hello",
                                Secret.fromSecretNameV2(app.services(), "Hub", "dockerhub/alice"))))
                .build();
        assertThat(app.platform().externalSecrets().getChart()).as("installed by the platform's app").isNull();
        Template.fromStack(app.shared()).resourceCountIs(HELM, 0);
        Template.fromStack(app.services()).hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of("team-external-secrets"),
                "PolicyDocument", Match.objectLike(Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Action", List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret")))))))));
    }

    @Test
    void externalSecretsAreInstalledByThisAppWithoutTheirRole() {
        Services app = servicesApp(attributes());
        assertThat(app.platform().externalSecrets().getChart()).isNotNull();
        Template.fromStack(app.shared()).hasResourceProperties(HELM, Match.objectLike(Map.of(
                "Chart", "external-secrets", "Namespace", "external-secrets")));
    }

    @Test
    void readinessGatesOfAnImportedPlatformAreEmpty() {
        IKnativePlatform platform = servicesApp(attributes()).platform();
        for (var gate : List.of(platform.getServingReady(), platform.getEventingReady(),
                platform.getAppNamespaceReady())) {
            assertThat(software.constructs.Dependable.of(gate).getDependencyRoots()).isEmpty();
        }
    }
}
