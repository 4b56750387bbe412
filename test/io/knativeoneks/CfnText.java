package io.knativeoneks;

import java.util.List;
import java.util.Map;

/** CloudFormation values as text, for assertions on manifests that carry deploy-time values. */
final class CfnText {
    private CfnText() {
    }

    /**
     * Renders a CloudFormation value as text: {@code Fn::Join} is joined, other intrinsics become
     * {@code ${...}} placeholders, so a manifest with deploy-time values can still be parsed as JSON.
     */
    @SuppressWarnings("unchecked")
    static String render(Object value) {
        if (value instanceof String) {
            return (String) value;
        }
        Map<String, Object> map = (Map<String, Object>) value;
        if (map.containsKey("Fn::Join")) {
            List<Object> join = (List<Object>) map.get("Fn::Join");
            return String.join((String) join.get(0), ((List<Object>) join.get(1)).stream().map(CfnText::render)
                    .toList());
        }
        return "${" + map.toString().replaceAll("[\"\\\\]", "") + "}";
    }
}
