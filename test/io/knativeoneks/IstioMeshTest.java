package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.knativeoneks.common.Versions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;

/** The platform's Istio part: three pinned charts in order, the gateway's Service, its deletion wait, its hostname. */
class IstioMeshTest {
    private static final PlatformFixture HTTP = PlatformFixture.of(b -> b);
    private static final ObjectMapper JSON = new ObjectMapper();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> gatewayService(PlatformFixture f) throws Exception {
        Map<String, Object> values = JSON.readValue(KnativeManifests.jsonText(f.properties(
                f.chart(KnativePlatform.GATEWAY_NAME)).get("Values")), Map.class);
        return (Map<String, Object>) values.get("service");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> ports(PlatformFixture f) throws Exception {
        return (List<Object>) gatewayService(f).get("ports");
    }

    @Test
    void threeChartsOfOneIstioReleaseInstallInOrder() {
        for (String release : List.of("istio-base", "istiod", KnativePlatform.GATEWAY_NAME)) {
            assertThat(HTTP.properties(HTTP.chart(release))).as(release)
                    .containsEntry("Version", Versions.ISTIO)
                    .containsEntry("Namespace", KnativePlatform.ISTIO_NAMESPACE)
                    .containsEntry("Repository", KnativePlatform.ISTIO_REPOSITORY);
        }
        assertThat(HTTP.graph().isAfter(HTTP.chart("istiod"), HTTP.chart("istio-base"))).as("istiod after base")
                .isTrue();
        assertThat(HTTP.graph().isAfter(HTTP.chart(KnativePlatform.GATEWAY_NAME), HTTP.chart("istiod")))
                .as("gateway after istiod").isTrue();
    }

    @Test
    void istioVersionReachesEveryChart() {
        PlatformFixture patched = PlatformFixture.of(b -> b.istioVersion(Versions.ISTIO.replaceAll("\\d+$", "99")));
        assertThat(patched.properties(patched.chart("istiod")).get("Version")).asString().endsWith(".99");
        assertThat(patched.properties(patched.chart(KnativePlatform.GATEWAY_NAME)).get("Version")).asString()
                .endsWith(".99");
    }

    @Test
    void plainHttpGatewayIsANetworkLoadBalancerOnPort80() throws Exception {
        assertThat(gatewayService(HTTP).get("annotations")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("service.beta.kubernetes.io/aws-load-balancer-type", "nlb");
        assertThat(ports(HTTP)).containsExactly(
                Map.of("name", "status-port", "port", 15021, "protocol", "TCP", "targetPort", 15021),
                Map.of("name", "http2", "port", 80, "protocol", "TCP", "targetPort", 80));
    }

    @Test
    void publicDomainGatewayEndsTlsOn443() throws Exception {
        PlatformFixture https = PlatformFixture.of((stack, b) -> b.domain("apps.example.org").hostedZone(
                HostedZone.fromHostedZoneAttributes(stack, "Zone", HostedZoneAttributes.builder()
                        .hostedZoneId("Z0123456789").zoneName("example.org").build())));
        assertThat(ports(https).stream().map(p -> String.valueOf(((Map<?, ?>) p).get("name"))).toList())
                .containsExactly("status-port", "http-tls-terminated");
    }

    @Test
    void gatewayWaitsForItsServiceToGoAndHostnameForTheGateway() {
        String gateway = HTTP.chart(KnativePlatform.GATEWAY_NAME);
        String deleted = HTTP.graph().find(DependencyGraph.READINESS, p -> "Service".equals(p.get("Kind")));
        assertThat(HTTP.graph().isAfter(gateway, deleted)).as("gateway uninstalled before its Service is checked")
                .isTrue();
        String hostname = HTTP.graph().find(PlatformFixture.OBJECT_VALUE,
                p -> KnativePlatform.GATEWAY_NAME.equals(p.get("ObjectName")));
        assertThat(HTTP.properties(hostname)).containsEntry("JsonPath", IstioMesh.INGRESS_HOSTNAME_PATH);
        assertThat(HTTP.graph().isAfter(hostname, gateway)).as("hostname read once the gateway runs").isTrue();
        assertThat(HTTP.platform().getIngressHostname()).as("a deploy-time value").startsWith("${Token[");
    }
}
