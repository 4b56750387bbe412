package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.constructs.Construct;

/**
 * Cluster-wide defaults of the Knative Pod Autoscaler (the {@code config-autoscaler} ConfigMap). Only the settings
 * given are written; the rest keep Knative's defaults. Each revision can override them with
 * {@code autoscaling.knative.dev/*} annotations.
 *
 * <pre>{@code
 * Autoscaler.builder()
 *         .minScale(1)                  // one pod kept warm: no cold starts
 *         .maxScale(10)
 *         .stableWindow(Duration.seconds(120))
 *         .build();
 * }</pre>
 */
public final class Autoscaler {
    /**
     * The bounds of the stable window, and the most a revision may keep its last pod: WindowMin and WindowMax in
     * knative/serving pkg/apis/autoscaling/register.go (1.23).
     */
    private static final long WINDOW_MIN_MS = 6_000;
    private static final long WINDOW_MAX_MS = 3_600_000;
    /** TargetMin in knative/serving pkg/apis/autoscaling/register.go (1.23): the least target concurrency. */
    private static final double TARGET_MIN = 0.01;
    /**
     * Knative's default container-concurrency-target-percentage (70%, knative/serving pkg/autoscaler/config/config.go
     * 1.23), by which the cluster-wide target is multiplied before it is checked against {@link #TARGET_MIN}.
     */
    private static final double TARGET_UTILIZATION = 0.7;
    /** Config keys whose per-revision annotation has another name. */
    private static final Map<String, String> REVISION_KEYS = Map.of(
            "container-concurrency-target-default", "target",
            "stable-window", "window");

    private final Boolean enableScaleToZero;
    private final Duration scaleToZeroGracePeriod;
    private final Duration scaleToZeroPodRetentionPeriod;
    private final Duration stableWindow;
    private final Integer initialScale;
    private final Integer minScale;
    private final Integer maxScale;
    private final Double containerConcurrencyTargetDefault;
    private final Validate.Nulls nulls;

    private Autoscaler(Builder b) {
        this.enableScaleToZero = b.enableScaleToZero;
        this.scaleToZeroGracePeriod = b.scaleToZeroGracePeriod;
        this.scaleToZeroPodRetentionPeriod = b.scaleToZeroPodRetentionPeriod;
        this.stableWindow = b.stableWindow;
        this.initialScale = b.initialScale;
        this.minScale = b.minScale;
        this.maxScale = b.maxScale;
        this.containerConcurrencyTargetDefault = b.containerConcurrencyTargetDefault;
        this.nulls = b.nulls;
    }

    /** @return a builder of autoscaler settings */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the pods a new revision starts with, or null for Knative's default (1) */
    public Integer getInitialScale() {
        return initialScale;
    }

    /**
     * Checks the settings as Knative's {@code config-autoscaler} validation does (knative/serving
     * pkg/autoscaler/config/config.go) and renders them as its data.
     *
     * @param scope the construct whose path names the settings in error messages, as {@code autoscaler.*}
     * @return the {@code config-autoscaler} data
     */
    public Map<String, String> toConfig(Construct scope) {
        return render(scope, "autoscaler.", false);
    }

    /**
     * Checks the settings as Knative's webhook checks a revision's annotations (knative/serving
     * pkg/apis/autoscaling/annotation_validation.go) and renders them as {@code autoscaling.knative.dev/*}
     * annotations. An initial scale of 0 also needs the cluster-wide opt-in, which the caller checks.
     *
     * @param scope the construct whose path names the settings in error messages, as {@code scale.*}
     * @return the annotations of the revision template
     */
    public Map<String, String> toAnnotations(Construct scope) {
        Validate.check(enableScaleToZero == null, scope, "scale.enableScaleToZero", enableScaleToZero,
                "is a cluster-wide setting", "set it on the platform's autoscaler");
        Validate.check(scaleToZeroGracePeriod == null, scope, "scale.scaleToZeroGracePeriod",
                scaleToZeroGracePeriod == null ? null : scaleToZeroGracePeriod.toHumanString(),
                "is a cluster-wide setting", "set it on the platform's autoscaler");
        Map<String, String> annotations = new LinkedHashMap<>();
        render(scope, "scale.", true).forEach((key, value) -> {
            if (!key.equals("allow-zero-initial-scale")) {
                annotations.put("autoscaling.knative.dev/" + REVISION_KEYS.getOrDefault(key, key), value);
            }
        });
        return annotations;
    }

    private Map<String, String> render(Construct scope, String prefix, boolean perRevision) {
        nulls.check(scope, prefix);
        Map<String, String> config = new LinkedHashMap<>();
        if (enableScaleToZero != null) {
            config.put("enable-scale-to-zero", enableScaleToZero.toString());
        }
        if (scaleToZeroGracePeriod != null) {
            // config.go: "scale-to-zero-grace-period must be positive"
            Validate.check(millis(scaleToZeroGracePeriod) > 0, scope, prefix + "scaleToZeroGracePeriod",
                    scaleToZeroGracePeriod.toHumanString(), "must be positive (Knative rejects other values)",
                    "use a duration such as Duration.seconds(30)");
            config.put("scale-to-zero-grace-period", goDuration(scaleToZeroGracePeriod));
        }
        if (scaleToZeroPodRetentionPeriod != null) {
            // annotation_validation.go validateLastPodRetention: 0 to WindowMax per revision (config.go only refuses
            // negative periods, which a Duration cannot hold)
            Validate.check(!perRevision || millis(scaleToZeroPodRetentionPeriod) <= WINDOW_MAX_MS, scope,
                    prefix + "scaleToZeroPodRetentionPeriod", scaleToZeroPodRetentionPeriod.toHumanString(),
                    "must be between 0 seconds and 1 hour (Knative rejects other values)",
                    "use 0s or a period such as Duration.minutes(5)");
            config.put("scale-to-zero-pod-retention-period", goDuration(scaleToZeroPodRetentionPeriod));
        }
        if (stableWindow != null) {
            // config.go and annotation_validation.go validateWindow: WindowMin to WindowMax, at second precision
            long ms = millis(stableWindow);
            Validate.check(ms >= WINDOW_MIN_MS && ms <= WINDOW_MAX_MS && ms % 1000 == 0, scope,
                    prefix + "stableWindow", stableWindow.toHumanString(),
                    "must be whole seconds between 6 seconds and 1 hour (Knative rejects other values)",
                    "use a duration such as Duration.seconds(60)");
            config.put("stable-window", goDuration(stableWindow));
        }
        // config.go and annotation_validation.go validateMinMaxScale: 0 or more, min not above a non-zero max
        if (minScale != null) {
            Validate.range(scope, prefix + "minScale", minScale, 0, Integer.MAX_VALUE);
            config.put("min-scale", minScale.toString());
        }
        if (maxScale != null) {
            Validate.range(scope, prefix + "maxScale", maxScale, 0, Integer.MAX_VALUE);
            config.put("max-scale", maxScale.toString());
        }
        if (minScale != null && maxScale != null && maxScale > 0) {
            Validate.check(minScale <= maxScale, scope, prefix + "minScale", minScale,
                    "must not exceed " + prefix + "maxScale (" + maxScale + ")", "raise maxScale or lower minScale");
        }
        if (initialScale != null) {
            // config.go and annotation_validation.go validateInitialScale: 0 or more (0 needs the opt-in)
            Validate.range(scope, prefix + "initialScale", initialScale, 0, Integer.MAX_VALUE);
            config.put("initial-scale", initialScale.toString());
            if (initialScale == 0) {
                config.put("allow-zero-initial-scale", "true");
            }
        }
        if (containerConcurrencyTargetDefault != null) {
            // annotation_validation.go validateFloats: target at least TargetMin; config.go: target default times
            // the target utilization at least TargetMin
            double target = containerConcurrencyTargetDefault;
            double least = perRevision ? TARGET_MIN : TARGET_MIN / TARGET_UTILIZATION;
            Validate.check(Double.isFinite(target) && (perRevision ? target : target * TARGET_UTILIZATION)
                            >= TARGET_MIN, scope, prefix + "containerConcurrencyTargetDefault", target,
                    "must be at least " + String.format("%.4f", least) + " requests in flight per pod"
                            + (perRevision ? "" : " (Knative multiplies it by its 70% target utilization)"),
                    "use a target such as 100");
            config.put("container-concurrency-target-default", formatNumber(target));
        }
        return config;
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
        private final Validate.Nulls nulls = new Validate.Nulls();

        private Builder() {
        }

        /**
         * Whether revisions may scale to zero pods.
         *
         * @param value whether revisions may scale to zero
         * @return this builder
         * @default true (Knative's default)
         */
        public Builder enableScaleToZero(boolean value) {
            this.enableScaleToZero = value;
            return this;
        }

        /**
         * How long the last pod stays after the revision became idle; positive.
         *
         * @param value the period, e.g. {@code Duration.seconds(30)}
         * @return this builder
         * @default 30 seconds
         */
        public Builder scaleToZeroGracePeriod(Duration value) {
            this.scaleToZeroGracePeriod = value;
            nulls.record("scaleToZeroGracePeriod", value);
            return this;
        }

        /**
         * Minimum time the last pod stays up after traffic stops: trades cost for cold starts. Per revision at most
         * 1 hour.
         *
         * @param value the period, e.g. {@code Duration.minutes(5)}
         * @return this builder
         * @default 0 seconds
         */
        public Builder scaleToZeroPodRetentionPeriod(Duration value) {
            this.scaleToZeroPodRetentionPeriod = value;
            nulls.record("scaleToZeroPodRetentionPeriod", value);
            return this;
        }

        /**
         * The window over which average concurrency is measured, whole seconds from 6s to 1h.
         *
         * @param value the window, e.g. {@code Duration.seconds(60)}
         * @return this builder
         * @default 60 seconds
         */
        public Builder stableWindow(Duration value) {
            this.stableWindow = value;
            nulls.record("stableWindow", value);
            return this;
        }

        /**
         * Pods a new revision starts with; 0 lets it start scaled to zero (per revision only where the platform's
         * autoscaler also sets 0, Knative's cluster-wide opt-in).
         *
         * @param value the number of pods, 0 or more
         * @return this builder
         * @default 1
         */
        public Builder initialScale(int value) {
            this.initialScale = value;
            return this;
        }

        /**
         * The fewest pods a revision keeps; above 0 there are no cold starts.
         *
         * @param value the number of pods, 0 or more
         * @return this builder
         * @default 0
         */
        public Builder minScale(int value) {
            this.minScale = value;
            return this;
        }

        /**
         * The most pods a revision may have; 0 means no limit.
         *
         * @param value the number of pods, or 0 for no limit
         * @return this builder
         * @default 0
         */
        public Builder maxScale(int value) {
            this.maxScale = value;
            return this;
        }

        /**
         * Target requests in flight per pod when a service sets no concurrency.
         *
         * @param value the target, in requests in flight per pod
         * @return this builder
         * @default 100
         */
        public Builder containerConcurrencyTargetDefault(double value) {
            this.containerConcurrencyTargetDefault = value;
            return this;
        }

        /** @return the settings; they are checked when a platform or workload uses them */
        public Autoscaler build() {
            return new Autoscaler(this);
        }
    }
}
