package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    void routingAppServesHttpsWithNamedRevisionsACustomDomainAndAPrivateService() {
        KnativeManifests manifests = KnativeManifests.of(routing(Map.of()));
        assertThat(manifests.get("KnativeServing", "knative-serving").at("spec.config.network.domain-template"))
                .isEqualTo("{{.Name}}-{{.Namespace}}.{{.Domain}}");
        assertThat(manifests.get("DomainMapping", "default", "www.example.net").at("spec.ref.name"))
                .isEqualTo("canary");
        assertThat(manifests.get("ClusterDomainClaim", "www.example.net").at("spec.namespace")).isEqualTo("default");
        assertThat(manifests.get("Service", "default", "private")
                .at("metadata.labels['networking.knative.dev/visibility']")).isEqualTo("cluster-local");
    }

    @Test
    void routingAppsFirstDeployRoutesOnlyToTheRevisionItCreates() {
        KnativeManifests.KubernetesObject canary = KnativeManifests.of(routing(Map.of()))
                .get("Service", "default", "canary");
        assertThat(canary.at("spec.template.metadata.name")).isEqualTo("canary-v1");
        assertThat(canary.at("spec.traffic")).as("no revision of an earlier deploy: it converges on a fresh cluster")
                .isEqualTo(List.of(
                        Map.of("latestRevision", false, "revisionName", "canary-v1", "percent", 100, "tag", "stable"),
                        Map.of("latestRevision", true, "percent", 0, "tag", "latest")));
    }

    @Test
    void routingAppsCanaryDeploySplitsBetweenTheFirstDeploysRevisionAndANewOne() {
        KnativeManifests.KubernetesObject canary = KnativeManifests.of(routing(Map.of("canary", "true")))
                .get("Service", "default", "canary");
        assertThat(canary.at("spec.template.metadata.name")).isEqualTo("canary-v2");
        assertThat(canary.at("spec.traffic")).isEqualTo(List.of(
                Map.of("latestRevision", false, "revisionName", "canary-v1", "percent", 90, "tag", "stable"),
                Map.of("latestRevision", false, "revisionName", "canary-v2", "percent", 10, "tag", "candidate"),
                Map.of("latestRevision", true, "percent", 0, "tag", "latest")));
    }

    /** @return the routing example's template, with the README's hosted zone and {@code context} */
    private static Template routing(Map<String, Object> context) {
        Map<String, Object> all = new TreeMap<>(SynthExamples.HOSTED_ZONE);
        all.putAll(context);
        return Template.fromStack(RoutingApp.build(new App(AppProps.builder().context(all).build())));
    }
}
