package io.knativeoneks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.services.iam.Policy;
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
     * Records why cdk-nag's findings inside an aws-cdk-lib custom-resource provider are accepted, each on its own
     * resource: AWS managed Lambda execution policies on its roles, the framework's right to invoke any version of
     * the handler, and handler runtimes aws-cdk-lib picks.
     *
     * @param provider the provider construct
     * @param handler a pattern matching the logical id of the handler function the framework invokes
     */
    static void acknowledgeProviderInternals(IConstruct provider, String handler) {
        for (IConstruct c : provider.getNode().findAll()) {
            if (c instanceof CfnResource resource) {
                switch (resource.getCfnResourceType()) {
                    case "AWS::IAM::Role" -> suppress(c, "AwsSolutions-IAM4",
                            "aws-cdk-lib's custom-resource providers run Lambda functions with the AWS managed "
                                    + "execution (and VPC access, ECR read-only) policies",
                            regex("^Policy::.*(AWSLambdaBasicExecutionRole|AWSLambdaVPCAccessExecutionRole|"
                                    + "AmazonEC2ContainerRegistryReadOnly|"
                                    + "AmazonElasticContainerRegistryPublicReadOnly).*$"));
                    case "AWS::IAM::Policy" -> suppress(c, "AwsSolutions-IAM5",
                            "the provider framework may invoke any version of its handler",
                            regex("^Resource::<.*" + handler + ".*\\.Arn>:\\*$"));
                    case "AWS::Lambda::Function" -> suppress(c, "AwsSolutions-L1",
                            "aws-cdk-lib picks the runtime of its provider framework, not this library");
                    default -> { }
                }
            }
        }
    }

    /**
     * Suppresses {@code rule} on the policy a grant wrote for {@code grantee}: a role's {@code DefaultPolicy}, or the
     * policy of an imported role, whose id depends on the {@code importedRoleStackSafeDefaultPolicyName} flag.
     */
    static void suppressOnPolicy(IConstruct grantee, String rule, String reason, Object... findings) {
        suppress(grantee.getNode().getChildren().stream().filter(Policy.class::isInstance).findFirst().orElseThrow(),
                rule, reason, findings);
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
