package io.knativeoneks.k8s;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import org.cdk8s.JsonPatch;
import software.constructs.Construct;

/** A Knative Service ({@code serving.knative.dev/v1}): one container, scaled by Knative, routed through Istio. */
public final class KnativeService extends Construct {
    /** The label that keeps a service off the public ingress. */
    public static final String VISIBILITY_LABEL = "networking.knative.dev/visibility";

    private final ApiObject resource;
    private final String name;
    private final String namespace;

    public KnativeService(Construct scope, String id, KnativeServiceProps props) {
        super(scope, id);
        Validate.check(props.name != null, this, "name", null, "is required", "name the service, e.g. \"hello\"");
        Validate.matches(this, "name", props.name, Validate.DNS_1035_LABEL,
                "a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, at most 63 characters)",
                "helloworld-python");
        Validate.dnsLabel(this, "namespace", props.namespace);
        Validate.check(props.image != null, this, "image", null, "is required", "pass a container image reference");
        Validate.imageReference(this, "image", props.image);
        Validate.range(this, "containerPort", props.containerPort, 1, 65535);
        props.env.keySet().forEach(key -> {
            Validate.matches(this, "env", key, Validate.ENV_NAME,
                    "an environment variable name (letters, digits and '_', not starting with a digit)", "TARGET");
            Validate.check(!key.equals("PORT"), this, "env", key, "is set by Knative from containerPort",
                    "set containerPort instead");
        });
        if (props.traffic != null) {
            props.traffic.check(this, props.name);
        }
        this.name = props.name;
        this.namespace = props.namespace;

        Map<String, Object> container = new LinkedHashMap<>();
        container.put("image", props.image);
        container.put("ports", List.of(Map.of("containerPort", props.containerPort)));
        if (!props.env.isEmpty()) {
            container.put("env", new TreeMap<>(props.env).entrySet().stream().map(KnativeService::envVar).toList());
        }
        Map<String, Object> templateMetadata = new LinkedHashMap<>();
        if (props.traffic != null && props.traffic.getRevisionName() != null) {
            templateMetadata.put("name", props.name + "-" + props.traffic.getRevisionName());
        }
        if (props.scale != null) {
            templateMetadata.put("annotations", props.scale.toAnnotations(this));
        }
        Map<String, Object> template = new LinkedHashMap<>();
        if (!templateMetadata.isEmpty()) {
            template.put("metadata", templateMetadata);
        }
        Map<String, Object> podSpec = new LinkedHashMap<>();
        podSpec.put("containers", List.of(container));
        if (props.imagePullSecret != null) {
            Validate.dnsLabel(this, "imagePullSecret", props.imagePullSecret);
            podSpec.put("imagePullSecrets", List.of(Map.of("name", props.imagePullSecret)));
        }
        template.put("spec", podSpec);

        resource = new ApiObject(this, "Resource", ApiObjectProps.builder()
                .apiVersion("serving.knative.dev/v1")
                .kind("Service")
                .metadata(ApiObjectMetadata.builder().name(props.name).namespace(props.namespace)
                        .labels(props.clusterLocal ? Map.of(VISIBILITY_LABEL, "cluster-local") : Map.of())
                        .build())
                .build());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("template", template);
        if (props.traffic != null && !props.traffic.getTargets().isEmpty()) {
            spec.put("traffic", props.traffic.getTargets().stream().map(t -> t.toSpec(props.name)).toList());
        }
        resource.addJsonPatch(JsonPatch.add("/spec", spec));
    }

    private static Map<String, String> envVar(Map.Entry<String, String> entry) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("name", entry.getKey());
        env.put("value", entry.getValue());
        return env;
    }

    /** @return the Knative Service API object */
    public ApiObject getResource() {
        return resource;
    }

    /** @return the service name */
    public String getName() {
        return name;
    }

    /** @return the namespace */
    public String getNamespace() {
        return namespace;
    }
}
