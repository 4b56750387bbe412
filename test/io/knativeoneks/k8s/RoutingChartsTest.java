package io.knativeoneks.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.knativeoneks.common.ValidationError;
import java.util.List;
import java.util.Map;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.Testing;
import org.junit.jupiter.api.Test;

/** Routing on the Kubernetes side alone: Knative's domain template, cluster-local services, traffic blocks. */
class RoutingChartsTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> only(Chart chart, String kind) {
        return ((List<Map<String, Object>>) (List<?>) Testing.synth(chart)).stream()
                .filter(o -> kind.equals(o.get("kind"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            current = ((Map<String, Object>) current).get(key);
        }
        return (T) current;
    }

    private static Map<String, Object> serving(KnativeServingProps props) {
        return only(new KnativeChart(new App(), "knative", props, null), "KnativeServing");
    }

    private static Map<String, Object> service(KnativeServiceProps.Builder props) {
        Chart chart = new Chart(new App(), "svc");
        new KnativeService(chart, "Service", props.name("hello").image("ghcr.io/org/hello:1.0").build());
        return only(chart, "Service");
    }

    @Test
    void oneLabelHostsAndHttpsUrlsAreKnativeNetworkSettings() {
        Map<String, Object> config = at(serving(KnativeServingProps.builder().domain("apps.example.org")
                .domainTemplate(DomainTemplate.ONE_LABEL).externalHttps(true).build()), "spec", "config");
        assertThat(config).containsEntry("domain", Map.of("apps.example.org", ""))
                .containsEntry("network", Map.of("domain-template", "{{.Name}}-{{.Namespace}}.{{.Domain}}",
                        "default-external-scheme", "https"));
    }

    @Test
    void knativesDefaultsWriteNoNetworkSettings() {
        Map<String, Object> config = at(serving(KnativeServingProps.builder().domain("example.com").build()),
                "spec", "config");
        assertThat(config).containsOnlyKeys("domain");
    }

    @Test
    void hostsFollowTheTemplateAndTagsTakeTheNamesPlace() {
        Chart scope = new Chart(new App(), "hosts");
        assertThat(DomainTemplate.DOTTED.host(scope, "name", "hello", "default", "example.com"))
                .isEqualTo("hello.default.example.com");
        assertThat(DomainTemplate.ONE_LABEL.host(scope, "name", "hello", "default", "apps.example.org"))
                .isEqualTo("hello-default.apps.example.org");
        assertThat(DomainTemplate.ONE_LABEL.tagHost(scope, "canary", "hello", "default", "apps.example.org"))
                .isEqualTo("canary-hello-default.apps.example.org");
    }

    @Test
    void aClusterLocalServiceCarriesKnativesVisibilityLabel() {
        assertThat(at(service(KnativeServiceProps.builder().clusterLocal(true)), "metadata", "labels").toString())
                .isEqualTo("{networking.knative.dev/visibility=cluster-local}");
        assertThat(RoutingChartsTest.<Object>at(service(KnativeServiceProps.builder()), "metadata", "labels"))
                .isNull();
    }

    @Test
    void aNamedRevisionWithoutTargetsKeepsKnativesDefaultTraffic() {
        Map<String, Object> spec = at(service(KnativeServiceProps.builder()
                .traffic(Traffic.builder().revisionName("v1").build())), "spec");
        assertThat(spec).containsOnlyKeys("template");
        assertThat((String) at(spec, "template", "metadata", "name")).isEqualTo("hello-v1");
    }

    @Test
    void trafficTargetsBecomeTheTrafficBlock() {
        Map<String, Object> spec = at(service(KnativeServiceProps.builder().traffic(Traffic.builder()
                .previousRevisions(List.of("v1"))
                .targets(List.of(TrafficTarget.revision("v1", 100).withTag("stable"),
                        TrafficTarget.latestRevision(0).withTag("next")))
                .build())), "spec");
        assertThat(spec.get("traffic")).isEqualTo(List.of(
                Map.of("latestRevision", false, "revisionName", "hello-v1", "percent", 100, "tag", "stable"),
                Map.of("latestRevision", true, "percent", 0, "tag", "next")));
        assertThat(RoutingChartsTest.<Object>at(spec, "template", "metadata")).as("Knative names the revision")
                .isNull();
    }

    @Test
    void badTrafficFailsOnTheKubernetesSideToo() {
        ValidationError error = catchThrowableOfType(ValidationError.class, () -> service(KnativeServiceProps
                .builder().traffic(Traffic.builder().targets(List.of(TrafficTarget.latestRevision(50))).build())));
        assertThat(error.getMessage()).isEqualTo("[svc/Service] traffic ([latest revision 50%]) has percentages "
                + "that sum to 50, not 100: make the shares add up to 100");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDomainMappingComesAfterTheClaimThatLetsItsNamespaceUseTheName() {
        Chart chart = new Chart(new App(), "mapping");
        new KnativeDomainMapping(chart, "Mapping", "www.example.net", "apps", "hello");
        List<Map<String, Object>> objects = (List<Map<String, Object>>) (List<?>) Testing.synth(chart);
        assertThat(objects).extracting(o -> o.get("kind")).containsExactly("ClusterDomainClaim", "DomainMapping");
        assertThat(objects.get(0).get("spec")).isEqualTo(Map.of("namespace", "apps"));
        assertThat(RoutingChartsTest.<Object>at(objects.get(0), "metadata", "namespace")).as("cluster-scoped")
                .isNull();
        assertThat(RoutingChartsTest.<Object>at(objects.get(1), "spec", "ref", "name")).isEqualTo("hello");
    }
}
