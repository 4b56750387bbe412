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
 * The Knative Operator's {@code KnativeEventing} resource, in the {@code knative-eventing} namespace: InMemoryChannel
 * as the default channel (as in the 2019 walkthrough) and the multi-tenant channel-based broker.
 *
 * <pre>{@code
 * KnativeServingProps serving = KnativeServingProps.builder().build();
 * new KnativeEventing(chart, "Eventing", serving.getVersion(), null);   // null: Knative's observability defaults
 * }</pre>
 */
public final class KnativeEventing extends Construct {
    /** The namespace Knative Eventing runs in. */
    public static final String NAMESPACE = "knative-eventing";

    private static final String IN_MEMORY_CHANNEL_DEFAULT = String.join("\n",
            "clusterDefault:",
            "  apiVersion: messaging.knative.dev/v1",
            "  kind: InMemoryChannel",
            "");

    private final ApiObject resource;

    /**
     * @param scope the construct's parent
     * @param id the construct's id
     * @param version the Knative Eventing release the operator installs
     * @param observability Knative's config-observability data, or null for its defaults
     */
    public KnativeEventing(Construct scope, String id, KnativeVersion version, Map<String, String> observability) {
        super(scope, id);
        Validate.required(this, "version", version, "pass KnativeVersion.V1_23");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("version", version.getVersion());
        spec.put("defaultBrokerClass", "MTChannelBasedBroker");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("default-ch-webhook", Map.of("default-ch-config", IN_MEMORY_CHANNEL_DEFAULT));
        if (observability != null) {
            config.put("observability", new TreeMap<>(observability));
        }
        spec.put("config", config);
        resource = new ApiObject(this, "Resource", ApiObjectProps.builder()
                .apiVersion("operator.knative.dev/v1beta1")
                .kind("KnativeEventing")
                .metadata(ApiObjectMetadata.builder().name("knative-eventing").namespace(NAMESPACE).build())
                .build());
        resource.addJsonPatch(JsonPatch.add("/spec", spec));
    }

    /** @return the {@code KnativeEventing} API object */
    public ApiObject getResource() {
        return resource;
    }
}
