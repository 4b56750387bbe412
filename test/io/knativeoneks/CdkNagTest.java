package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.services.ec2.Vpc;

/**
 * AWS Solutions rules (cdk-nag) on the whole example stack, every switch on (metrics, logs, AWS events): no unsuppressed error, what was worth fixing is fixed,
 * and each suppression sits on one resource with its reason.
 */
class CdkNagTest {
    private static Stack stack;
    private static Template template;

    @BeforeAll
    static void synthWithNag() {
        stack = ExampleApp.WithEverySwitch.STACK;
        template = ExampleApp.WithEverySwitch.TEMPLATE;
    }

    // aws-cdk-lib's assertions.Annotations return cxapi.SynthesisMessage, deprecated with cxapi, no replacement yet.
    @SuppressWarnings("deprecation")
    private static List<SynthesisMessage> nagErrors(Stack s) {
        return Annotations.fromStack(s).findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
    }

    @Test
    @SuppressWarnings("deprecation") // SynthesisMessage, see nagErrors
    void exampleStackHasNoUnsuppressedAwsSolutionsErrors() {
        assertThat(nagErrors(stack)).extracting(e -> e.getId() + " " + e.getEntry().getData()).isEmpty();
    }

    @Test
    void controlPlaneLogsSecretsEncryptionAndFlowLogsAreOn() {
        template.hasResourceProperties("AWS::EKS::Cluster", Match.objectLike(Map.of(
                "Logging", Map.of("ClusterLogging", Map.of("EnabledTypes", List.of(Map.of("Type", "api"),
                        Map.of("Type", "audit"), Map.of("Type", "authenticator"),
                        Map.of("Type", "controllerManager"), Map.of("Type", "scheduler")))),
                "EncryptionConfig", List.of(Map.of("Provider", Map.of("KeyArn", Match.anyValue()),
                        "Resources", List.of("secrets"))))));
        template.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true)));
        template.resourceCountIs("AWS::EC2::FlowLog", 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everySuppressionIsNarrowAndGivesItsReason() {
        Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) (Map<String, ?>)
                template.toJSON().get("Resources");
        List<Map<String, Object>> suppressions = resources.values().stream()
                .map(r -> (Map<String, Object>) r.get("Metadata"))
                .filter(m -> m != null && m.containsKey("cdk_nag"))
                .flatMap(m -> ((List<Map<String, Object>>) ((Map<String, Object>) m.get("cdk_nag"))
                        .get("rules_to_suppress")).stream())
                .toList();
        assertThat(suppressions).isNotEmpty().allSatisfy(s -> {
            assertThat((String) s.get("reason")).hasSizeGreaterThan(30);
            if (List.of("AwsSolutions-IAM4", "AwsSolutions-IAM5").contains(s.get("id"))) {
                assertThat((List<?>) s.get("applies_to")).as("granular rule %s names its findings", s.get("id"))
                        .isNotEmpty();
            }
        });
        assertThat(suppressions).extracting(s -> s.get("id")).doesNotContain("AwsSolutions-VPC7",
                "AwsSolutions-EKS2");
    }

    @Test
    @SuppressWarnings("deprecation") // SynthesisMessage, see nagErrors
    void nagStillReportsWhatIsNotSuppressed() {
        Stack own = new Stack(new App(), "OwnVpc");
        KnativeCluster.Builder.create(own, "Cluster").vpc(Vpc.Builder.create(own, "Vpc").build()).build();
        Aspects.of(own).add(new AwsSolutionsChecks());
        assertThat(nagErrors(own)).extracting(SynthesisMessage::getEntry)
                .anyMatch(e -> String.valueOf(e.getData()).startsWith("AwsSolutions-VPC7"));
    }
}
