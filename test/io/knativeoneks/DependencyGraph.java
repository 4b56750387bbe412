package io.knativeoneks;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The order CloudFormation creates a template's resources in: a resource waits for its {@code DependsOn} and for
 * every resource it references ({@code Ref}, {@code Fn::GetAtt}); deletion runs the other way round.
 */
public final class DependencyGraph {
    /** The resource type of a Kubernetes manifest applied by the kubectl provider. */
    public static final String MANIFEST = "Custom::AWSCDK-EKS-KubernetesResource";
    /** The resource type of a {@link ReadinessWait}. */
    public static final String READINESS = "Custom::KnativeOnEksReadinessWait";

    private final Map<String, Map<String, Object>> resources;
    private final Map<String, Set<String>> direct = new HashMap<>();

    @SuppressWarnings("unchecked")
    public DependencyGraph(Map<String, Object> template) {
        this.resources = (Map<String, Map<String, Object>>) (Map<String, ?>) template.get("Resources");
        resources.forEach((id, resource) -> {
            Set<String> deps = new HashSet<>();
            Object dependsOn = resource.get("DependsOn");
            if (dependsOn instanceof List) {
                deps.addAll((List<String>) dependsOn);
            } else if (dependsOn instanceof String) {
                deps.add((String) dependsOn);
            }
            collectReferences(resource.get("Properties"), deps);
            deps.retainAll(resources.keySet());
            direct.put(id, deps);
        });
    }

    @SuppressWarnings("unchecked")
    private static void collectReferences(Object node, Set<String> into) {
        if (node instanceof Map) {
            Map<String, Object> map = (Map<String, Object>) node;
            if (map.get("Ref") instanceof String) {
                into.add((String) map.get("Ref"));
            }
            if (map.get("Fn::GetAtt") instanceof List) {
                into.add((String) ((List<Object>) map.get("Fn::GetAtt")).get(0));
            }
            map.values().forEach(v -> collectReferences(v, into));
        } else if (node instanceof List) {
            ((List<Object>) node).forEach(v -> collectReferences(v, into));
        }
    }

    /** @return true if {@code later} is created after (and deleted before) {@code earlier} */
    public boolean isAfter(String later, String earlier) {
        Deque<String> todo = new ArrayDeque<>(direct.get(later));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (id.equals(earlier)) {
                return true;
            }
            if (seen.add(id)) {
                todo.addAll(direct.getOrDefault(id, Set.of()));
            }
        }
        return false;
    }

    /** @return the logical id of the one resource of {@code type} whose properties satisfy {@code test} */
    @SuppressWarnings("unchecked")
    public String find(String type, Predicate<Map<String, Object>> test) {
        List<String> ids = resources.entrySet().stream()
                .filter(e -> type.equals(e.getValue().get("Type")))
                .filter(e -> test.test((Map<String, Object>) e.getValue().getOrDefault("Properties", Map.of())))
                .map(Map.Entry::getKey)
                .toList();
        if (ids.size() != 1) {
            throw new AssertionError("expected one " + type + " matching, found " + ids);
        }
        return ids.get(0);
    }

    /** @return the logical id of the one Kubernetes manifest whose text contains all of {@code texts} */
    public String manifestContaining(String... texts) {
        return find(MANIFEST, p -> {
            String manifest = CfnText.render(p.get("Manifest"));
            return Arrays.stream(texts).allMatch(manifest::contains);
        });
    }

    /** @return the text of the Kubernetes manifest {@code id}, deploy-time values as placeholders */
    public String manifest(String id) {
        return CfnText.render(((Map<?, ?>) resources.get(id).get("Properties")).get("Manifest"));
    }

    /** @return the logical ids of all resources of {@code type} */
    public List<String> all(String type) {
        return resources.entrySet().stream()
                .filter(e -> type.equals(e.getValue().get("Type")))
                .map(Map.Entry::getKey)
                .toList();
    }
}
