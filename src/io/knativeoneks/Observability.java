package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.SizeConversionOptions;
import software.amazon.awscdk.SizeRoundingBehavior;
import software.amazon.awscdk.TimeConversionOptions;
import software.constructs.Construct;

/**
 * The part of a {@link KnativePlatform} that watches it: metrics ({@link PrometheusStack}) from
 * {@link MetricsOptions}, logs ({@link CloudWatchLogs}) from {@link LogsOptions}. Not a construct: what it creates
 * belongs to the platform ({@code <platform>/Metrics}, {@code <platform>/Logs}), so its resources keep their logical
 * IDs. The options resolve their defaults; this part checks their values against the platform's path.
 */
final class Observability {
    private final PrometheusStack metrics;
    private final CloudWatchLogs logs;

    /**
     * @param metrics the metrics options, or null without metrics
     * @param logs the logs options, or null without logs
     * @param ignoredSettings whether deprecated metrics settings were given without metrics, to warn about
     */
    Observability(Construct platform, ClusterContext cluster, MetricsOptions metrics, LogsOptions logs,
            boolean ignoredSettings) {
        if (metrics != null) {
            metrics.nulls.check(platform, "metrics.");
            this.metrics = new PrometheusStack(platform, "Metrics", cluster, retention(platform, metrics),
                    retentionSize(platform, metrics));
        } else {
            this.metrics = null;
        }
        if (ignoredSettings) {
            Annotations.of(platform).addWarningV2("knative-on-eks:metricsSettingsIgnored",
                    "metricsRetention and metricsRetentionSize apply only with metrics(true); they are ignored. Use "
                            + "metrics(MetricsOptions.builder().retention(...).retentionSize(...).build()).");
        }
        this.logs = logs != null ? new CloudWatchLogs(platform, "Logs", cluster) : null;
    }

    /** @return Prometheus's retention flag, whole days ({@code 7d}) or hours ({@code 36h}) */
    private static String retention(Construct platform, MetricsOptions options) {
        Duration retention = options.retention;
        double hours = retention.toHours(TimeConversionOptions.builder().integral(false).build()).doubleValue();
        Validate.check(hours >= 1 && hours <= 365 * 24 && hours == Math.rint(hours), platform,
                options.retentionProperty, retention.toHumanString(), "must be whole hours from 1 hour to 365 days",
                "use e.g. Duration.days(7)");
        long h = (long) hours;
        return h % 24 == 0 ? (h / 24) + "d" : h + "h";
    }

    /** @return Prometheus's retention size flag, whole GiB ({@code 4GB}, which Prometheus reads as GiB) */
    private static String retentionSize(Construct platform, MetricsOptions options) {
        Number size = options.retentionSize.toGibibytes(SizeConversionOptions.builder()
                .rounding(SizeRoundingBehavior.NONE).build());
        double gib = size.doubleValue();
        Validate.check(gib >= 1 && gib <= 64 && gib == Math.rint(gib), platform, options.retentionSizeProperty,
                size + " GiB", "must be whole GiB from 1 to 64 (Prometheus keeps its data on the node's disk)",
                "use e.g. Size.gibibytes(4)");
        return (long) gib + "GB";
    }

    /** @return the metrics stack, or null without metrics */
    PrometheusStack getMetrics() {
        return metrics;
    }

    /** @return the logs add-on, or null without logs */
    CloudWatchLogs getLogs() {
        return logs;
    }
}
