package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import libraryuser.LibraryUserApp;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The library-user example synthesizes, so it cannot rot (the default app is covered by KnativePlatformTest). */
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
}
