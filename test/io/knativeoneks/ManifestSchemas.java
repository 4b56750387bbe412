package io.knativeoneks;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Checks synthesized Kubernetes objects against their schemas, offline: unknown or misspelled fields, wrong types and
 * unknown {@code apiVersion}/{@code kind} are problems.
 * <ul>
 * <li>Core kinds, Knative Services, brokers, triggers and ping sources, and Prometheus Operator monitors: fabric8's
 * 7.x models, read strictly (their any-setter, which swallows unknown
 * fields, is switched off; no scalar coercion).</li>
 * <li>The Knative Operator's {@code KnativeServing}/{@code KnativeEventing}: the CRD's OpenAPI schema as published in
 * the npm package {@code @kubernetes-models/knative} (pinned in package.json), with every object closed to unknown
 * fields, as the API server would prune them.</li>
 * <li>External Secrets ({@code external-secrets.io/v1}): the validators of {@code @kubernetes-models/external-secrets},
 * run with Node (types, enums and required fields; they do not reject unknown fields).</li>
 * </ul>
 */
final class ManifestSchemas {
    private static final Map<String, Class<?>> FABRIC8 = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("serving.knative.dev/v1/Service", io.fabric8.knative.serving.v1.Service.class),
            Map.entry("serving.knative.dev/v1beta1/DomainMapping",
                    io.fabric8.knative.serving.v1beta1.DomainMapping.class),
            Map.entry("networking.internal.knative.dev/v1alpha1/ClusterDomainClaim",
                    io.fabric8.knative.internal.networking.v1alpha1.ClusterDomainClaim.class),
            Map.entry("eventing.knative.dev/v1/Broker", io.fabric8.knative.eventing.v1.Broker.class),
            Map.entry("eventing.knative.dev/v1/Trigger", io.fabric8.knative.eventing.v1.Trigger.class),
            Map.entry("sources.knative.dev/v1/PingSource", io.fabric8.knative.sources.v1.PingSource.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor",
                    io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor",
                    io.fabric8.openshift.api.model.monitoring.v1.PodMonitor.class));
    private static final String OPERATOR_MODELS = "node_modules/@kubernetes-models/knative/operator.knative.dev/v1beta1/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper STRICT = strictMapper();
    private static final Map<String, JsonSchema> CRD_SCHEMAS = new HashMap<>();

    private ManifestSchemas() {
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public Boolean hasAnySetter(Annotated a) {
                        return false;
                    }

                    @Override
                    public JsonIgnoreProperties.Value findPropertyIgnoralByName(
                            com.fasterxml.jackson.databind.cfg.MapperConfig<?> config, Annotated a) {
                        return JsonIgnoreProperties.Value.empty();
                    }
                });
        mapper.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /** @return the problems found in {@code objects}, each naming the object; empty when all are valid */
    static List<String> problems(List<Map<String, Object>> objects) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> forNode = new ArrayList<>();
        for (Map<String, Object> object : objects) {
            String type = object.get("apiVersion") + "/" + object.get("kind");
            String where = type + " " + ((Map<?, ?>) object.getOrDefault("metadata", Map.of())).get("name");
            if (FABRIC8.containsKey(type)) {
                try {
                    STRICT.convertValue(object, FABRIC8.get(type));
                } catch (IllegalArgumentException e) {
                    problems.add(where + ": " + e.getMessage().split("\n")[0]);
                }
            } else if (type.startsWith("operator.knative.dev/v1beta1/")) {
                problems.addAll(crdProblems(where, (String) object.get("kind"), object));
            } else if (type.startsWith("external-secrets.io/v1/")) {
                forNode.add(object);
            } else {
                problems.add(where + ": unknown apiVersion/kind, no schema to check it against");
            }
        }
        if (!forNode.isEmpty()) {
            problems.addAll(nodeProblems(forNode));
        }
        return problems;
    }

    private static List<String> crdProblems(String where, String kind, Map<String, Object> object) {
        List<String> problems = new ArrayList<>();
        try {
            STRICT.convertValue(object.get("metadata"), ObjectMeta.class);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": metadata: " + e.getMessage().split("\n")[0]);
        }
        JsonSchema schema = CRD_SCHEMAS.computeIfAbsent(kind, ManifestSchemas::loadCrdSchema);
        schema.validate(JSON.valueToTree(object)).forEach(m -> problems.add(where + ": " + m.getMessage()));
        return problems;
    }

    /** Reads the CRD schema from the npm package and closes every object schema to unknown fields. */
    private static JsonSchema loadCrdSchema(String kind) {
        try {
            String js = Files.readString(Paths.get(OPERATOR_MODELS + kind + ".js"));
            int start = js.indexOf("const schema = ") + "const schema = ".length();
            ObjectNode schema = (ObjectNode) JSON.readTree(js.substring(start, js.indexOf("\n};\n", start) + 2));
            ((ObjectNode) schema.get("properties")).putObject("metadata").put("type", "object");
            close(schema);
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema);
        } catch (IOException e) {
            throw new UncheckedIOException("run npm ci: the schema comes from @kubernetes-models/knative", e);
        }
    }

    private static void close(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            JsonNode properties = object.get("properties");
            if (properties != null && properties.size() > 0 && !object.has("additionalProperties")
                    && !object.has("x-kubernetes-preserve-unknown-fields")) {
                object.put("additionalProperties", false);
            }
            object.forEach(ManifestSchemas::close);
        } else if (node.isArray()) {
            node.forEach(ManifestSchemas::close);
        }
    }

    private static List<String> nodeProblems(List<Map<String, Object>> objects) {
        try {
            Process node = new ProcessBuilder("node", "test/schema/kubernetes-models-validate.mjs")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            JSON.writeValue(node.getOutputStream(), objects);
            String out = new String(node.getInputStream().readAllBytes());
            if (!node.waitFor(60, TimeUnit.SECONDS) || node.exitValue() != 0) {
                return List.of("node validation of " + objects.size() + " objects failed: " + out);
            }
            return JSON.readValue(out, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
