package io.knativeoneks.k8s;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cdk8s.Duration;
import software.constructs.Construct;

/**
 * Cluster-wide defaults of the Knative Pod Autoscaler (the {@code config-autoscaler} ConfigMap). Only the settings
 * given are written; the rest keep Knative's defaults. Each revision can override them with
 * {@code autoscaling.knative.dev/*} annotations.
 */
public final class Autoscaler {
    private static final long WINDOW_MIN_MS = 6_000;
    /** Config keys whose per-revision annotation has another name. */
    private static final Map<String, String> REVISION_KEYS = Map.of(
            "container-concurrency-target-default", "target",
            "stable-window", "window");
    private static final long WINDOW_MAX_MS = 3_600_000;

    private final Boolean enableScaleToZero;
    private final Duration scaleToZeroGracePeriod;
    private final Duration scaleToZeroPodRetentionPeriod;
    private final Duration stableWindow;
    private final Integer initialScale;
    private final Integer minScale;
    private final Integer maxScale;
    private final Double containerConcurrencyTargetDefault;

    private Autoscaler(Builder b) {
        this.enableScaleToZero = b.enableScaleToZero;
        this.scaleToZeroGracePeriod = b.scaleToZeroGracePeriod;
        this.scaleToZeroPodRetentionPeriod = b.scaleToZeroPodRetentionPeriod;
        this.stableWindow = b.stableWindow;
        this.initialScale = b.initialScale;
        this.minScale = b.minScale;
        this.maxScale = b.maxScale;
        this.containerConcurrencyTargetDefault = b.containerConcurrencyTargetDefault;
    }

    /** @return a builder of autoscaler settings */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks the settings and renders them as {@code config-autoscaler} data.
     *
     * @param scope the construct whose path names the settings in error messages
     */
    Map<String, String> toConfig(Construct scope) {
        Map<String, String> config = new LinkedHashMap<>();
        if (enableScaleToZero != null) {
            config.put("enable-scale-to-zero", enableScaleToZero.toString());
        }
        putWindow(scope, config, "scale-to-zero-grace-period", "scaleToZeroGracePeriod", scaleToZeroGracePeriod);
        if (scaleToZeroPodRetentionPeriod != null) {
            Validate.check(millis(scaleToZeroPodRetentionPeriod) >= 0, scope, "autoscaler.scaleToZeroPodRetentionPeriod",
                    scaleToZeroPodRetentionPeriod.toHumanString(), "must not be negative", "use 0s or a longer period");
            config.put("scale-to-zero-pod-retention-period", goDuration(scaleToZeroPodRetentionPeriod));
        }
        putWindow(scope, config, "stable-window", "stableWindow", stableWindow);
        if (minScale != null) {
            Validate.range(scope, "autoscaler.minScale", minScale, 0, Integer.MAX_VALUE);
            config.put("min-scale", minScale.toString());
        }
        if (maxScale != null) {
            Validate.range(scope, "autoscaler.maxScale", maxScale, 0, Integer.MAX_VALUE);
            config.put("max-scale", maxScale.toString());
        }
        if (minScale != null && maxScale != null && maxScale > 0) {
            Validate.check(minScale <= maxScale, scope, "autoscaler.minScale", minScale,
                    "must not exceed autoscaler.maxScale (" + maxScale + ")", "raise maxScale or lower minScale");
        }
        if (initialScale != null) {
            Validate.range(scope, "autoscaler.initialScale", initialScale, 0, Integer.MAX_VALUE);
            config.put("initial-scale", initialScale.toString());
            if (initialScale == 0) {
                config.put("allow-zero-initial-scale", "true");
            }
        }
        if (containerConcurrencyTargetDefault != null) {
            Validate.check(containerConcurrencyTargetDefault >= 0.01, scope,
                    "autoscaler.containerConcurrencyTargetDefault", containerConcurrencyTargetDefault,
                    "must be at least 0.01 requests in flight per pod", "use a target such as 100");
            config.put("container-concurrency-target-default", formatNumber(containerConcurrencyTargetDefault));
        }
        return config;
    }

    /**
     * Checks the settings and renders them as per-revision {@code autoscaling.knative.dev/*} annotations.
     *
     * @param scope the construct whose path names the settings in error messages
     */
    Map<String, String> toAnnotations(Construct scope) {
        Validate.check(enableScaleToZero == null, scope, "scale.enableScaleToZero", enableScaleToZero,
                "is a cluster-wide setting", "set it on the platform's autoscaler");
        Validate.check(scaleToZeroGracePeriod == null, scope, "scale.scaleToZeroGracePeriod",
                scaleToZeroGracePeriod == null ? null : scaleToZeroGracePeriod.toHumanString(),
                "is a cluster-wide setting", "set it on the platform's autoscaler");
        Map<String, String> annotations = new LinkedHashMap<>();
        toConfig(scope).forEach((key, value) -> {
            if (!key.equals("allow-zero-initial-scale")) {
                annotations.put("autoscaling.knative.dev/" + REVISION_KEYS.getOrDefault(key, key), value);
            }
        });
        return annotations;
    }

    private static void putWindow(Construct scope, Map<String, String> config, String key, String property,
            Duration value) {
        if (value == null) {
            return;
        }
        long ms = millis(value);
        Validate.check(ms >= WINDOW_MIN_MS && ms <= WINDOW_MAX_MS, scope, "autoscaler." + property,
                value.toHumanString(), "must be between 6 seconds and 1 hour (Knative rejects other values)",
                "use a duration such as Duration.seconds(60)");
        config.put(key, goDuration(value));
    }

    private static long millis(Duration d) {
        return d.toMilliseconds().longValue();
    }

    /** Renders a duration the way Knative (Go's time.ParseDuration) reads it: whole seconds where exact. */
    static String goDuration(Duration d) {
        long ms = millis(d);
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static String formatNumber(double n) {
        return n == Math.rint(n) ? Long.toString((long) n) : Double.toString(n);
    }

    /** Builds {@link Autoscaler} settings. */
    public static final class Builder {
        private Boolean enableScaleToZero;
        private Duration scaleToZeroGracePeriod;
        private Duration scaleToZeroPodRetentionPeriod;
        private Duration stableWindow;
        private Integer initialScale;
        private Integer minScale;
        private Integer maxScale;
        private Double containerConcurrencyTargetDefault;

        private Builder() {
        }

        /** Whether revisions may scale to zero pods. @default true (Knative's default) */
        public Builder enableScaleToZero(boolean value) {
            this.enableScaleToZero = value;
            return this;
        }

        /** How long the last pod stays after the revision became idle, 6s to 1h. @default 30 seconds */
        public Builder scaleToZeroGracePeriod(Duration value) {
            this.scaleToZeroGracePeriod = value;
            return this;
        }

        /** Minimum time the last pod stays up after traffic stops: trades cost for cold starts. @default 0 seconds */
        public Builder scaleToZeroPodRetentionPeriod(Duration value) {
            this.scaleToZeroPodRetentionPeriod = value;
            return this;
        }

        /** The window over which average concurrency is measured, 6s to 1h. @default 60 seconds */
        public Builder stableWindow(Duration value) {
            this.stableWindow = value;
            return this;
        }

        /** Pods a new revision starts with; 0 lets it start scaled to zero. @default 1 */
        public Builder initialScale(int value) {
            this.initialScale = value;
            return this;
        }

        /** The fewest pods a revision keeps; above 0 there are no cold starts. @default 0 */
        public Builder minScale(int value) {
            this.minScale = value;
            return this;
        }

        /** The most pods a revision may have; 0 means no limit. @default 0 */
        public Builder maxScale(int value) {
            this.maxScale = value;
            return this;
        }

        /** Target requests in flight per pod when a service sets no concurrency. @default 100 */
        public Builder containerConcurrencyTargetDefault(double value) {
            this.containerConcurrencyTargetDefault = value;
            return this;
        }

        /** @return the settings; they are checked when a {@link KnativeServing} uses them */
        public Autoscaler build() {
            return new Autoscaler(this);
        }
    }
}
