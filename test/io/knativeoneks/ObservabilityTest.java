package io.knativeoneks;

import static io.knativeoneks.DependencyGraph.MANIFEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.knativeoneks.common.Versions;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Eventing example, metrics and logs: what they synthesize and in which order. */
class ObservabilityTest {
    private static final String HELM = "Custom::AWSCDK-EKS-HelmChart";
    private static Template template;
    private static DependencyGraph graph;

    @BeforeAll
    static void synthWithBothSwitchesOn() {
        template = ExampleApp.WithEverySwitch.TEMPLATE;
        graph = new DependencyGraph(template.toJSON());
    }

    @Test
    void pingSourceSendsThroughABrokerAndATriggerToEventDisplay() {
        DependencyGraph g = ExampleApp.GRAPH;
        String events = g.manifestContaining("\"kind\":\"PingSource\"");
        assertThat(g.manifest(events)).contains(
                "\"kind\":\"Broker\"", "\"name\":\"every-minute\"", "\"schedule\":\"* * * * *\"",
                "\"sink\":{\"ref\":{\"apiVersion\":\"eventing.knative.dev/v1\",\"kind\":\"Broker\",\"name\":\"every-minute\"}}",
                "\"filter\":{\"attributes\":{\"type\":\"dev.knative.sources.ping\"}}",
                "\"subscriber\":{\"ref\":{\"apiVersion\":\"serving.knative.dev/v1\",\"kind\":\"Service\",\"name\":\"event-display\"}}");
        String eventingReady = g.find(DependencyGraph.READINESS, p -> "eventing-webhook".equals(p.get("Name")));
        String subscriber = g.manifestContaining("\"kind\":\"Service\",\"metadata\":{\"name\":\"event-display\"");
        assertThat(g.isAfter(events, eventingReady)).isTrue();
        assertThat(g.isAfter(events, subscriber)).as("the Trigger waits for its subscriber by itself").isFalse();
        ExampleApp.TEMPLATE.hasOutput("*", Match.objectLike(Map.of("Value",
                "kubectl logs -n default -l serving.knative.dev/service=event-display -c user-container --tail=20 -f")));
    }

    @Test
    void plainDeployHasNeitherMetricsNorLogs() {
        ExampleApp.TEMPLATE.resourcePropertiesCountIs(HELM, Match.objectLike(Map.of(
                "Chart", "kube-prometheus-stack")), 0);
        ExampleApp.TEMPLATE.resourceCountIs("AWS::EKS::Addon", 1);
        assertThat(ExampleApp.JSON.toString()).doesNotContain("metrics-protocol");
    }

    @Test
    void prometheusStackIsPinnedAndGrafanaHasNoPasswordInTheTemplate() throws Exception {
        Map<?, ?> chart = (Map<?, ?>) template.findResources(HELM).get(graph.find(HELM,
                p -> "kube-prometheus-stack".equals(p.get("Chart")))).get("Properties");
        assertThat(chart.get("Version")).isEqualTo(Versions.KUBE_PROMETHEUS_STACK);
        assertThat(chart.get("Repository")).isEqualTo("https://prometheus-community.github.io/helm-charts");
        assertThat(chart.get("Namespace")).isEqualTo("monitoring");
        assertThat(chart.get("Wait")).isEqualTo(true);
        Map<?, ?> values = new ObjectMapper().readValue((String) chart.get("Values"), Map.class);
        Map<?, ?> grafana = (Map<?, ?>) values.get("grafana");
        assertThat(grafana.containsKey("adminPassword")).isTrue();
        assertThat(grafana.get("adminPassword")).as("null removes any default a chart version sets").isNull();
        assertThat(values.get("crds")).as("CRDs upgraded with the chart").isEqualTo(
                Map.of("upgradeJob", Map.of("enabled", true)));
        assertThat(values.get("prometheus").toString()).contains("retention=1d", "retentionSize=4GB",
                "serviceMonitorSelectorNilUsesHelmValues=false", "podMonitorSelectorNilUsesHelmValues=false");
        assertThat(grafana.get("dashboards").toString()).contains(
                "https://raw.githubusercontent.com/knative-extensions/monitoring/" + Versions.KNATIVE_DASHBOARDS_COMMIT
                        + "/grafana/knative-serving-http-requests.json");
    }

    @Test
    void monitorsComeAfterThePrometheusOperatorCrdsAndKnativeExportsMetrics() {
        String chart = graph.find(HELM, p -> "kube-prometheus-stack".equals(p.get("Chart")));
        String monitors = graph.manifestContaining("\"kind\":\"ServiceMonitor\"");
        assertThat(graph.isAfter(monitors, chart)).isTrue();
        assertThat(graph.manifest(monitors)).contains("\"name\":\"knative-serving-activator\"",
                "\"name\":\"knative-broker-filter\"", "\"name\":\"knative-eventing-controller\"",
                "\"name\":\"knative-revisions\"", "\"port\":\"http-usermetric\"", "\"any\":true");
        String knative = graph.manifestContaining("\"kind\":\"KnativeServing\"");
        assertThat(graph.manifest(knative)).contains(
                "\"observability\":{\"metrics-protocol\":\"prometheus\",\"request-metrics-protocol\":\"prometheus\"}");
        template.hasOutput("*", Match.objectLike(Map.of("Value",
                "kubectl port-forward -n monitoring svc/kube-prometheus-stack-grafana 3000:80")));
    }

    @Test
    void logsAddOnGetsItsPodIdentityFirst() {
        String addon = graph.find("AWS::EKS::Addon", p -> "amazon-cloudwatch-observability".equals(p.get("AddonName")));
        String association = graph.find("AWS::EKS::PodIdentityAssociation",
                p -> "amazon-cloudwatch".equals(p.get("Namespace")) && "cloudwatch-agent".equals(p.get("ServiceAccount")));
        assertThat(graph.isAfter(addon, association)).isTrue();
        assertThat(graph.isAfter(addon, graph.all("AWS::EKS::Nodegroup").get(0))).isTrue();
        template.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "Description", "EKS Pod Identity for amazon-cloudwatch/cloudwatch-agent",
                "ManagedPolicyArns", List.of(Map.of("Fn::Join", List.of("", List.of("arn:",
                        Map.of("Ref", "AWS::Partition"), ":iam::aws:policy/CloudWatchAgentServerPolicy")))))));
    }

    @Test
    void everyObjectWithBothSwitchesOnIsValid() throws Exception {
        // The stack has -c awsEvents=true too: its IntegrationSource is judged by test/upstream/run against Eventing
        // 1.23's own CRD and webhook; fabric8 7.5.2's model predates spec.aws.auth.serviceAccountName.
        List<Map<String, Object>> objects = ManifestSchemaTest.objects(template.toJSON()).stream()
                .filter(o -> !"IntegrationSource".equals(o.get("kind"))).toList();
        assertThat(objects).extracting(o -> o.get("kind")).contains("ServiceMonitor", "PodMonitor", "PingSource",
                "Broker", "Trigger");
        assertThat(ManifestSchemas.problems(objects)).isEmpty();
    }
}
