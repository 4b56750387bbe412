package io.knativeoneks;

import static io.knativeoneks.DependencyGraph.MANIFEST;
import static io.knativeoneks.DependencyGraph.READINESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.knativeoneks.common.Versions;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The default example app: what it installs, in which order, and how big it is. */
class KnativePlatformTest {
    private static final String HELM = "Custom::AWSCDK-EKS-HelmChart";
    private static final String OBJECT_VALUE = "Custom::AWSCDK-EKS-KubernetesObjectValue";
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
    void istioChartsArePinnedFromTheMaintainedRepository() {
        for (String[] c : new String[][] {{"istio-base", "base"}, {"istiod", "istiod"},
                {"istio-ingressgateway", "gateway"}}) {
            template.hasResourceProperties(HELM, Match.objectLike(Map.of(
                    "Release", c[0],
                    "Chart", c[1],
                    "Version", Versions.ISTIO,
                    "Namespace", "istio-system",
                    "Repository", "https://blob.istio.io/istio-release/charts")));
        }
    }

    @Test
    void knativeOperatorChartIsPinned() {
        template.hasResourceProperties(HELM, Match.objectLike(Map.of(
                "Release", "knative-operator",
                "Chart", "knative-operator",
                "Version", Versions.KNATIVE_OPERATOR,
                "Namespace", "knative-operator",
                "Repository", "https://knative.github.io/operator")));
    }

    @Test
    void everyChartWaitsWithinTheKubectlLambdaLifetime() {
        Map<String, Map<String, Object>> charts = template.findResources(HELM);
        assertThat(charts).hasSize(4);
        charts.forEach((id, chart) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> props = (Map<String, Object>) chart.get("Properties");
            assertThat(props.get("Wait")).as(id).isEqualTo(true);
            String timeout = (String) props.get("Timeout");
            assertThat(timeout).as(id).endsWith("s");
            assertThat(Integer.parseInt(timeout.replace("s", ""))).as(id).isLessThanOrEqualTo(600);
        });
        template.allResourcesProperties(OBJECT_VALUE, Match.objectLike(Map.of("TimeoutSeconds", 600)));
        template.allResourcesProperties(READINESS, Match.objectLike(Map.of("TimeoutSeconds", "600")));
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
    void gatewayIsAnInternetFacingLoadBalancerRemovedBeforeTheVpc() throws Exception {
        String gateway = chart("istio-ingressgateway");
        Map<?, ?> values = JSON.readValue((String) resourceProperties(gateway).get("Values"), Map.class);
        assertThat(values).isEqualTo(Map.of("service", Map.of(
                "annotations", Map.of("service.beta.kubernetes.io/aws-load-balancer-type", "nlb"),
                "ports", List.of(
                        Map.of("name", "status-port", "port", 15021, "protocol", "TCP", "targetPort", 15021),
                        Map.of("name", "http2", "port", 80, "protocol", "TCP", "targetPort", 80)))));
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
    void defaultNamespaceIsLabelledByAReversiblePatchAndNeverManaged() {
        template.hasResourceProperties("Custom::AWSCDK-EKS-KubernetesPatch", Match.objectLike(Map.of(
                "ResourceName", "namespace/default",
                "PatchType", "merge",
                "ApplyPatchJson", "{\"metadata\":{\"labels\":{\"istio-injection\":\"enabled\"}}}",
                "RestorePatchJson", "{\"metadata\":{\"labels\":{\"istio-injection\":null}}}")));
        String manifest = (String) resourceProperties(knativeResources()).get("Manifest");
        assertThat(manifest).doesNotContain("\"name\":\"default\"");
    }

    @Test
    void manifestCarriesKnativeServingWithIstioAndTheExampleDomain() throws Exception {
        String manifest = (String) resourceProperties(knativeResources()).get("Manifest");
        List<Map<String, Object>> objects = JSON.readValue(manifest, new TypeReference<>() { });
        assertThat(objects).extracting(o -> o.get("kind"))
                .containsExactly("Namespace", "KnativeServing", "Namespace", "KnativeEventing");
        assertThat(manifest).contains("\"domain\":{\"example.com\":\"\"}", "\"istio\":{\"enabled\":true}",
                "\"version\":\"1.23\"");
    }

    @Test
    void servingControllerHasItsPodIdentityBeforeItsPodsStart() {
        String association = graph.find("AWS::EKS::PodIdentityAssociation",
                p -> "knative-serving".equals(p.get("Namespace")) && "controller".equals(p.get("ServiceAccount")));
        assertThat(graph.isAfter(knativeResources(), association)).isTrue();
    }

    @Test
    void outputsTellHowToReachTheClusterAndTheIngress() {
        Map<String, Map<String, Object>> outputs = template.findOutputs("*");
        assertThat(outputs.keySet()).anyMatch(k -> k.startsWith("ClusterUpdateKubeconfigCommand"))
                .anyMatch(k -> k.startsWith("PlatformIngressLoadBalancer"))
                .anyMatch(k -> k.startsWith("PlatformKnativeDomain"));
        template.hasOutput("*", Match.objectLike(Map.of("Value", Map.of("Fn::GetAtt",
                List.of(graph.find(OBJECT_VALUE, p -> "istio-ingressgateway".equals(p.get("ObjectName"))),
                        "Value")))));
    }

    @Test
    void templateAndManifestsAreFarBelowCloudFormationAndLambdaLimits() throws Exception {
        assertThat(JSON.writeValueAsString(json).length()).isLessThan(100_000);
        for (String id : graph.all(MANIFEST)) {
            assertThat(JSON.writeValueAsString(resourceProperties(id).get("Manifest")).length()).as(id)
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

    private static Map<String, Object> resourceProperties(String id) {
        return ExampleApp.properties(id);
    }
}
