package io.knativeoneks.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.knativeoneks.Snapshot;
import java.util.List;
import java.util.Map;
import org.cdk8s.App;
import org.cdk8s.Testing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Knative control-plane chart, synthesized with cdk8s alone (no AWS). */
class KnativeChartTest {
    private static List<Map<String, Object>> objects;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void synth() {
        KnativeChart chart = new KnativeChart(new App(), "knative", KnativeServingProps.builder()
                .domain("example.com")
                .autoscaler(Map.of("min-scale", "1", "stable-window", "90s"))
                .build(), "apps");
        objects = (List<Map<String, Object>>) (List<?>) Testing.synth(chart);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String kind, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.get("kind")))
                .filter(o -> name.equals(((Map<String, Object>) o.get("metadata")).get("name")))
                .findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String... path) {
        Object current = value;
        for (String key : path) {
            current = ((Map<String, Object>) current).get(key);
        }
        return (Map<String, Object>) current;
    }

    private static int indexOf(String kind, String name) {
        return objects.indexOf(object(kind, name));
    }

    @Test
    void eachNamespaceComesBeforeTheObjectsInIt() {
        assertThat(indexOf("Namespace", "knative-serving")).isLessThan(indexOf("KnativeServing", "knative-serving"));
        assertThat(indexOf("Namespace", "knative-eventing"))
                .isLessThan(indexOf("KnativeEventing", "knative-eventing"));
    }

    @Test
    void servingUsesIstioAndTheVersionAndDomainGiven() {
        Map<String, Object> serving = object("KnativeServing", "knative-serving");
        assertThat(serving.get("apiVersion")).isEqualTo("operator.knative.dev/v1beta1");
        assertThat(map(serving, "metadata").get("namespace")).isEqualTo("knative-serving");
        assertThat(map(serving, "spec").get("version")).isEqualTo("1.23");
        assertThat(map(serving, "spec", "ingress", "istio")).isEqualTo(Map.of("enabled", true));
        assertThat(map(serving, "spec", "config", "domain")).isEqualTo(Map.of("example.com", ""));
    }

    @Test
    void autoscalerDataBecomesConfigAutoscalerInKeyOrder() {
        Map<String, Object> autoscaler = map(object("KnativeServing", "knative-serving"), "spec", "config",
                "autoscaler");
        assertThat(autoscaler).containsExactlyInAnyOrderEntriesOf(Map.of("min-scale", "1", "stable-window", "90s"));
        assertThat(autoscaler.keySet()).containsExactly("min-scale", "stable-window");
    }

    @Test
    void eventingDefaultsToInMemoryChannelAndTheChannelBasedBroker() {
        Map<String, Object> eventing = object("KnativeEventing", "knative-eventing");
        assertThat(map(eventing, "spec").get("defaultBrokerClass")).isEqualTo("MTChannelBasedBroker");
        assertThat((String) map(eventing, "spec", "config", "default-ch-webhook").get("default-ch-config"))
                .contains("clusterDefault:", "apiVersion: messaging.knative.dev/v1", "kind: InMemoryChannel");
        assertThat(map(eventing, "spec").get("version")).isEqualTo("1.23");
    }

    @Test
    void appNamespaceIsLabelledForSidecarInjection() {
        assertThat(map(object("Namespace", "apps"), "metadata", "labels"))
                .containsEntry("istio-injection", "enabled");
    }

    @Test
    void everyObjectIsLabelledAsPartOfKnativeOnEks() {
        assertThat(objects).hasSize(5).allSatisfy(o -> assertThat(map(o, "metadata", "labels"))
                .containsEntry("app.kubernetes.io/part-of", "knative-on-eks"));
    }

    @Test
    void withoutOptionsKnativeDefaultsStand() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> plain = (List<Map<String, Object>>) (List<?>) Testing.synth(
                new KnativeChart(new App(), "plain", KnativeServingProps.builder().build(), null));
        assertThat(plain).extracting(o -> o.get("kind"))
                .containsExactly("Namespace", "KnativeServing", "Namespace", "KnativeEventing");
        assertThat(map(plain.get(1), "spec")).doesNotContainKey("config");
    }

    @Test
    void matchesSnapshot() {
        Snapshot.matches("knative-chart", objects);
    }
}
