package io.knativeoneks.k8s;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import org.cdk8s.JsonPatch;
import software.constructs.Construct;

/**
 * A Knative {@code PingSource} ({@code sources.knative.dev/v1}): sends a CloudEvent of type
 * {@code dev.knative.sources.ping} with fixed data to a broker on a cron schedule.
 */
public final class PingSource extends Construct {
    /** Five cron fields (minute hour day-of-month month day-of-week), or a descriptor such as {@code @hourly}. */
    static final Pattern CRON = Pattern.compile(
            "(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|@every \\d+(ms|s|m|h)"
                    + "|([0-9A-Za-z*?/,\\-]+\\s+){4}[0-9A-Za-z*?/,\\-]+)");

    private final ApiObject resource;

    /**
     * @param schedule when to send, in cron syntax, e.g. {@code "* * * * *"} for every minute
     * @param data the event's JSON data
     */
    public PingSource(Construct scope, String id, String name, String schedule, String data, Broker sink) {
        super(scope, id);
        Validate.dnsLabel(this, "name", name);
        Validate.matches(this, "schedule", schedule, CRON,
                "a cron schedule of five fields (minute hour day-of-month month day-of-week) or a descriptor "
                        + "such as @hourly", "*/5 * * * *");
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("apiVersion", "eventing.knative.dev/v1");
        ref.put("kind", "Broker");
        ref.put("name", sink.getName());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("schedule", schedule.trim());
        spec.put("contentType", "application/json");
        spec.put("data", data);
        spec.put("sink", Map.of("ref", ref));
        resource = new ApiObject(this, "Resource", ApiObjectProps.builder()
                .apiVersion("sources.knative.dev/v1")
                .kind("PingSource")
                .metadata(ApiObjectMetadata.builder().name(name)
                        .namespace(sink.getResource().getMetadata().getNamespace()).build())
                .build());
        resource.addJsonPatch(JsonPatch.add("/spec", spec));
        resource.addDependency(sink.getResource());
    }

    /** @return the PingSource API object */
    public ApiObject getResource() {
        return resource;
    }
}
