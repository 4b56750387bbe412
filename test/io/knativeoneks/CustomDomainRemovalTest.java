package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;

/**
 * Removing a custom domain leaves nothing behind: its DomainMapping and ClusterDomainClaim are a manifest of their
 * own, which CloudFormation deletes (kubectl deletes the objects), and nothing else changes but the certificate's
 * names.
 */
class CustomDomainRemovalTest {
    private static final String CERTIFICATE = "AWS::CertificateManager::Certificate";

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> resources(Map<String, Object> template) {
        return (Map<String, Map<String, Object>>) template.get("Resources");
    }

    private static Map<String, Object> template(List<String> hosts) {
        Stack stack = new Stack(new App(), "Domains");
        KnativePlatform platform = KnativePlatform.Builder.create(stack, "Platform")
                .cluster(KnativeCluster.Builder.create(stack, "Cluster").build())
                .domain("apps.example.org")
                .hostedZone(zone(stack, "Zone", "Z0123456789ABCDEFGHIJ", "example.org"))
                .build();
        IHostedZone other = zone(stack, "OtherZone", "Z9876543210ABCDEFGHIJ", "example.net");
        KnativeWorkload.Builder.create(stack, "Site").platform(platform).name("site")
                .image(ImageSource.fromImage("ghcr.io/org/site:1.0"))
                .customDomains(hosts.stream().map(host -> CustomDomain.of(host, other)).toList())
                .build();
        return Template.fromStack(stack).toJSON();
    }

    private static IHostedZone zone(Stack stack, String id, String zoneId, String name) {
        return HostedZone.fromHostedZoneAttributes(stack, id, HostedZoneAttributes.builder().hostedZoneId(zoneId)
                .zoneName(name).build());
    }

    @Test
    void removingACustomDomainDeletesItsMappingClaimAndRecordAndChangesNothingElse() {
        Map<String, Object> two = template(List.of("www.example.net", "shop.example.net"));
        Map<String, Object> one = template(List.of("www.example.net"));
        KnativeManifests before = KnativeManifests.fromJson(two);
        KnativeManifests after = KnativeManifests.fromJson(one);

        String shopMapping = before.get("DomainMapping", "default", "shop.example.net").getLogicalId();
        assertThat(before.get("ClusterDomainClaim", "shop.example.net").getLogicalId())
                .as("the claim is in the mapping's manifest").isEqualTo(shopMapping);
        String wwwMapping = before.get("DomainMapping", "default", "www.example.net").getLogicalId();
        String service = before.get("Service", "default", "site").getLogicalId();
        assertThat(List.of(shopMapping, wwwMapping, service)).as("one manifest each").doesNotHaveDuplicates();
        assertThat(resources(two).get(shopMapping).get("Properties")).as("adopts the objects earlier versions applied "
                + "in the service's manifest (kubectl apply, not create)").extracting("Overwrite").isEqualTo(true);
        DependencyGraph graph = new DependencyGraph(two);
        assertThat(graph.isAfter(shopMapping, service)).as("after the service it maps to").isTrue();
        assertThat(graph.isAfter(shopMapping, graph.find(DependencyGraph.READINESS,
                p -> "webhook".equals(p.get("Name"))))).as("after Knative Serving's webhook runs").isTrue();

        Set<String> removed = new HashSet<>(resources(two).keySet());
        removed.removeAll(resources(one).keySet());
        String shopRecord = graph.find("AWS::Route53::RecordSet", p -> "shop.example.net.".equals(p.get("Name")));
        assertThat(removed).as("the resources deleted with the domain").containsExactlyInAnyOrder(shopMapping,
                shopRecord);
        assertThat(resources(two).keySet()).as("nothing new").containsAll(resources(one).keySet());
        assertThat(after.all()).as("objects after the removal")
                .noneMatch(o -> o.getName().equals("shop.example.net"))
                .anyMatch(o -> o.getKind().equals("DomainMapping") && o.getName().equals("www.example.net"))
                .anyMatch(o -> o.getKind().equals("ClusterDomainClaim") && o.getName().equals("www.example.net"));
        resources(one).forEach((id, resource) -> {
            if (!CERTIFICATE.equals(resource.get("Type"))) {
                assertThat(resource).as("resource %s", id).isEqualTo(resources(two).get(id));
            }
        });
    }
}
