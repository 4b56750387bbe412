package io.knativeoneks;

import static io.knativeoneks.ValidationRows.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;

/**
 * Validation rows of Autoscaler, cluster-wide (the platform's config-autoscaler) and per revision (a workload's
 * annotations). Run by {@link ValidationTest}.
 */
final class AutoscalerRows {
    private AutoscalerRows() {
    }

    static Stream<Arguments> badRows() {
        return Stream.of(
                bad("Autoscaler.Builder.enableScaleToZero", "scale to zero is cluster-wide",
                        s -> revisionScale(s, Autoscaler.builder().enableScaleToZero(false)),
                        "[Test/Workload] scale.enableScaleToZero (false) is a cluster-wide setting: set it on the "
                                + "platform's autoscaler"),
                bad("Autoscaler.Builder.scaleToZeroGracePeriod", "grace period zero",
                        s -> platformScale(s, Autoscaler.builder().scaleToZeroGracePeriod(Duration.seconds(0))),
                        "[Test/Platform] autoscaler.scaleToZeroGracePeriod (0 seconds) must be positive (Knative "
                                + "rejects other values): use a duration such as Duration.seconds(30)"),
                bad("Autoscaler.Builder.scaleToZeroGracePeriod", "grace period is cluster-wide",
                        s -> revisionScale(s, Autoscaler.builder().scaleToZeroGracePeriod(Duration.seconds(10))),
                        "[Test/Workload] scale.scaleToZeroGracePeriod (10 seconds) is a cluster-wide setting: set it "
                                + "on the platform's autoscaler"),
                bad("Autoscaler.Builder.scaleToZeroGracePeriod", "grace period null",
                        s -> platformScale(s, Autoscaler.builder().scaleToZeroGracePeriod(null)),
                        "[Test/Platform] autoscaler.scaleToZeroGracePeriod" + NOT_NULL
                                + "autoscaler.scaleToZeroGracePeriod unset for its default, or pass a value"),
                bad("Autoscaler.Builder.scaleToZeroPodRetentionPeriod", "retention null",
                        s -> platformScale(s, Autoscaler.builder().scaleToZeroPodRetentionPeriod(null)),
                        "[Test/Platform] autoscaler.scaleToZeroPodRetentionPeriod" + NOT_NULL
                                + "autoscaler.scaleToZeroPodRetentionPeriod unset for its default, or pass a value"),
                bad("Autoscaler.Builder.scaleToZeroPodRetentionPeriod", "revision retention over an hour",
                        s -> revisionScale(s, Autoscaler.builder().scaleToZeroPodRetentionPeriod(Duration.minutes(61))),
                        "[Test/Workload] scale.scaleToZeroPodRetentionPeriod (1 hour 1 minute) must be "
                                + "between 0 seconds "
                                + "and 1 hour (Knative rejects other values): use 0s or a period such as "
                                + "Duration.minutes(5)"),
                bad("Autoscaler.Builder.stableWindow", "stable window too short",
                        s -> platformScale(s, Autoscaler.builder().stableWindow(Duration.seconds(2))),
                        "[Test/Platform] autoscaler.stableWindow (2 seconds) must be whole seconds between 6 seconds "
                                + "and 1 hour (Knative rejects other values): use a duration such as "
                                + "Duration.seconds(60)"),
                bad("Autoscaler.Builder.stableWindow", "stable window sub-second",
                        s -> revisionScale(s, Autoscaler.builder().stableWindow(Duration.millis(6500))),
                        "[Test/Workload] scale.stableWindow (6 seconds 500 millis) must be whole seconds "
                                + "between 6 seconds "
                                + "and 1 hour (Knative rejects other values): use a duration such as "
                                + "Duration.seconds(60)"),
                bad("Autoscaler.Builder.initialScale", "negative initial scale",
                        s -> platformScale(s, Autoscaler.builder().initialScale(-1)),
                        "[Test/Platform] autoscaler.initialScale (-1) must be between 0 and 2147483647: set "
                                + "autoscaler.initialScale within that range"),
                bad("Autoscaler.Builder.initialScale", "revision initial scale 0 without the opt-in",
                        s -> revisionScale(s, Autoscaler.builder().initialScale(0)),
                        "[Test/Workload] scale.initialScale (0) needs Knative's cluster-wide allow-zero-initial-scale: "
                                + "set initialScale(0) on the platform's autoscaler too, or use 1 or more here"),
                bad("Autoscaler.Builder.minScale", "negative min scale",
                        s -> platformScale(s, Autoscaler.builder().minScale(-1)),
                        "[Test/Platform] autoscaler.minScale (-1) must be between 0 and 2147483647: set "
                                + "autoscaler.minScale within that range"),
                bad("Autoscaler.Builder.minScale", "revision min above max",
                        s -> revisionScale(s, Autoscaler.builder().minScale(3).maxScale(1)),
                        "[Test/Workload] scale.minScale (3) must not exceed scale.maxScale (1): raise maxScale or "
                                + "lower minScale"),
                bad("Autoscaler.Builder.maxScale", "negative max scale",
                        s -> platformScale(s, Autoscaler.builder().maxScale(-2)),
                        "[Test/Platform] autoscaler.maxScale (-2) must be between 0 and 2147483647: set "
                                + "autoscaler.maxScale within that range"),
                bad("Autoscaler.Builder.containerConcurrencyTargetDefault", "cluster target below what Knative takes",
                        s -> platformScale(s, Autoscaler.builder().containerConcurrencyTargetDefault(0.012)),
                        "[Test/Platform] autoscaler.containerConcurrencyTargetDefault (0.012) must be at least 0.0143 "
                                + "requests in flight per pod (Knative multiplies it by its 70% target utilization): "
                                + "use a target such as 100"),
                bad("Autoscaler.Builder.containerConcurrencyTargetDefault", "revision target zero",
                        s -> revisionScale(s, Autoscaler.builder().containerConcurrencyTargetDefault(0)),
                        "[Test/Workload] scale.containerConcurrencyTargetDefault (0.0) must be at least 0.0100 "
                                + "requests in flight per pod: use a target such as 100"),
                bad("Autoscaler.Builder.containerConcurrencyTargetDefault", "target not a number",
                        s -> platformScale(s, Autoscaler.builder().containerConcurrencyTargetDefault(Double.NaN)),
                        "[Test/Platform] autoscaler.containerConcurrencyTargetDefault (NaN) must be at least 0.0143 "
                                + "requests in flight per pod (Knative multiplies it by its 70% target utilization): "
                                + "use a target such as 100"));
    }

    static Stream<Arguments> goodRows() {
        return Stream.of(
                good(List.of("KnativePlatformProps.autoscaler", "Autoscaler.Builder.minScale",
                        "Autoscaler.Builder.maxScale", "Autoscaler.Builder.initialScale",
                        "Autoscaler.Builder.stableWindow", "Autoscaler.Builder.enableScaleToZero",
                        "Autoscaler.Builder.scaleToZeroGracePeriod", "Autoscaler.Builder.scaleToZeroPodRetentionPeriod",
                        "Autoscaler.Builder.containerConcurrencyTargetDefault"),
                        "the platform's autoscaler at its limits",
                        s -> platformScale(s, Autoscaler.builder().minScale(1).maxScale(5).initialScale(0)
                                .stableWindow(Duration.hours(1)).enableScaleToZero(false)
                                .scaleToZeroGracePeriod(Duration.millis(1))
                                .scaleToZeroPodRetentionPeriod(Duration.hours(2))
                                .containerConcurrencyTargetDefault(0.015)),
                        p -> assertThat(manifests(Stack.of(p)).get("KnativeServing", "knative-serving")
                                .at("spec.config.autoscaler")).isEqualTo(Map.of("min-scale", "1", "max-scale", "5",
                                        "initial-scale", "0", "allow-zero-initial-scale", "true",
                                        "stable-window", "3600s", "enable-scale-to-zero", "false",
                                        "scale-to-zero-grace-period", "1ms",
                                        "scale-to-zero-pod-retention-period", "7200s",
                                        "container-concurrency-target-default", "0.015"))),
                good(List.of("KnativeWorkloadProps.scale", "Autoscaler.Builder.initialScale",
                        "Autoscaler.Builder.minScale", "Autoscaler.Builder.maxScale", "Autoscaler.Builder.stableWindow",
                        "Autoscaler.Builder.scaleToZeroPodRetentionPeriod",
                        "Autoscaler.Builder.containerConcurrencyTargetDefault"),
                        "a revision's own scale at its limits, initial scale 0 where the platform allows it",
                        s -> workloadOn(s, platformScale(s, Autoscaler.builder().initialScale(0)))
                                .scale(Autoscaler.builder().initialScale(0).minScale(0).maxScale(0)
                                        .stableWindow(Duration.seconds(6)).containerConcurrencyTargetDefault(0.01)
                                        .scaleToZeroPodRetentionPeriod(Duration.hours(1)).build()).build(),
                        w -> assertThat(manifests(Stack.of(w)).get("Service", "default", "hello")
                                .at("spec.template.metadata.annotations")).isEqualTo(Map.of(
                                        "autoscaling.knative.dev/initial-scale", "0",
                                        "autoscaling.knative.dev/min-scale", "0",
                                        "autoscaling.knative.dev/max-scale", "0",
                                        "autoscaling.knative.dev/window", "6s",
                                        "autoscaling.knative.dev/target", "0.01",
                                        "autoscaling.knative.dev/scale-to-zero-pod-retention-period", "3600s"))));
    }
}
