package io.knativeoneks;

import io.knativeoneks.internal.Validate;

/**
 * Properties of {@link AwsEvents}. {@code platform}, {@code name}, one origin ({@code from} or {@code fromBroker}) and
 * one destination ({@code to} or {@code toBroker}) are required; at least one side is AWS.
 */
public final class AwsEventsProps {
    final IKnativePlatform platform;
    final String name;
    final AwsEventSource from;
    final String fromBroker;
    final String eventType;
    final KnativeWorkload toWorkload;
    final AwsEventSink toSink;
    final String toBroker;
    final Validate.Nulls nulls;

    AwsEventsProps(AbstractBuilder<?, ?> b) {
        this.platform = b.platform;
        this.name = b.name;
        this.from = b.from;
        this.fromBroker = b.fromBroker;
        this.eventType = b.eventType;
        this.toWorkload = b.toWorkload;
        this.toSink = b.toSink;
        this.toBroker = b.toBroker;
        this.nulls = b.nulls;
    }

    /** @return the platform */
    public IKnativePlatform getPlatform() {
        return platform;
    }

    /** @return the name of the flow */
    public String getName() {
        return name;
    }

    /** @return the AWS source, or null */
    public AwsEventSource getFrom() {
        return from;
    }

    /** @return the broker the events come from, or null */
    public String getFromBroker() {
        return fromBroker;
    }

    /** @return the CloudEvent type the flow takes from its broker, or null for every event */
    public String getEventType() {
        return eventType;
    }

    /** @return the workload that receives the events, or null */
    public KnativeWorkload getToWorkload() {
        return toWorkload;
    }

    /** @return the AWS sink, or null */
    public AwsEventSink getToSink() {
        return toSink;
    }

    /** @return the broker that receives the events, or null */
    public String getToBroker() {
        return toBroker;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link AwsEventsProps}. */
    public static final class Builder extends AbstractBuilder<Builder, AwsEventsProps> {
        @Override
        public AwsEventsProps build() {
            return new AwsEventsProps(this);
        }
    }

    /**
     * The setters shared by {@link Builder} and {@link AwsEvents.Builder}.
     *
     * @param <B> the concrete builder
     * @param <T> what it builds
     */
    public abstract static class AbstractBuilder<B extends AbstractBuilder<B, T>, T> {
        private IKnativePlatform platform;
        private String name;
        private AwsEventSource from;
        private String fromBroker;
        private String eventType;
        private KnativeWorkload toWorkload;
        private AwsEventSink toSink;
        private String toBroker;
        private final Validate.Nulls nulls = new Validate.Nulls();

        AbstractBuilder() {
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /**
         * The platform: a {@link KnativePlatform}, or one another app installed
         * ({@link KnativePlatform#fromPlatformAttributes}). Required.
         *
         * @param value the platform
         * @return this builder
         */
        public B platform(IKnativePlatform value) {
            this.platform = value;
            nulls.record("platform", value);
            return self();
        }

        /**
         * Names the IntegrationSource, IntegrationSink and Trigger (a DNS-1035 label of at most 56 characters);
         * their service accounts are {@code <name>-source} and {@code <name>-sink}. Required.
         *
         * @param value the name, e.g. {@code "orders"}
         * @return this builder
         */
        public B name(String value) {
            this.name = value;
            nulls.record("name", value);
            return self();
        }

        /**
         * Reads the events from AWS. Set this or {@link #fromBroker}.
         *
         * @param value the source, e.g. {@code AwsEventSource.sqs(queue)}
         * @return this builder
         */
        public B from(AwsEventSource value) {
            this.from = value;
            nulls.record("from", value);
            return self();
        }

        /**
         * Takes the events from a Knative broker of the platform's application namespace (which must exist), through
         * a Trigger. Set this or {@link #from}; the destination is then AWS.
         *
         * @param value the broker's name, e.g. {@code "default"}
         * @return this builder
         */
        public B fromBroker(String value) {
            this.fromBroker = value;
            nulls.record("fromBroker", value);
            return self();
        }

        /**
         * The CloudEvent type the Trigger on {@link #fromBroker} passes on.
         *
         * @param value the type, e.g. {@code dev.knative.sources.ping}
         * @return this builder
         * @default every event of the broker
         */
        public B eventType(String value) {
            this.eventType = value;
            nulls.record("eventType", value);
            return self();
        }

        /**
         * Delivers the events to a workload's Knative Service (in its namespace). Set one {@code to} or
         * {@link #toBroker}.
         *
         * @param value the workload, on the same platform
         * @return this builder
         */
        public B to(KnativeWorkload value) {
            this.toWorkload = value;
            nulls.record("to", value);
            return self();
        }

        /**
         * Writes the events to AWS. Set one {@code to} or {@link #toBroker}.
         *
         * @param value the sink, e.g. {@code AwsEventSink.sns(topic)}
         * @return this builder
         */
        public B to(AwsEventSink value) {
            this.toSink = value;
            nulls.record("to", value);
            return self();
        }

        /**
         * Delivers the events to a Knative broker of the platform's application namespace (which must exist), for
         * Triggers to route. Set this or one {@code to}.
         *
         * @param value the broker's name, e.g. {@code "default"}
         * @return this builder
         */
        public B toBroker(String value) {
            this.toBroker = value;
            nulls.record("toBroker", value);
            return self();
        }

        /** @return what this builder builds */
        public abstract T build();
    }
}
