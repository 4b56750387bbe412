package io.knativeoneks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * The Kubernetes objects a synthesized stack applies, for tests: every object of every
 * {@code Custom::AWSCDK-EKS-KubernetesResource} (a {@code KubernetesManifest}, as each Knative Service of a
 * {@link KnativeWorkload} is), parsed from the template's JSON text. Values known only at deploy time become readable
 * placeholders: {@code ${Ref:OrdersRole1234}}, {@code ${GetAtt:OrdersRole1234.Arn}}, {@code ${AWS::Region}} for a
 * pseudo parameter, {@code ${Sub:...}}, {@code ${ImportValue:...}}, {@code ${GetStackOutput:Stack.Output}}, and
 * {@code ${Select:...}} and the like for other functions; a {@code Fn::Join} is joined.
 *
 * <pre>{@code
 * KnativeManifests k8s = KnativeManifests.of(Template.fromStack(stack));
 * KnativeManifests.KubernetesObject orders = k8s.get("Service", "default", "orders");
 * assertThat(orders.at("spec.template.spec.containers[0].env[0].value")).isEqualTo("${Ref:OrdersTable1234}");
 * assertThat(orders.at("spec.template.metadata.annotations['autoscaling.knative.dev/min-scale']")).isEqualTo("1");
 * assertThat(k8s.isAppliedAfter(orders, k8s.get("KnativeServing", "knative-serving"))).isTrue();
 * }</pre>
 *
 * <p>Objects are plain {@code Map}, {@code List}, {@code String}, {@code Number} and {@code Boolean} trees (read
 * only), so AssertJ compares them with {@code Map.of(...)} and {@code List.of(...)} and a test needs no JSON library.
 * Not listed: the objects of Helm charts ({@code Custom::AWSCDK-EKS-HelmChart}, rendered by Helm at deploy time), and
 * patches of existing objects ({@code Custom::AWSCDK-EKS-KubernetesPatch}); assert those with {@link Template}.
 */
public final class KnativeManifests {
    /** The resource type of a {@code KubernetesManifest}. */
    static final String MANIFEST = "Custom::AWSCDK-EKS-KubernetesResource";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One step of a path: {@code name} (after a dot but for the first), {@code [0]}, {@code ['a.b']}. */
    private static final Pattern STEP =
            Pattern.compile("(?:^|\\.)([^.\\[\\]'\"]+)|\\[(\\d+)]|\\['([^']*)']|\\[\"([^\"]*)\"]");
    /** A reference in a {@code Fn::Sub} template: {@code ${Resource}} or {@code ${Resource.Attribute}}. */
    private static final Pattern SUB_REFERENCE = Pattern.compile("\\$\\{([^!}.][^}.]*)[^}]*}");

    private final List<KubernetesObject> objects = new ArrayList<>();
    /** For each resource, the resources CloudFormation creates before it. */
    private final Map<String, Set<String>> dependencies = new LinkedHashMap<>();

    private KnativeManifests(Map<String, Object> template) {
        Map<String, Map<String, Object>> resources = cast(template.getOrDefault("Resources", Map.of()));
        resources.forEach((id, resource) -> {
            Set<String> before = new HashSet<>();
            Object dependsOn = resource.get("DependsOn");
            if (dependsOn instanceof List) {
                before.addAll(cast(dependsOn));
            } else if (dependsOn instanceof String) {
                before.add((String) dependsOn);
            }
            collectReferences(resource.get("Properties"), before);
            before.retainAll(resources.keySet());
            dependencies.put(id, before);
        });
        resources.forEach((id, resource) -> {
            if (MANIFEST.equals(resource.get("Type"))) {
                Map<String, Object> properties = cast(resource.getOrDefault("Properties", Map.of()));
                String text = jsonText(properties.get("Manifest"));
                Object parsed;
                try {
                    parsed = JSON.readValue(text, Object.class);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("the manifest of " + id + " is not JSON with its deploy-time "
                            + "values as placeholders: " + e.getOriginalMessage() + "\n" + text, e);
                }
                for (Object object : parsed instanceof List ? (List<?>) parsed : List.of(parsed)) {
                    if (!(object instanceof Map)) {
                        throw new IllegalStateException("the manifest of " + id + " holds " + object
                                + ", not a Kubernetes object");
                    }
                    objects.add(new KubernetesObject(id, cast(readOnly(object))));
                }
            }
        });
    }

    /**
     * The objects a synthesized template applies.
     *
     * @param template e.g. {@code Template.fromStack(stack)}
     * @return its Kubernetes objects
     */
    public static KnativeManifests of(Template template) {
        return fromJson(Objects.requireNonNull(template, "template").toJSON());
    }

    /**
     * The objects a stack applies; synthesizes it as {@link Template#fromStack(Stack)} does.
     *
     * @param stack the stack with the Kubernetes manifests
     * @return its Kubernetes objects
     */
    public static KnativeManifests of(Stack stack) {
        return of(Template.fromStack(Objects.requireNonNull(stack, "stack")));
    }

    /** @return the objects of a template given as its JSON tree */
    static KnativeManifests fromJson(Map<String, Object> template) {
        return new KnativeManifests(template);
    }

    /** @return every object, in the order of the template's resources and of each manifest */
    public List<KubernetesObject> all() {
        return Collections.unmodifiableList(objects);
    }

    /**
     * @param kind e.g. {@code Service} (Knative's and Kubernetes' both: compare {@code getApiVersion()} to tell)
     * @return the objects of that kind, in the order of {@link #all()}
     */
    public List<KubernetesObject> ofKind(String kind) {
        return objects.stream().filter(o -> Objects.equals(o.getKind(), kind)).toList();
    }

    /**
     * The one object of a kind and a name, in whatever namespace.
     *
     * @param kind e.g. {@code KnativeServing}
     * @param name its {@code metadata.name}
     * @return the object
     * @throws NoSuchElementException if there is none or more than one, with the objects of that kind there are
     */
    public KubernetesObject get(String kind, String name) {
        return one(kind, ofKind(kind).stream().filter(o -> Objects.equals(o.getName(), name)).toList(),
                "named \"" + name + "\"", "give the namespace too");
    }

    /**
     * The one object of a kind, a namespace and a name.
     *
     * @param kind e.g. {@code Service}
     * @param namespace its {@code metadata.namespace}, or null for an object without one
     * @param name its {@code metadata.name}
     * @return the object
     * @throws NoSuchElementException if there is none (or more than one), with the objects of that kind there are
     */
    public KubernetesObject get(String kind, String namespace, String name) {
        return one(kind, ofKind(kind).stream().filter(o -> Objects.equals(o.getNamespace(), namespace)
                && Objects.equals(o.getName(), name)).toList(),
                "named \"" + name + "\" in namespace \"" + namespace + "\"",
                "pick one from ofKind(\"" + kind + "\") by its apiVersion");
    }

    private KubernetesObject one(String kind, List<KubernetesObject> found, String what, String tellApart) {
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.size() > 1) {
            throw new NoSuchElementException(found.size() + " objects of kind " + kind + " " + what + ": " + found
                    + "; " + tellApart);
        }
        List<KubernetesObject> ofKind = ofKind(kind);
        Set<String> kinds = objects.stream().map(o -> String.valueOf(o.getKind()))
                .collect(Collectors.toCollection(TreeSet::new));
        throw new NoSuchElementException("no " + kind + " " + what + " among the Kubernetes objects of the template; "
                + (ofKind.isEmpty() ? "it has no " + kind + ", its kinds are " + kinds
                        : "its " + kind + " objects: " + ofKind)
                + " (objects of Helm charts are not listed)");
    }

    /**
     * Whether CloudFormation applies {@code later} only once {@code earlier} is applied (and deletes it first): its
     * resource waits for that of {@code earlier}, through {@code DependsOn} and references, directly or through
     * other resources (a readiness wait, a role). Objects of one manifest are applied together, so neither is after
     * the other.
     *
     * @param later the object that must wait
     * @param earlier the object it waits for
     * @return true if {@code later}'s resource waits for {@code earlier}'s
     */
    public boolean isAppliedAfter(KubernetesObject later, KubernetesObject earlier) {
        return isCreatedAfter(later.getLogicalId(), earlier.getLogicalId());
    }

    /** @return true if the resource {@code later} waits, directly or not, for the resource {@code earlier} */
    boolean isCreatedAfter(String later, String earlier) {
        Deque<String> todo = new ArrayDeque<>(dependencies.getOrDefault(later, Set.of()));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (id.equals(earlier)) {
                return true;
            }
            if (seen.add(id)) {
                todo.addAll(dependencies.getOrDefault(id, Set.of()));
            }
        }
        return false;
    }

    /** Adds the logical ids {@code node} references ({@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub}). */
    private static void collectReferences(Object node, Set<String> into) {
        if (node instanceof Map) {
            Map<String, Object> map = cast(node);
            if (map.get("Ref") instanceof String) {
                into.add((String) map.get("Ref"));
            }
            Object getAtt = map.get("Fn::GetAtt");
            if (getAtt instanceof List) {
                into.add(String.valueOf(((List<?>) getAtt).get(0)));
            } else if (getAtt instanceof String) {
                into.add(((String) getAtt).split("\\.")[0]);
            }
            Object sub = map.get("Fn::Sub");
            Object subTemplate = sub instanceof List ? ((List<?>) sub).get(0) : sub;
            if (subTemplate instanceof String) {
                Matcher reference = SUB_REFERENCE.matcher((String) subTemplate);
                while (reference.find()) {
                    into.add(reference.group(1));
                }
            }
            map.values().forEach(v -> collectReferences(v, into));
        } else if (node instanceof List) {
            ((List<?>) node).forEach(v -> collectReferences(v, into));
        }
    }

    /**
     * A CloudFormation value as text: a {@code Fn::Join} is joined, other intrinsics become placeholders.
     *
     * @return e.g. {@code arn:${AWS::Partition}:s3:::${Ref:Bucket1234}/*}
     */
    static String text(Object value) {
        if (value instanceof String) {
            return (String) value;
        }
        if (value instanceof Number) {
            Number n = (Number) value;
            return n.doubleValue() == Math.rint(n.doubleValue()) ? String.valueOf(n.longValue()) : n.toString();
        }
        if (value instanceof List) {
            return ((List<?>) value).stream().map(KnativeManifests::text).collect(Collectors.joining(","));
        }
        if (!isIntrinsic(value)) {
            return String.valueOf(value);
        }
        Map.Entry<String, Object> intrinsic = KnativeManifests.<Map<String, Object>>cast(value).entrySet().iterator()
                .next();
        String function = intrinsic.getKey().replaceFirst("^Fn::", "");
        Object args = intrinsic.getValue();
        switch (function) {
            case "Join": {
                List<?> join = (List<?>) args;
                return ((List<?>) join.get(1)).stream().map(KnativeManifests::text)
                        .collect(Collectors.joining(text(join.get(0))));
            }
            case "Ref":
                return String.valueOf(args).startsWith("AWS::") ? "${" + args + "}" : "${Ref:" + args + "}";
            case "GetAtt":
                return "${GetAtt:" + (args instanceof List
                        ? ((List<?>) args).stream().map(KnativeManifests::text).collect(Collectors.joining("."))
                        : args) + "}";
            case "Sub": {
                String template = text(args instanceof List ? ((List<?>) args).get(0) : args);
                if (args instanceof List && ((List<?>) args).size() > 1) {
                    for (Map.Entry<String, Object> variable : KnativeManifests.<Map<String, Object>>cast(
                            ((List<?>) args).get(1)).entrySet()) {
                        template = template.replace("${" + variable.getKey() + "}", text(variable.getValue()));
                    }
                }
                return "${Sub:" + template + "}";
            }
            case "GetStackOutput": {
                Map<String, Object> output = cast(args);
                return "${GetStackOutput:" + text(output.get("StackName")) + "." + text(output.get("OutputName"))
                        + "}";
            }
            default:
                return "${" + function + ":" + text(args) + "}";
        }
    }

    /**
     * The text of a value whose literal parts are JSON, as a {@code Manifest}'s are: intrinsics inside a JSON string
     * become placeholders (CloudFormation's JSON serializer has already escaped their literals); one that stands for
     * a whole value (a number, a list) becomes a placeholder string.
     *
     * @return JSON text
     */
    static String jsonText(Object value) {
        StringBuilder json = new StringBuilder();
        appendJson(value, json, new boolean[2]);
        return json.toString();
    }

    /** @param state whether {@code json} ends inside a string, and after a backslash in it */
    private static void appendJson(Object value, StringBuilder json, boolean[] state) {
        if (value instanceof String) {
            for (char c : ((String) value).toCharArray()) {
                if (state[1]) {
                    state[1] = false;
                } else if (state[0] && c == '\\') {
                    state[1] = true;
                } else if (c == '"') {
                    state[0] = !state[0];
                }
            }
            json.append((String) value);
        } else if (value instanceof Map<?, ?> map && map.size() == 1 && map.containsKey("Fn::Join")) {
            List<?> join = (List<?>) map.get("Fn::Join");
            List<?> parts = (List<?>) join.get(1);
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    appendJson(join.get(0), json, state);
                }
                appendJson(parts.get(i), json, state);
            }
        } else if (state[0]) {
            json.append(text(value));
        } else {
            json.append('"').append(text(value).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
    }

    private static boolean isIntrinsic(Object value) {
        if (!(value instanceof Map) || ((Map<?, ?>) value).size() != 1) {
            return false;
        }
        Object key = ((Map<?, ?>) value).keySet().iterator().next();
        return "Ref".equals(key) || "Condition".equals(key) || String.valueOf(key).startsWith("Fn::");
    }

    /** @return {@code value} with every map and list in it read only */
    private static Object readOnly(Object value) {
        if (value instanceof Map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> copy.put((String) k, readOnly(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List) {
            List<Object> copy = new ArrayList<>();
            ((List<?>) value).forEach(v -> copy.add(readOnly(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    /** A Kubernetes object of a manifest, and the CloudFormation resource that applies it. */
    public static final class KubernetesObject {
        private final String logicalId;
        private final Map<String, Object> json;

        KubernetesObject(String logicalId, Map<String, Object> json) {
            this.logicalId = logicalId;
            this.json = json;
        }

        /** @return the logical id of the {@code Custom::AWSCDK-EKS-KubernetesResource} that applies it */
        public String getLogicalId() {
            return logicalId;
        }

        /** @return its {@code apiVersion}, e.g. {@code serving.knative.dev/v1} */
        public String getApiVersion() {
            return (String) json.get("apiVersion");
        }

        /** @return its {@code kind}, e.g. {@code Service} */
        public String getKind() {
            return (String) json.get("kind");
        }

        /** @return its {@code metadata.name} */
        public String getName() {
            return (String) at("metadata.name");
        }

        /** @return its {@code metadata.namespace}, or null if it has none (cluster-scoped, or left to kubectl) */
        public String getNamespace() {
            return (String) at("metadata.namespace");
        }

        /** @return the object as read-only maps, lists, strings, numbers and booleans */
        public Map<String, Object> toJson() {
            return json;
        }

        /**
         * A value in the object: fields separated by dots, list items by index, and keys with dots (as annotations
         * and labels have) in brackets: {@code spec.template.spec.containers[0].env},
         * {@code metadata.annotations['autoscaling.knative.dev/min-scale']}.
         *
         * @param path the path of the value
         * @return the value (a map, a list, a string, a number or a boolean), or null if the path leads nowhere
         * @throws IllegalArgumentException if {@code path} is not of that form
         */
        public Object at(String path) {
            Matcher step = STEP.matcher(path).useAnchoringBounds(false);
            Object value = json;
            int position = 0;
            while (position < path.length()) {
                if (!step.region(position, path.length()).lookingAt()) {
                    throw new IllegalArgumentException("path " + path + ": cannot read \"" + path.substring(position)
                            + "\"; use fields separated by dots, [index] and ['key.with.dots'], e.g. "
                            + "spec.template.metadata.annotations['autoscaling.knative.dev/min-scale']");
                }
                position = step.end();
                if (step.group(2) != null) {
                    int index = Integer.parseInt(step.group(2));
                    value = value instanceof List && index < ((List<?>) value).size() ? ((List<?>) value).get(index)
                            : null;
                } else {
                    String key = step.group(1) != null ? step.group(1)
                            : step.group(3) != null ? step.group(3) : step.group(4);
                    value = value instanceof Map ? ((Map<?, ?>) value).get(key) : null;
                }
            }
            return value;
        }

        /** @return e.g. {@code Service default/orders (serving.knative.dev/v1, in OrdersService1234)} */
        @Override
        public String toString() {
            return getKind() + " " + (getNamespace() == null ? "" : getNamespace() + "/") + getName() + " ("
                    + getApiVersion() + ", in " + logicalId + ")";
        }
    }
}
