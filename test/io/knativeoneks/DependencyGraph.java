package io.knativeoneks;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The order CloudFormation creates a template's resources in: a resource waits for its {@code DependsOn} and for
 * every resource it references ({@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub}); deletion runs the other way round.
 * The graph and the manifests' text are {@link KnativeManifests}'.
 */
public final class DependencyGraph {
    /** The resource type of a Kubernetes manifest applied by the kubectl provider. */
    public static final String MANIFEST = KnativeManifests.MANIFEST;
    /** The resource type of a {@link ReadinessWait}. */
    public static final String READINESS = "Custom::KnativeOnEksReadinessWait";

    private final Map<String, Map<String, Object>> resources;
    private final KnativeManifests manifests;

    @SuppressWarnings("unchecked")
    public DependencyGraph(Map<String, Object> template) {
        this.resources = (Map<String, Map<String, Object>>) (Map<String, ?>) template.get("Resources");
        this.manifests = KnativeManifests.fromJson(template);
    }

    /** @return true if {@code later} is created after (and deleted before) {@code earlier} */
    public boolean isAfter(String later, String earlier) {
        return manifests.isCreatedAfter(later, earlier);
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
            String manifest = KnativeManifests.jsonText(p.get("Manifest"));
            return Arrays.stream(texts).allMatch(manifest::contains);
        });
    }

    /** @return the text of the Kubernetes manifest {@code id}, deploy-time values as placeholders */
    public String manifest(String id) {
        return KnativeManifests.jsonText(((Map<?, ?>) resources.get(id).get("Properties")).get("Manifest"));
    }

    /** @return the logical ids of all resources of {@code type} */
    public List<String> all(String type) {
        return resources.entrySet().stream()
                .filter(e -> type.equals(e.getValue().get("Type")))
                .map(Map.Entry::getKey)
                .toList();
    }
}
