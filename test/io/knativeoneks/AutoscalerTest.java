package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;

/** The autoscaler takes aws-cdk-lib's {@link Duration}, the type every CDK user imports, and renders Go durations. */
class AutoscalerTest {
    private final Stack scope = new Stack(new App(), "Autoscaler");

    @Test
    void clusterWideSettingsBecomeConfigAutoscalerKeys() {
        Map<String, String> config = Autoscaler.builder()
                .minScale(1)
                .initialScale(0)
                .stableWindow(Duration.seconds(90))
                .scaleToZeroPodRetentionPeriod(Duration.minutes(5))
                .scaleToZeroGracePeriod(Duration.millis(1500))
                .containerConcurrencyTargetDefault(50)
                .build().toConfig(scope);

        assertThat(config).containsExactlyInAnyOrderEntriesOf(Map.of(
                "min-scale", "1",
                "initial-scale", "0",
                "allow-zero-initial-scale", "true",
                "stable-window", "90s",
                "scale-to-zero-pod-retention-period", "300s",
                "scale-to-zero-grace-period", "1500ms",
                "container-concurrency-target-default", "50"));
    }

    @Test
    void perRevisionSettingsBecomeAnnotationsWithKnativesNames() {
        Map<String, String> annotations = Autoscaler.builder()
                .minScale(2)
                .stableWindow(Duration.minutes(2))
                .containerConcurrencyTargetDefault(10)
                .build().toAnnotations(scope);

        assertThat(annotations).containsExactlyInAnyOrderEntriesOf(Map.of(
                "autoscaling.knative.dev/min-scale", "2",
                "autoscaling.knative.dev/window", "120s",
                "autoscaling.knative.dev/target", "10"));
    }
}
