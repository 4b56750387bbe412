package io.knativeoneks.k8s;

import io.knativeoneks.internal.Validate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import org.cdk8s.JsonPatch;
import software.constructs.Construct;

/**
 * Prometheus Operator monitors ({@code monitoring.coreos.com/v1}) for Knative: the Serving control plane (controller,
 * autoscaler, activator, webhook), the Eventing control plane and broker, and every revision's queue-proxy. Needs
 * the Prometheus Operator's CRDs, and Knative's {@code config-observability} set to {@link #OBSERVABILITY}.
 *
 * <pre>{@code
 * new KnativeMonitors(chart, "Monitors", "monitoring");   // the namespace where Prometheus looks for monitors
 * }</pre>
 */
public final class KnativeMonitors extends Construct {
    /** Knative's {@code config-observability}: Prometheus metrics on the control plane and on each revision. */
    public static final Map<String, String> OBSERVABILITY = new TreeMap<>(Map.of(
            "metrics-protocol", "prometheus",
            "request-metrics-protocol", "prometheus"));

    /**
     * @param scope the construct's parent
     * @param id the construct's id
     * @param namespace the monitors' namespace
     */
    public KnativeMonitors(Construct scope, String id, String namespace) {
        super(scope, id);
        Validate.dnsLabel(this, "namespace", namespace);
        for (String app : List.of("controller", "autoscaler", "activator", "webhook")) {
            monitor("ServiceMonitor", "knative-serving-" + app, namespace, KnativeServing.NAMESPACE,
                    Map.of("app", app), "http-metrics");
        }
        for (String role : List.of("filter", "ingress")) {
            monitor("ServiceMonitor", "knative-broker-" + role, namespace, KnativeEventing.NAMESPACE,
                    Map.of("eventing.knative.dev/brokerRole", role), "http-metrics");
        }
        for (String app : List.of("eventing-controller", "eventing-webhook")) {
            monitor("PodMonitor", "knative-" + app, namespace, KnativeEventing.NAMESPACE, Map.of("app", app),
                    "metrics");
        }
        ApiObject revisions = object("PodMonitor", "knative-revisions", namespace);
        revisions.addJsonPatch(JsonPatch.add("/spec", Maps.ordered(
                "namespaceSelector", Map.of("any", true),
                "selector", Map.of("matchExpressions", List.of(Maps.ordered("key", "serving.knative.dev/revision",
                        "operator", "Exists"))),
                "podMetricsEndpoints", List.of(endpoint("http-usermetric")))));
    }

    private void monitor(String kind, String name, String namespace, String target, Map<String, String> labels,
            String port) {
        ApiObject monitor = object(kind, name, namespace);
        monitor.addJsonPatch(JsonPatch.add("/spec", Maps.ordered(
                "namespaceSelector", Map.of("matchNames", List.of(target)),
                "selector", Map.of("matchLabels", labels),
                kind.equals("PodMonitor") ? "podMetricsEndpoints" : "endpoints", List.of(endpoint(port)))));
    }

    private ApiObject object(String kind, String name, String namespace) {
        return new ApiObject(this, name, ApiObjectProps.builder()
                .apiVersion("monitoring.coreos.com/v1")
                .kind(kind)
                .metadata(ApiObjectMetadata.builder().name(name).namespace(namespace).build())
                .build());
    }

    private static Map<String, Object> endpoint(String port) {
        return Maps.ordered("port", port, "path", "/metrics", "interval", "30s", "honorLabels", true);
    }
}
