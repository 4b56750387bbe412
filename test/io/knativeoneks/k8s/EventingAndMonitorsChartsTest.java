package io.knativeoneks.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.knativeoneks.Snapshot;
import java.util.List;
import java.util.Map;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.Testing;
import org.junit.jupiter.api.Test;

/** The eventing objects and the Prometheus monitors, synthesized with cdk8s alone. */
class EventingAndMonitorsChartsTest {

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> synth(Chart chart) {
        return (List<Map<String, Object>>) (List<?>) Testing.synth(chart);
    }

    @Test
    void brokerComesBeforeTheSourceAndTheTriggerThatUseIt() {
        Chart chart = new Chart(new App(), "events");
        Broker broker = new Broker(chart, "Broker", "ticks", "apps");
        new PingSource(chart, "Source", "ticks", "*/5 * * * *", "{\"n\": 1}", broker);
        new Trigger(chart, "Trigger", "ticks", broker, Map.of("type", "dev.knative.sources.ping"), "display");
        List<Map<String, Object>> objects = synth(chart);
        assertThat(objects).extracting(o -> o.get("kind")).containsExactly("Broker", "PingSource", "Trigger");
        assertThat(objects).allSatisfy(o -> assertThat(o.get("metadata").toString()).contains("namespace=apps"));
        assertThat(objects.get(1).toString()).contains("schedule=*/5 * * * *", "contentType=application/json");
        Snapshot.matches("events-chart", objects);
    }

    @Test
    void monitorsCoverBothControlPlanesAndEveryRevision() {
        Chart chart = new Chart(new App(), "monitors");
        new KnativeMonitors(chart, "Monitors", "monitoring");
        List<Map<String, Object>> objects = synth(chart);
        assertThat(objects).hasSize(9).allSatisfy(o -> {
            assertThat(o.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
            assertThat(o.get("metadata").toString()).contains("namespace=monitoring");
        });
        assertThat(objects).extracting(o -> (String) ((Map<?, ?>) o.get("metadata")).get("name")).contains(
                "knative-serving-controller", "knative-serving-autoscaler", "knative-serving-activator",
                "knative-serving-webhook", "knative-broker-filter", "knative-broker-ingress",
                "knative-eventing-controller", "knative-eventing-webhook", "knative-revisions");
        assertThat(KnativeMonitors.OBSERVABILITY).containsEntry("metrics-protocol", "prometheus")
                .containsEntry("request-metrics-protocol", "prometheus");
        Snapshot.matches("knative-monitors-chart", objects);
    }
}
