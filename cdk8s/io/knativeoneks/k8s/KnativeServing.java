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
 * The Knative Operator's {@code KnativeServing} resource: Knative Serving with Istio as its ingress, in the
 * {@code knative-serving} namespace.
 *
 * <pre>{@code
 * new KnativeServing(chart, "Serving", KnativeServingProps.builder()
 *         .domain("apps.example.org")
 *         .observability(KnativeMonitors.OBSERVABILITY)
 *         .build());
 * }</pre>
 */
public final class KnativeServing extends Construct {
    /** The namespace Knative Serving runs in. */
    public static final String NAMESPACE = "knative-serving";

    private final ApiObject resource;

    /**
     * @param scope the construct's parent
     * @param id the construct's id
     * @param props the properties
     */
    public KnativeServing(Construct scope, String id, KnativeServingProps props) {
        super(scope, id);
        Validate.required(this, "props", props, "pass KnativeServingProps.builder().build()");
        props.nulls.check(this, "");
        Map<String, Object> config = new LinkedHashMap<>();
        if (props.getDomain() != null) {
            Validate.domainName(this, "domain", props.getDomain());
            config.put("domain", Map.of(props.getDomain(), ""));
        }
        Map<String, String> network = new LinkedHashMap<>();
        if (props.getDomainTemplate() != DomainTemplate.DOTTED) {
            network.put("domain-template", props.getDomainTemplate().getTemplate());
        }
        if (props.isExternalHttps()) {
            network.put("default-external-scheme", "https");
        }
        if (!network.isEmpty()) {
            config.put("network", network);
        }
        if (props.getAutoscaler() != null) {
            config.put("autoscaler", new TreeMap<>(props.getAutoscaler()));
        }
        if (props.getObservability() != null) {
            config.put("observability", new TreeMap<>(props.getObservability()));
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("version", props.getVersion().getVersion());
        spec.put("ingress", Map.of("istio", Map.of("enabled", true)));
        if (!config.isEmpty()) {
            spec.put("config", config);
        }
        resource = new ApiObject(this, "Resource", ApiObjectProps.builder()
                .apiVersion("operator.knative.dev/v1beta1")
                .kind("KnativeServing")
                .metadata(ApiObjectMetadata.builder().name("knative-serving").namespace(NAMESPACE).build())
                .build());
        resource.addJsonPatch(JsonPatch.add("/spec", spec));
    }

    /** @return the {@code KnativeServing} API object */
    public ApiObject getResource() {
        return resource;
    }
}
