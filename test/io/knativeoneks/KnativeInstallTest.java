package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import io.knativeoneks.common.Versions;
import io.knativeoneks.k8s.KnativeServing;
import org.junit.jupiter.api.Test;
import software.constructs.Dependable;

/**
 * The platform's Knative part: the pinned operator, the Knative resources after the operator, istiod and the Serving
 * controller's identity, the application namespace, and the readiness gates workloads wait for.
 */
class KnativeInstallTest {
    private static final PlatformFixture DEFAULT = PlatformFixture.of(b -> b);
    private static final PlatformFixture OWN_NAMESPACE = PlatformFixture.of(b -> b.appNamespace("apps"));

    private static String resources(PlatformFixture f) {
        return f.graph().manifestContaining("\"kind\":\"KnativeServing\"");
    }

    @Test
    void operatorIsPinned() {
        assertThat(DEFAULT.properties(DEFAULT.chart("knative-operator")))
                .containsEntry("Version", Versions.KNATIVE_OPERATOR)
                .containsEntry("Repository", KnativePlatform.OPERATOR_REPOSITORY)
                .containsEntry("Namespace", "knative-operator");
    }

    @Test
    void knativeResourcesComeAfterOperatorIstiodAndServingIdentity() {
        String resources = resources(DEFAULT);
        String identity = DEFAULT.graph().find("AWS::EKS::PodIdentityAssociation",
                p -> KnativeServing.NAMESPACE.equals(p.get("Namespace")) && "controller".equals(p.get("ServiceAccount")));
        assertThat(DEFAULT.graph().isAfter(resources, DEFAULT.chart("knative-operator"))).as("after the operator")
                .isTrue();
        assertThat(DEFAULT.graph().isAfter(resources, DEFAULT.chart("istiod"))).as("after istiod").isTrue();
        assertThat(DEFAULT.graph().isAfter(resources, identity)).as("after the controller's identity").isTrue();
        assertThat(DEFAULT.graph().isAfter(resources, DEFAULT.chart(KnativePlatform.GATEWAY_NAME)))
                .as("in parallel with the gateway").isFalse();
        assertThat(DEFAULT.platform().getServingControllerRole().getServiceAccount()).isEqualTo("controller");
    }

    @Test
    void readinessGatesWaitForTheWebhooksAfterTheResources() {
        String resources = resources(DEFAULT);
        String serving = DEFAULT.graph().find(DependencyGraph.READINESS, p -> "webhook".equals(p.get("Name")));
        String eventing = DEFAULT.graph().find(DependencyGraph.READINESS,
                p -> "eventing-webhook".equals(p.get("Name")));
        assertThat(DEFAULT.graph().isAfter(serving, resources)).as("Serving's webhook waited for").isTrue();
        assertThat(DEFAULT.graph().isAfter(eventing, resources)).as("Eventing's webhook waited for").isTrue();
        assertThat(Dependable.of(DEFAULT.platform().getServingReady()).getDependencyRoots()).as("one wait")
                .hasSize(1);
    }

    @Test
    void defaultNamespaceIsLabelledAndAnotherIsCreatedBeforeServingIsReady() {
        DEFAULT.template().resourceCountIs("Custom::AWSCDK-EKS-KubernetesPatch", 1);
        String namespace = OWN_NAMESPACE.graph().manifestContaining("\"kind\":\"Namespace\"", "\"name\":\"apps\"");
        assertThat(OWN_NAMESPACE.graph().manifest(namespace)).contains("\"istio-injection\":\"enabled\"");
        OWN_NAMESPACE.template().resourceCountIs("Custom::AWSCDK-EKS-KubernetesPatch", 0);
        String serving = OWN_NAMESPACE.graph().find(DependencyGraph.READINESS, p -> "webhook".equals(p.get("Name")));
        assertThat(OWN_NAMESPACE.graph().isAfter(serving, namespace)).as("workloads find their namespace").isTrue();
    }

    @Test
    void knativeChartCarriesTheDomain() {
        PlatformFixture domain = PlatformFixture.of(b -> b.domain("apps.example.org"));
        assertThat(domain.graph().manifest(resources(domain))).contains("\"apps.example.org\":\"\"");
    }
}
