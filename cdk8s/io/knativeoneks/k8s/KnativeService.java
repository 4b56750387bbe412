package io.knativeoneks.k8s;

import io.knativeoneks.internal.Validate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import org.cdk8s.JsonPatch;
import software.constructs.Construct;

/**
 * A Knative Service ({@code serving.knative.dev/v1}): one container, scaled by Knative, routed through Istio.
 *
 * <pre>{@code
 * new KnativeService(chart, "Hello", KnativeServiceProps.builder()
 *         .name("hello")
 *         .namespace("apps")
 *         .image("ghcr.io/knative/helloworld-go:v1")
 *         .env(Map.of("TARGET", "World"))
 *         .build());
 * }</pre>
 */
public final class KnativeService extends Construct {
    /**
     * Environment variables Knative sets itself and its webhook refuses: reservedEnvVars in knative/serving
     * pkg/apis/serving/k8s_validation.go (1.23).
     */
    private static final Set<String> RESERVED_ENV = Set.of("PORT", "K_SERVICE", "K_CONFIGURATION", "K_REVISION");
    /**
     * Ports of the queue-proxy and the profiler that a user container may not listen on: reservedPorts in
     * knative/serving pkg/apis/serving/k8s_validation.go (1.23), values from pkg/networking/constants.go (8012,
     * 8013, 8022, 9090, 9091) and knative/pkg observability/runtime/pprof.go (8008).
     */
    private static final Set<Integer> RESERVED_PORTS = Set.of(8012, 8013, 8022, 9090, 9091, 8008);
    /** The label that keeps a service off the public ingress. */
    public static final String VISIBILITY_LABEL = "networking.knative.dev/visibility";

    private final ApiObject resource;
    private final String name;
    private final String namespace;

    /**
     * @param scope the construct's parent
     * @param id the construct's id
     * @param props the properties; {@code name} and {@code image} are required
     */
    public KnativeService(Construct scope, String id, KnativeServiceProps props) {
        super(scope, id);
        Validate.required(this, "props", props, "pass KnativeServiceProps.builder()...build()");
        check(this, props);
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
        if (!props.revisionAnnotations.isEmpty()) {
            templateMetadata.put("annotations", new TreeMap<>(props.revisionAnnotations));
        }
        Map<String, Object> template = new LinkedHashMap<>();
        if (!templateMetadata.isEmpty()) {
            template.put("metadata", templateMetadata);
        }
        Map<String, Object> podSpec = new LinkedHashMap<>();
        if (props.serviceAccountName != null) {
            podSpec.put("serviceAccountName", props.serviceAccountName);
        }
        podSpec.put("containers", List.of(container));
        if (props.imagePullSecret != null) {
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

    /**
     * Checks a service's properties as Knative's webhook would, naming {@code scope} in errors: a construct that
     * builds the service from its own properties calls it with itself, so errors name what the user set.
     *
     * @param scope the construct the error names
     * @param props the properties to check
     */
    public static void check(Construct scope, KnativeServiceProps props) {
        Validate.check(props.name != null, scope, "name", null, "is required", "name the service, e.g. \"hello\"");
        checkName(scope, "name", props.name);
        Validate.dnsLabel(scope, "namespace", props.namespace);
        Validate.check(props.image != null, scope, "image", null, "is required", "pass a container image reference");
        props.nulls.check(scope, "");
        Validate.imageReference(scope, "image", props.image);
        Validate.range(scope, "containerPort", props.containerPort, 1, 65535);
        Validate.check(!RESERVED_PORTS.contains(props.containerPort), scope, "containerPort", props.containerPort,
                "is reserved by Knative's queue-proxy " + new TreeSet<>(RESERVED_PORTS),
                "let the container listen on another port, such as 8080");
        props.env.forEach((key, value) -> {
            Validate.matches(scope, "env", key, Validate.ENV_NAME,
                    "an environment variable name (letters, digits and '_', not starting with a digit)", "TARGET");
            Validate.check(!key.equals("PORT"), scope, "env", key, "is set by Knative from containerPort",
                    "set containerPort instead");
            Validate.check(!RESERVED_ENV.contains(key), scope, "env", key,
                    "is set by Knative itself " + new TreeSet<>(RESERVED_ENV), "use another name");
            Validate.check(value != null, scope, "env", key, "has a null value", "pass a string, or \"\"");
        });
        if (props.imagePullSecret != null) {
            Validate.dnsSubdomain(scope, "imagePullSecret", props.imagePullSecret);
        }
        if (props.serviceAccountName != null) {
            Validate.dnsSubdomain(scope, "serviceAccountName", props.serviceAccountName);
        }
        if (props.traffic != null) {
            props.traffic.check(scope, props.name);
        }
    }

    /**
     * Checks a service name as Knative's webhook does: a DNS-1035 label (knative.dev/pkg
     * apis/metadata_validation.go ValidateObjectMetadata).
     *
     * @param scope the construct the error names
     * @param property the property the error names
     * @param name the service name
     */
    public static void checkName(Construct scope, String property, String name) {
        Validate.dns1035Label(scope, property, name, "helloworld-python");
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
