package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Two AWS Control Tower proactive controls that the stacks used to fail, checked the way their guard rules read a
 * template: {@code cloudwatch_log_group_retention_period_check} (a log group keeps its logs at least 365 days, or
 * sets no retention) and {@code kms_create_grant_aws_service_check} (a key policy denies {@code kms:CreateGrant} to
 * every principal when {@code kms:GrantIsForAWSResource} and {@code aws:PrincipalIsAWSService} are both false, with
 * {@code BoolIfExists} and nothing else in the condition).
 */
class ControlTowerRulesTest {
    @Test
    void theDefaultAppAndItsMetricsAndLogsVariantPassBothRules() {
        for (Template template : List.of(ExampleApp.TEMPLATE, ExampleApp.WithEverySwitch.TEMPLATE)) {
            assertThat(template.findResources("AWS::Logs::LogGroup")).isNotEmpty()
                    .allSatisfy((id, r) -> assertThat(keepsLogsAYearOrMore(properties(r))).as(id).isTrue());
            assertThat(template.findResources("AWS::KMS::Key")).isNotEmpty()
                    .allSatisfy((id, r) -> assertThat(limitsGrantsToAwsServices(properties(r))).as(id).isTrue());
        }
    }

    @Test
    void aThrowawayClusterMayKeepItsLogsShorterWithOneProp() {
        Stack stack = new Stack(new App(), "Throwaway");
        KnativeCluster cluster = KnativeCluster.Builder.create(stack, "Cluster")
                .logRetention(RetentionDays.ONE_WEEK).build();
        KnativePlatform.Builder.create(stack, "Platform").cluster(cluster).build();
        Template template = Template.fromStack(stack);

        template.allResourcesProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 7)));
        assertThat(template.findResources("AWS::Logs::LogGroup")).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy((id, r) -> assertThat(keepsLogsAYearOrMore(properties(r))).as(id).isFalse());
    }

    @Test
    void theRulesCatchWhatTheyDescribe() {
        assertThat(keepsLogsAYearOrMore(Map.of("RetentionInDays", 30))).isFalse();
        assertThat(keepsLogsAYearOrMore(Map.of())).isTrue();
        Map<String, Object> deny = Map.of("Effect", "Deny", "Principal", Map.of("AWS", "*"),
                "Action", "kms:CreateGrant", "Resource", "*", "Condition", Map.of("BoolIfExists", Map.of(
                        "kms:GrantIsForAWSResource", "false", "aws:PrincipalIsAWSService", "false")));
        assertThat(limitsGrantsToAwsServices(policy(deny))).isTrue();
        assertThat(limitsGrantsToAwsServices(policy(Map.of("Effect", "Deny", "Principal", Map.of("AWS", "*"),
                "Action", "kms:CreateGrant", "Resource", "*",
                "Condition", Map.of("Bool", Map.of("kms:GrantIsForAWSResource", "false")))))).isFalse();
        assertThat(limitsGrantsToAwsServices(policy(Map.of("Effect", "Deny", "Principal", "*",
                "Action", "kms:CreateGrant", "Resource", "*", "Condition", Map.of("BoolIfExists", Map.of(
                        "kms:GrantIsForAWSResource", "false")))))).isFalse();
    }

    /** cloudwatch_log_group_retention_period_check: no retention, or at least 365 days. */
    private static boolean keepsLogsAYearOrMore(Map<String, Object> logGroup) {
        Object days = logGroup.get("RetentionInDays");
        return days == null || ((Number) days).intValue() >= 365;
    }

    /** kms_create_grant_aws_service_check: some statement of the key policy is the deny it describes. */
    @SuppressWarnings("unchecked")
    private static boolean limitsGrantsToAwsServices(Map<String, Object> key) {
        Map<String, Object> policy = (Map<String, Object>) key.get("KeyPolicy");
        return ((List<Map<String, Object>>) policy.get("Statement")).stream().anyMatch(s -> {
            Object principal = s.get("Principal");
            Object condition = s.get("Condition");
            return "Deny".equals(s.get("Effect"))
                    && asList(s.get("Action")).stream().allMatch("kms:CreateGrant"::equals)
                    && ("*".equals(principal) || principal instanceof Map && "*".equals(((Map<?, ?>) principal)
                            .get("AWS")))
                    && asList(s.get("Resource")).stream().allMatch("*"::equals)
                    && condition instanceof Map && ((Map<?, ?>) condition).keySet().equals(Set.of("BoolIfExists"))
                    && Map.of("kms:GrantIsForAWSResource", "false", "aws:PrincipalIsAWSService", "false")
                            .equals(((Map<?, ?>) condition).get("BoolIfExists"));
        });
    }

    private static List<?> asList(Object value) {
        return value instanceof List<?> list ? list : Stream.of(value).toList();
    }

    private static Map<String, Object> policy(Map<String, Object> statement) {
        return Map.of("KeyPolicy", Map.of("Statement", List.of(statement)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }
}
