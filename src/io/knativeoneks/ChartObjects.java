package io.knativeoneks;

import io.knativeoneks.internal.SortedKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cdk8s.Chart;
import software.amazon.awscdk.IStableAnyProducer;
import software.amazon.awscdk.Lazy;

/**
 * A cdk8s chart's objects in the form {@code KubernetesManifest} takes, rendered at synth rather than when the
 * manifest is created: what a user changes on the chart's objects afterwards (a probe, resources, an annotation, as
 * escape hatches allow) reaches the template. Each object's identity (apiVersion, kind, name, namespace) and labels
 * are fixed when the manifest is created (the manifest adds its prune label to them); every other field is the
 * object's as rendered at synth. Keys are sorted ({@link SortedKeys}), so the manifest's text is the same from one JVM
 * to the next.
 */
final class ChartObjects {
    private static final List<String> IDENTITY = List.of("apiVersion", "kind");
    private static final List<String> METADATA_IDENTITY = List.of("name", "namespace", "labels");

    private ChartObjects() {
    }

    /** @return the chart's objects, each field but its identity resolved at synth */
    static List<Map<String, Object>> of(Chart chart) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Map<String, Object> rendered : render(chart)) {
            Map<String, Object> object = new LinkedHashMap<>();
            rendered.forEach((field, value) -> object.put(field, field.equals("metadata")
                    ? metadata(chart, rendered, metadataOf(rendered))
                    : IDENTITY.contains(field) ? value : atSynth(chart, rendered, field, null)));
            objects.add(SortedKeys.of(object));
        }
        return objects;
    }

    private static Map<String, Object> metadata(Chart chart, Map<String, Object> rendered,
            Map<String, Object> metadata) {
        Map<String, Object> result = new LinkedHashMap<>();
        metadata.forEach((field, value) -> result.put(field, METADATA_IDENTITY.contains(field) ? value
                : atSynth(chart, rendered, "metadata", field)));
        return result;
    }

    /** A field (or a metadata field) of the object as the chart renders it at synth. */
    private static Object atSynth(Chart chart, Map<String, Object> rendered, String field, String metadataField) {
        return Lazy.any((IStableAnyProducer) () -> {
            Map<String, Object> now = render(chart).stream().filter(o -> sameObject(o, rendered)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("an object of chart " + chart.getNode().getId()
                            + " was renamed or removed after it was applied: " + identity(rendered)));
            return SortedKeys.of(metadataField == null ? now.get(field) : metadataOf(now).get(metadataField));
        });
    }

    private static boolean sameObject(Map<String, Object> a, Map<String, Object> b) {
        return identity(a).equals(identity(b));
    }

    private static String identity(Map<String, Object> object) {
        Map<String, Object> metadata = metadataOf(object);
        return object.get("apiVersion") + "/" + object.get("kind") + " " + metadata.get("namespace") + "/"
                + Objects.toString(metadata.get("name"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadataOf(Map<String, Object> object) {
        Object metadata = object.get("metadata");
        return metadata instanceof Map ? (Map<String, Object>) metadata : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> render(Chart chart) {
        return (List<Map<String, Object>>) (List<?>) chart.toJson();
    }
}
