package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import libraryuser.LibraryUserApp;
import io.knativeoneks.KnativeManifests.KubernetesObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import platform.PlatformApp;
import routing.RoutingApp;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The library-user and routing examples synthesize, so they cannot rot (the default app is covered by
 * KnativePlatformTest; here only its {@code -c awsEvents=true} variant).
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
        assertThat(manifests.get("Trigger", "default", "pings-to-sns").at("spec.subscriber.ref")).as("pings to SNS")
                .isEqualTo(Map.of("apiVersion", "sinks.knative.dev/v1alpha1", "kind", "IntegrationSink",
                        "name", "pings-to-sns"));
        assertThat(manifests.get("IntegrationSink", "default", "pings-to-sns").at("spec.aws.auth"))
                .isEqualTo(Map.of("serviceAccountName", "pings-to-sns-sink"));
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

    @Test
    void defaultAppWithAwsEventsFeedsEventDisplayFromAnEncryptedQueue() {
        Stack stack = PlatformApp.build(new App(AppProps.builder().context(Map.of("awsEvents", "true")).build()));
        Template template = Template.fromStack(stack);
        String queue = stack.getLogicalId((CfnElement) stack.getNode().findChild("EventsQueue").getNode()
                .getDefaultChild());
        String deadLetters = stack.getLogicalId((CfnElement) stack.getNode().findChild("EventsDeadLetterQueue")
                .getNode().getDefaultChild());

        KubernetesObject source = KnativeManifests.of(template).get("IntegrationSource", "default", "sqs-events");
        assertThat(source.at("spec.aws.sqs")).as("the stack's queue, in the stack's region, deleted once delivered")
                .isEqualTo(Map.of("arn", "${GetAtt:" + queue + ".Arn}", "region", "${AWS::Region}",
                        "deleteAfterRead", true));
        assertThat(source.at("spec.aws.auth")).as("Pod Identity, no keys")
                .isEqualTo(Map.of("serviceAccountName", "sqs-events-source"));
        assertThat(source.at("spec.sink.ref")).as("to event-display").isEqualTo(Map.of(
                "apiVersion", "serving.knative.dev/v1", "kind", "Service", "name", "event-display"));

        template.hasResourceProperties("AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true,
                "RedrivePolicy", Map.of("deadLetterTargetArn", Map.of("Fn::GetAtt", List.of(deadLetters, "Arn")),
                        "maxReceiveCount", 5)));
        template.hasResourceProperties("AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true));
        for (String q : List.of(queue, deadLetters)) {
            template.hasResourceProperties("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
                    "Queues", List.of(Map.of("Ref", q)),
                    "PolicyDocument", Match.objectLike(Map.of("Statement", List.of(Match.objectLike(Map.of(
                            "Effect", "Deny", "Action", "sqs:*",
                            "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
        }
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of("PolicyDocument",
                Match.objectLike(Map.of("Statement", List.of(Map.of("Effect", "Allow",
                        "Action", List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
                        "Resource", Map.of("Fn::GetAtt", List.of(queue, "Arn")))))))));
        template.hasOutput("EventsQueueUrl", Map.of("Value", Map.of("Ref", queue)));
        template.hasOutput("EventsSendCommand", Match.objectLike(Map.of("Value", Map.of("Fn::Join", List.of("",
                List.of("aws sqs send-message --queue-url ", Map.of("Ref", queue),
                        " --message-body '{\"hello\":\"sqs\"}'"))))));
    }

    @Test
    void defaultAppHasNoQueueWithoutTheSwitch() {
        Template.fromStack(PlatformApp.build(new App())).resourceCountIs("AWS::SQS::Queue", 0);
    }

    /** @return the routing example's template, with the README's hosted zone and {@code context} */
    private static Template routing(Map<String, Object> context) {
        Map<String, Object> all = new TreeMap<>(SynthExamples.HOSTED_ZONE);
        all.putAll(context);
        return Template.fromStack(RoutingApp.build(new App(AppProps.builder().context(all).build())));
    }
}
