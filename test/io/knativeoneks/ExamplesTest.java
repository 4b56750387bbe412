package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import libraryuser.LibraryUserApp;
import org.junit.jupiter.api.Test;
import routing.RoutingApp;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The library-user and routing examples synthesize, so they cannot rot (the default app is covered by
 * KnativePlatformTest).
 */
class ExamplesTest {

    @Test
    void libraryUserAppUsesItsOwnVpcNamespaceAndDomain() {
        Template template = Template.fromStack(
                new LibraryUserApp.TeamPlatformStack(new App(), "TeamKnative", StackProps.builder().build()));
        template.resourceCountIs("AWS::EC2::VPC", 1);
        template.resourceCountIs("AWS::EC2::NatGateway", 2);
        template.hasResourceProperties("AWS::EKS::Nodegroup", Match.objectLike(Map.of(
                "ScalingConfig", Map.of("DesiredSize", 3, "MinSize", 3, "MaxSize", 6))));
        DependencyGraph graph = new DependencyGraph(template.toJSON());
        assertThat(graph.manifest(graph.manifestContaining("\"kind\":\"Namespace\"", "\"name\":\"team-apps\"")))
                .contains("\"istio-injection\":\"enabled\"");
        assertThat(graph.manifest(graph.manifestContaining("\"kind\":\"KnativeServing\"")))
                .contains("\"apps.team.example.org\":\"\"", "\"min-scale\":\"1\"");
        template.resourceCountIs("Custom::AWSCDK-EKS-KubernetesPatch", 0);
    }

    @Test
    void routingAppServesHttpsWithACanaryACustomDomainAndAPrivateService() {
        Template template = Template.fromStack(RoutingApp.build(new App(AppProps.builder().context(Map.of(
                "domain", "apps.example.org", "hostedZoneId", "Z0123456789ABCDEFGHIJ", "hostedZoneName",
                "example.org")).build())));
        DependencyGraph graph = new DependencyGraph(template.toJSON());
        assertThat(graph.manifest(graph.manifestContaining("\"kind\":\"KnativeServing\"")))
                .contains("\"domain-template\":\"{{.Name}}-{{.Namespace}}.{{.Domain}}\"");
        assertThat(graph.manifest(graph.manifestContaining("\"name\":\"canary\"")))
                .contains("\"name\":\"canary-v2\"", "\"tag\":\"candidate\"", "\"kind\":\"DomainMapping\"",
                        "\"kind\":\"ClusterDomainClaim\"");
        assertThat(graph.manifest(graph.manifestContaining("\"name\":\"private\"")))
                .contains("\"networking.knative.dev/visibility\":\"cluster-local\"");
    }
}
