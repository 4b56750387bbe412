package io.knativeoneks;

import io.knativeoneks.internal.Validate;

/** Properties of {@link ScheduledEvents}. {@code platform}, {@code name} and {@code subscriber} are required. */
public final class ScheduledEventsProps {
    /** The event data sent when none is given. */
    public static final String DEFAULT_DATA = "{\"message\": \"Hello from knative-on-eks\"}";

    final IKnativePlatform platform;
    final String name;
    final String schedule;
    final String data;
    final KnativeWorkload subscriber;
    final Validate.Nulls nulls;

    ScheduledEventsProps(AbstractBuilder<?, ?> b) {
        this.platform = b.platform;
        this.name = b.name;
        this.schedule = b.schedule != null ? b.schedule : "* * * * *";
        this.data = b.data != null ? b.data : DEFAULT_DATA;
        this.subscriber = b.subscriber;
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

    /** @return the cron schedule */
    public String getSchedule() {
        return schedule;
    }

    /** @return the event data */
    public String getData() {
        return data;
    }

    /** @return the workload that receives the events */
    public KnativeWorkload getSubscriber() {
        return subscriber;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ScheduledEventsProps}. */
    public static final class Builder extends AbstractBuilder<Builder, ScheduledEventsProps> {
        @Override
        public ScheduledEventsProps build() {
            return new ScheduledEventsProps(this);
        }
    }

    /**
     * The setters shared by {@link Builder} and {@link ScheduledEvents.Builder}.
     *
     * @param <B> the concrete builder
     * @param <T> what it builds
     */
    public abstract static class AbstractBuilder<B extends AbstractBuilder<B, T>, T> {
        private IKnativePlatform platform;
        private String name;
        private String schedule;
        private String data;
        private KnativeWorkload subscriber;
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
         * Names the broker, the source and the trigger (a DNS-1123 label). Required.
         *
         * @param value the name
         * @return this builder
         */
        public B name(String value) {
            this.name = value;
            nulls.record("name", value);
            return self();
        }

        /**
         * When to send an event: five cron fields (minute hour day-of-month month day-of-week, optionally after a
         * seconds field) or a descriptor such as {@code @hourly} ({@code @every} is refused by Knative).
         *
         * @param value the schedule, e.g. {@code 0 9 * * 1-5}
         * @return this builder
         * @default "* * * * *" (every minute)
         */
        public B schedule(String value) {
            this.schedule = value;
            nulls.record("schedule", value);
            return self();
        }

        /**
         * The data of each event, a JSON object.
         *
         * @param value the JSON object, as text
         * @return this builder
         * @default {@code {"message": "Hello from knative-on-eks"}} ({@link ScheduledEventsProps#DEFAULT_DATA})
         */
        public B data(String value) {
            this.data = value;
            nulls.record("data", value);
            return self();
        }

        /**
         * The workload on the same platform whose Knative Service receives the events (in its namespace). Required.
         *
         * @param value the workload
         * @return this builder
         */
        public B subscriber(KnativeWorkload value) {
            this.subscriber = value;
            nulls.record("subscriber", value);
            return self();
        }

        /** @return what this builder builds */
        public abstract T build();
    }
}
