package io.knativeoneks.k8s;

import io.knativeoneks.internal.Validate;
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
        this(scope, id, name, checked(scope, broker).getName(), broker.getResource().getMetadata().getNamespace(),
                filter, IntegrationSource.ref("serving.knative.dev/v1", "Service", subscriber));
        Validate.matches(this, "subscriber", subscriber, Validate.DNS_1035_LABEL, "a Knative Service name",
                "event-display");
        resource.addDependency(broker.getResource());
    }

    /**
     * A trigger on a broker this chart does not create, delivering to any addressable.
     *
     * @param scope the construct's parent
     * @param id the construct's id
     * @param name the trigger's name (a DNS-1123 label)
     * @param broker the name of the broker whose events it delivers
     * @param namespace the broker's namespace, where the trigger goes
     * @param filter CloudEvent attributes an event must have, e.g. {@code type=dev.knative.sources.ping}; empty for all
     * @param subscriber the reference ({@code apiVersion}, {@code kind}, {@code name}) of the addressable in the same
     *     namespace that receives the events, e.g. {@link IntegrationSink#ref()}
     */
    public Trigger(Construct scope, String id, String name, String broker, String namespace,
            Map<String, String> filter, Map<String, Object> subscriber) {
        super(scope, id);
        Validate.dnsLabel(this, "trigger", name);
        Validate.dnsLabel(this, "broker", broker);
        Validate.dnsLabel(this, "namespace", namespace);
        Validate.required(this, "filter", filter, "pass Map.of() to deliver every event");
        Validate.required(this, "subscriber", subscriber, "pass the reference of the receiver");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("broker", broker);
        if (!filter.isEmpty()) {
            spec.put("filter", Map.of("attributes", new TreeMap<>(filter)));
        }
        spec.put("subscriber", Map.of("ref", subscriber));
        resource = new ApiObject(this, "Resource", ApiObjectProps.builder()
                .apiVersion("eventing.knative.dev/v1")
                .kind("Trigger")
                .metadata(ApiObjectMetadata.builder().name(name).namespace(namespace).build())
                .build());
        resource.addJsonPatch(JsonPatch.add("/spec", spec));
    }

    private static Broker checked(Construct scope, Broker broker) {
        Validate.required(scope, "broker", broker, "pass the Broker whose events to deliver");
        return broker;
    }

    /** @return the Trigger API object */
    public ApiObject getResource() {
        return resource;
    }
}
