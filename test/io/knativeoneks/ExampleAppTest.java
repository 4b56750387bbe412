package io.knativeoneks;

import static io.knativeoneks.DependencyGraph.MANIFEST;
import static io.knativeoneks.DependencyGraph.READINESS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The default example app (examples/platform, as {@code cdk synth} sees it): in which order CloudFormation deploys and
 * deletes what it installs, how big it is, and its snapshot. What the constructs install is tested on fixtures of
 * their own ({@link KnativePlatformTest}, {@link KnativeClusterTest}...).
 */
class ExampleAppTest {
    private static final String HELM = "Custom::AWSCDK-EKS-HelmChart";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Template template = ExampleApp.TEMPLATE;
    private static final Map<String, Object> json = ExampleApp.JSON;
    private static final DependencyGraph graph = ExampleApp.GRAPH;

    private static Predicate<Map<String, Object>> release(String name) {
        return p -> name.equals(p.get("Release"));
    }

    private static String knativeResources() {
        return graph.manifestContaining("\"kind\":\"KnativeServing\"");
    }

    private static String chart(String releaseName) {
        return graph.find(HELM, release(releaseName));
    }

    @Test
    void istioInstallsBaseThenIstiodThenGateway() {
        assertThat(graph.isAfter(chart("istiod"), chart("istio-base"))).isTrue();
        assertThat(graph.isAfter(chart("istio-ingressgateway"), chart("istiod"))).isTrue();
        assertThat(graph.isAfter(chart("istio-base"), chart("istiod"))).isFalse();
    }

    @Test
    void chartsWaitForTheNodesTheirPodsNeed() {
        String nodegroup = graph.all("AWS::EKS::Nodegroup").get(0);
        for (String id : graph.all(HELM)) {
            assertThat(graph.isAfter(id, nodegroup)).as(id).isTrue();
        }
    }

    @Test
    void knativeResourcesComeAfterOperatorIstiodAndThePodIdentityAgent() {
        String resources = knativeResources();
        assertThat(graph.isAfter(resources, chart("knative-operator"))).isTrue();
        assertThat(graph.isAfter(resources, chart("istiod"))).as("net-istio's Gateway needs Istio's CRDs and webhook")
                .isTrue();
        assertThat(graph.isAfter(resources, graph.all("AWS::EKS::Addon").get(0)))
                .as("Serving's controller gets its Pod Identity credentials").isTrue();
        assertThat(graph.isAfter(resources, chart("istio-ingressgateway")))
                .as("the load balancer comes up in parallel").isFalse();
    }

    @Test
    void thePodIdentityAgentComesAfterTheNodesItRunsOn() {
        assertThat(graph.isAfter(graph.all("AWS::EKS::Addon").get(0), graph.all("AWS::EKS::Nodegroup").get(0)))
                .isTrue();
    }

    @Test
    void readinessGatesWaitForTheKnativeWebhooksAndTheNamespaceLabel() {
        String resources = knativeResources();
        String serving = graph.find(READINESS, p -> "webhook".equals(p.get("Name")));
        String eventing = graph.find(READINESS, p -> "eventing-webhook".equals(p.get("Name")));
        String patch = graph.all("Custom::AWSCDK-EKS-KubernetesPatch").get(0);
        assertThat(graph.isAfter(serving, resources)).isTrue();
        assertThat(graph.isAfter(serving, patch)).isTrue();
        assertThat(graph.isAfter(eventing, resources)).isTrue();
        template.hasResourceProperties(READINESS, Match.objectLike(Map.of(
                "Kind", "Deployment", "Namespace", "knative-serving", "Name", "webhook")));
        template.hasResourceProperties(READINESS, Match.objectLike(Map.of(
                "Kind", "Deployment", "Namespace", "knative-eventing", "Name", "eventing-webhook")));
    }

    @Test
    void theGatewayIsRemovedBeforeTheVpcAndItsLoadBalancerCheckedGone() {
        String gateway = chart("istio-ingressgateway");
        // uninstall waits for the Service (and its load balancer finalizer), then a wait checks it is gone (the Helm
        // handler only logs a failed uninstall), both before these go
        String gatewayDeleted = graph.find(READINESS, p -> "Service".equals(p.get("Kind")));
        assertThat(ExampleApp.properties(gatewayDeleted)).containsEntry("Namespace", "istio-system")
                .containsEntry("Name", "istio-ingressgateway");
        assertThat(graph.isAfter(gateway, gatewayDeleted)).as("the Service checked once the gateway is uninstalled")
                .isTrue();
        for (String type : List.of("AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::NatGateway",
                "AWS::EC2::VPCGatewayAttachment", "AWS::EKS::Cluster", "AWS::EKS::Nodegroup")) {
            for (String id : graph.all(type)) {
                assertThat(graph.isAfter(gateway, id)).as("gateway deleted before %s", id).isTrue();
                assertThat(graph.isAfter(gatewayDeleted, id)).as("Service checked before %s goes", id).isTrue();
            }
        }
    }

    @Test
    void servingControllerHasItsPodIdentityBeforeItsPodsStart() {
        String association = graph.find("AWS::EKS::PodIdentityAssociation",
                p -> "knative-serving".equals(p.get("Namespace")) && "controller".equals(p.get("ServiceAccount")));
        assertThat(graph.isAfter(knativeResources(), association)).isTrue();
    }

    @Test
    void templateAndManifestsAreFarBelowCloudFormationAndLambdaLimits() throws Exception {
        assertThat(JSON.writeValueAsString(json).length()).isLessThan(100_000);
        for (String id : graph.all(MANIFEST)) {
            assertThat(JSON.writeValueAsString(ExampleApp.properties(id).get("Manifest")).length()).as(id)
                    .isLessThan(20_000);
        }
    }

    @Test
    void matchesSnapshot() {
        Snapshot.matches("platform-app-stack", ownResourcesAndOutputs());
    }

    /**
     * The template without what aws-cdk-lib generates on its own (the kubectl and provider-framework functions,
     * roles and layers, bootstrap parameters and rules), so an aws-cdk-lib upgrade does not churn the snapshot; the
     * resources that refer to them still show the references.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> ownResourcesAndOutputs() {
        Map<String, Object> resources = new java.util.TreeMap<>((Map<String, Object>) json.get("Resources"));
        resources.keySet().removeIf(id -> id.matches(".*(KubectlProvider|frameworkonEvent|KubectlReadyBarrier).*"));
        return Map.of("Resources", resources, "Outputs", json.get("Outputs"));
    }
}
