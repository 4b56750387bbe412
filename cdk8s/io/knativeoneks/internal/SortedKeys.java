package io.knativeoneks.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Values with every map's keys in sorted order, however deep, for what is handed to aws-cdk-lib (Helm values,
 * custom-resource properties, manifests) or written to a GitOps repository: CloudFormation compares properties as
 * strings, and the iteration order of a map (a {@code Map.of}'s changes from one JVM to the next) must not make a
 * redeploy without a change run {@code helm upgrade} or {@code kubectl apply}, nor a render without a change give
 * other bytes.
 */
public final class SortedKeys {
    private SortedKeys() {
    }

    /**
     * Sorts the keys of every map in a value.
     *
     * @param <T> the value's type
     * @param value a map, a list or a scalar
     * @return {@code value} with every map in it copied into a {@link TreeMap}; lists keep their order
     */
    @SuppressWarnings("unchecked")
    public static <T> T of(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((key, item) -> sorted.put(String.valueOf(key), of(item)));
            return (T) sorted;
        }
        if (value instanceof List<?> list) {
            return (T) list.stream().map(SortedKeys::of).toList();
        }
        return value;
    }
}
