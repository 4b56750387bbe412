package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Size;

/**
 * Metrics of a {@link KnativePlatform}: kube-prometheus-stack (pinned), monitors for Knative's control planes and
 * revisions, Knative's metrics export and Grafana dashboards. Grafana is reached by port-forward (a stack output).
 * Defaults are resolved here, when the options are built; the platform checks the values against its path.
 *
 * <pre>{@code
 * KnativePlatform.Builder.create(this, "Platform").cluster(cluster)
 *         .metrics(MetricsOptions.builder().retention(Duration.days(7)).build())
 *         .build();
 * }</pre>
 */
public final class MetricsOptions {
    /** The default retention: 24 hours. */
    public static final Duration DEFAULT_RETENTION = Duration.hours(24);
    /** The default most disk Prometheus uses: 4 GiB. */
    public static final Size DEFAULT_RETENTION_SIZE = Size.gibibytes(4);

    final Duration retention;
    final Size retentionSize;
    /** The names the platform's errors give the two properties: the options' own, or a deprecated flat prop's. */
    final String retentionProperty;
    final String retentionSizeProperty;
    final Validate.Nulls nulls;

    private MetricsOptions(Builder b) {
        this(b.retention, b.retentionSize, "metrics.retention", "metrics.retentionSize", b.nulls);
    }

    /** Options set through the platform's deprecated metricsRetention and metricsRetentionSize, named so in errors. */
    MetricsOptions(Duration retention, Size retentionSize, String retentionProperty, String retentionSizeProperty,
            Validate.Nulls nulls) {
        this.retention = retention != null ? retention : DEFAULT_RETENTION;
        this.retentionSize = retentionSize != null ? retentionSize : DEFAULT_RETENTION_SIZE;
        this.retentionProperty = retentionProperty;
        this.retentionSizeProperty = retentionSizeProperty;
        this.nulls = nulls;
    }

    /** @return how long Prometheus keeps metrics */
    public Duration getRetention() {
        return retention;
    }

    /** @return the most disk Prometheus uses */
    public Size getRetentionSize() {
        return retentionSize;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link MetricsOptions}. */
    public static final class Builder {
        private Duration retention;
        private Size retentionSize;
        private final Validate.Nulls nulls = new Validate.Nulls();

        private Builder() {
        }

        /**
         * How long Prometheus keeps metrics, 1 hour to 365 days, whole hours.
         *
         * @param value the retention, e.g. {@code Duration.days(7)}
         * @return this builder
         * @default 24 hours ({@link MetricsOptions#DEFAULT_RETENTION})
         */
        public Builder retention(Duration value) {
            this.retention = value;
            nulls.record("retention", value);
            return this;
        }

        /**
         * The most disk Prometheus uses on its node before dropping the oldest data, 1 to 64 GiB, whole GiB.
         *
         * @param value the size, e.g. {@code Size.gibibytes(8)}
         * @return this builder
         * @default 4 GiB ({@link MetricsOptions#DEFAULT_RETENTION_SIZE})
         */
        public Builder retentionSize(Size value) {
            this.retentionSize = value;
            nulls.record("retentionSize", value);
            return this;
        }

        /** @return the options */
        public MetricsOptions build() {
            return new MetricsOptions(this);
        }
    }
}
