package io.knativeoneks;

/**
 * Logs of a {@link KnativePlatform}: the amazon-cloudwatch-observability add-on (Fluent Bit and the CloudWatch agent)
 * with EKS Pod Identity; container logs land in CloudWatch Logs. It has no settings yet: the options object keeps
 * room for them without another change to the platform's props.
 *
 * <pre>{@code
 * KnativePlatform.Builder.create(this, "Platform").cluster(cluster).logs(LogsOptions.builder().build()).build();
 * }</pre>
 */
public final class LogsOptions {
    private LogsOptions() {
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link LogsOptions}. */
    public static final class Builder {
        private Builder() {
        }

        /** @return the options */
        public LogsOptions build() {
            return new LogsOptions();
        }
    }
}
