package io.knativeoneks.k8s;

import java.util.LinkedHashMap;
import java.util.Map;

/** Maps whose keys keep the order given, so that synthesized manifests are stable from run to run. */
final class Maps {
    private Maps() {
    }

    /** @return a map of {@code key1, value1, key2, value2, ...} in that order */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
