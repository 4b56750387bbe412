package io.knativeoneks.k8s;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import org.cdk8s.JsonPatch;
import software.constructs.Construct;

/**
 * A Knative Eventing {@code Trigger} ({@code eventing.knative.dev/v1}): delivers the events of a broker whose
 * attributes match a filter to a Knative Service.
 *
 * <pre>{@code
 * new Trigger(chart, "Trigger", "pings", broker, Map.of("type", "dev.knative.sources.ping"), "event-display");
 * }</pre>
 */
public final class Trigger extends Construct {
    private final ApiObject resource;

    /**
     * @param scope the construct's parent
     * @param id the construct's id
     * @param name the trigger's name (a DNS-1123 label)
     * @param broker the broker whose events it delivers; the trigger goes in its namespace
     * @param filter CloudEvent attributes an event must have, e.g. {@code type=dev.knative.sources.ping}; empty for all
     * @param subscriber the Knative Service (in the same namespace) that receives the events
     */
    public Trigger(Construct scope, String id, String name, Broker broker, Map<String, String> filter,
            String subscriber) {
        super(scope, id);
        Validate.dnsLabel(this, "trigger", name);
        Validate.required(this, "broker", broker, "pass the Broker whose events to deliver");
        Validate.required(this, "filter", filter, "pass Map.of() to deliver every event");
        Validate.matches(this, "subscriber", subscriber, Validate.DNS_1035_LABEL, "a Knative Service name",
                "event-display");
        String namespace = broker.getResource().getMetadata().getNamespace();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("broker", broker.getName());
        if (!filter.isEmpty()) {
            spec.put("filter", Map.of("attributes", new TreeMap<>(filter)));
        }
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("apiVersion", "serving.knative.dev/v1");
        ref.put("kind", "Service");
        ref.put("name", subscriber);
        spec.put("subscriber", Map.of("ref", ref));
        resource = new ApiObject(this, "Resource", ApiObjectProps.builder()
                .apiVersion("eventing.knative.dev/v1")
                .kind("Trigger")
                .metadata(ApiObjectMetadata.builder().name(name).namespace(namespace).build())
                .build());
        resource.addJsonPatch(JsonPatch.add("/spec", spec));
        resource.addDependency(broker.getResource());
    }

    /** @return the Trigger API object */
    public ApiObject getResource() {
        return resource;
    }
}
