package io.knativeoneks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.constructs.IConstruct;

/**
 * cdk-nag rule suppressions written as the {@code cdk_nag} metadata cdk-nag reads, so users who run cdk-nag see
 * each deliberate exception with its reason, and the library does not depend on cdk-nag.
 */
final class NagSuppressions {
    private NagSuppressions() {
    }

    /** @return a finding pattern, e.g. {@code regex("^Policy::.*AWSLambdaBasicExecutionRole$")} */
    static Object regex(String pattern) {
        return Map.of("regex", "/" + pattern + "/");
    }

    /**
     * Suppresses {@code rule} on the CloudFormation resource behind {@code construct} (its default child, or itself).
     *
     * @param findings the granular findings suppressed: exact strings such as {@code Resource::*}, or
     *     {@link #regex(String)}; none suppresses the whole rule
     */
    @SuppressWarnings("unchecked")
    static void suppress(IConstruct construct, String rule, String reason, Object... findings) {
        CfnResource resource = construct instanceof CfnResource
                ? (CfnResource) construct : (CfnResource) construct.getNode().getDefaultChild();
        Map<String, Object> suppression = new LinkedHashMap<>();
        suppression.put("id", rule);
        suppression.put("reason", reason);
        if (findings.length > 0) {
            suppression.put("applies_to", List.of(findings));
        }
        Object existing = resource.getMetadata("cdk_nag");
        List<Object> rules = new ArrayList<>(existing == null ? List.of()
                : (List<Object>) ((Map<String, Object>) existing).get("rules_to_suppress"));
        rules.add(suppression);
        resource.addMetadata("cdk_nag", Map.of("rules_to_suppress", rules));
    }
}
