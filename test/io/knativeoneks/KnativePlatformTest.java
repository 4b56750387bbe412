package io.knativeoneks;

import static io.knativeoneks.DependencyGraph.READINESS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.knativeoneks.common.Versions;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * What a {@link KnativePlatform} with its defaults installs, on a fixture of its own: a stack with a
 * {@link KnativeCluster} and the platform, synthesized once (with this repository's feature flags). The example app's
 * deploy order and snapshot are {@link ExampleAppTest}'s.
 */
class KnativePlatformTest {
    private static final String HELM = "Custom::AWSCDK-EKS-HelmChart";
    private static final String OBJECT_VALUE = "Custom::AWSCDK-EKS-KubernetesObjectValue";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Stack STACK = new Stack(new App(AppProps.builder().context(ExampleApp.withCdkJson(Map.of()))
            .build()), "Fixture");
    private static final KnativePlatform PLATFORM = KnativePlatform.Builder.create(STACK, "Platform")
            .cluster(KnativeCluster.Builder.create(STACK, "Cluster")
                    .adminPrincipalArn("arn:aws:iam::123456789012:role/Admin").build())
            .build();
    private static final Template template = Template.fromStack(STACK);
    private static final Map<String, Object> json = template.toJSON();
    private static final DependencyGraph graph = new DependencyGraph(json);
    private static final KnativeManifests manifests = KnativeManifests.of(template);

    private static Predicate<Map<String, Object>> release(String name) {
        return p -> name.equals(p.get("Release"));
    }

    private static String chart(String releaseName) {
        return graph.find(HELM, release(releaseName));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(String logicalId) {
        Map<String, Object> resources = (Map<String, Object>) json.get("Resources");
        return (Map<String, Object>) ((Map<String, Object>) resources.get(logicalId)).get("Properties");
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
    void theGatewayIsAnInternetFacingNetworkLoadBalancer() throws Exception {
        Map<?, ?> values = JSON.readValue((String) properties(chart("istio-ingressgateway")).get("Values"), Map.class);
        assertThat(values).isEqualTo(Map.of("service", Map.of(
                "annotations", Map.of("service.beta.kubernetes.io/aws-load-balancer-type", "nlb"),
                "ports", List.of(
                        Map.of("name", "status-port", "port", 15021, "protocol", "TCP", "targetPort", 15021),
                        Map.of("name", "http2", "port", 80, "protocol", "TCP", "targetPort", 80)))));
        assertThat(PLATFORM.getIstioGateway()).isNotNull();
    }

    @Test
    void defaultNamespaceIsLabelledByAReversiblePatchAndNeverManaged() {
        template.hasResourceProperties("Custom::AWSCDK-EKS-KubernetesPatch", Match.objectLike(Map.of(
                "ResourceName", "namespace/default",
                "PatchType", "merge",
                "ApplyPatchJson", "{\"metadata\":{\"labels\":{\"istio-injection\":\"enabled\"}}}",
                "RestorePatchJson", "{\"metadata\":{\"labels\":{\"istio-injection\":null}}}")));
        assertThat(manifests.ofKind("Namespace")).extracting(KnativeManifests.KubernetesObject::getName)
                .doesNotContain("default");
        assertThat(PLATFORM.getAppNamespace()).isEqualTo("default");
    }

    @Test
    void manifestCarriesKnativeServingAndEventingWithIstioAndTheDefaultDomain() {
        assertThat(manifests.all()).extracting(o -> o.getKind() + " " + o.getName())
                .containsExactly("Namespace knative-serving", "KnativeServing knative-serving",
                        "Namespace knative-eventing", "KnativeEventing knative-eventing");
        KnativeManifests.KubernetesObject serving = manifests.get("KnativeServing", "knative-serving");
        assertThat(serving.at("spec.version")).isEqualTo(Versions.KNATIVE);
        assertThat(serving.at("spec.config.domain")).isEqualTo(Map.of("example.com", ""));
        assertThat(serving.at("spec.ingress.istio.enabled")).isEqualTo(true);
        assertThat(manifests.get("KnativeEventing", "knative-eventing").at("spec.version"))
                .isEqualTo(Versions.KNATIVE);
        assertThat(PLATFORM.getDomain()).isEqualTo("example.com");
    }

    @Test
    void servingControllerHasAPodIdentityRoleOfItsOwn() {
        PodIdentityRole controller = PLATFORM.getServingControllerRole();
        assertThat(List.of(controller.getNamespace(), controller.getServiceAccount()))
                .containsExactly("knative-serving", "controller");
        template.hasResourceProperties("AWS::EKS::PodIdentityAssociation", Match.objectLike(Map.of(
                "Namespace", "knative-serving", "ServiceAccount", "controller")));
    }

    @Test
    void nothingOptionalIsInstalledByDefault() {
        assertThat(PLATFORM.getMetrics()).isNull();
        assertThat(PLATFORM.getLogs()).isNull();
        assertThat(PLATFORM.getPublicDomain()).isNull();
        template.resourceCountIs("AWS::CertificateManager::Certificate", 0);
        assertThat(template.findResources(HELM).values())
                .extracting(r -> (Object) ((Map<?, ?>) r.get("Properties")).get("Release"))
                .containsExactlyInAnyOrder("istio-base", "istiod", "istio-ingressgateway", "knative-operator");
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
}
