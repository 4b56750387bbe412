package io.knativeoneks;

import io.knativeoneks.k8s.Broker;
import io.knativeoneks.k8s.PingSource;
import io.knativeoneks.k8s.Trigger;
import io.knativeoneks.internal.Validate;
import java.util.Map;
import org.cdk8s.App;
import org.cdk8s.Chart;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.constructs.Construct;

/**
 * Knative Eventing end to end, the modern form of 2019's eventing-sources: a {@code PingSource} sends an event on a
 * schedule to a {@code Broker} (multi-tenant, channel-based, InMemoryChannel), and a {@code Trigger} delivers it to
 * a workload's Knative Service. Applied after Knative Eventing's webhook runs, in parallel with the subscriber's
 * build (the Trigger delivers once the service exists); the {@code kubectl logs} command that shows the events
 * arriving is a stack output.
 *
 * <pre>{@code
 * ScheduledEvents.Builder.create(this, "Ping")
 *         .platform(platform)
 *         .name("every-minute")
 *         .schedule("* * * * *")
 *         .subscriber(eventDisplay)   // a KnativeWorkload on the same platform
 *         .build();
 * }</pre>
 */
public final class ScheduledEvents extends Construct {
    private final KubernetesManifest manifest;
    private final String logsCommand;

    /**
     * An event flow; {@link Builder} is the shorter way to write it.
     *
     * @param scope the construct's parent
     * @param id the construct's id
     * @param props the properties; {@code platform}, {@code name} and {@code subscriber} are required
     */
    public ScheduledEvents(Construct scope, String id, ScheduledEventsProps props) {
        super(scope, id);
        Validate.required(this, "props", props, "pass ScheduledEventsProps.builder()...build()");
        Validate.check(props.platform != null, this, "platform", null, "is required", "pass the KnativePlatform");
        Validate.check(props.subscriber != null, this, "subscriber", null, "is required",
                "pass the KnativeWorkload that receives the events");
        Validate.check(props.name != null, this, "name", null, "is required", "name the flow, e.g. \"every-minute\"");
        props.nulls.check(this, "");
        PlatformBase platform = PlatformBase.of(this, props.platform);
        Validate.check(props.subscriber.getPlatform() == platform, this, "subscriber",
                props.subscriber.getNode().getPath(), "runs on another platform than "
                        + platform.getNode().getPath(), "pass a workload of this platform");
        platform.registry().addDependent(this);
        Validate.literal(this, "name", props.name);
        Validate.dnsLabel(this, "name", props.name);
        PingSource.checkSchedule(this, "schedule", props.schedule);
        PingSource.checkData(this, "data", props.data);
        String namespace = props.subscriber.getNamespace();

        Chart chart = new Chart(new App(), props.name + "-events");
        Broker broker = new Broker(chart, "Broker", props.name, namespace);
        new PingSource(chart, "Source", props.name, props.schedule, props.data, broker);
        new Trigger(chart, "Trigger", props.name, broker, Map.of("type", "dev.knative.sources.ping"),
                props.subscriber.getName());
        platform.registry().claimObjects(this, "name", props.name, chart);
        manifest = platform.getClusterContext().applyChart(this, "Resources", chart);
        // The Trigger resolves its subscriber when the service appears, so the wiring need not wait for its build.
        manifest.getNode().addDependency(platform.getEventingReady(), platform.getAppNamespaceReady());

        logsCommand = "kubectl logs -n " + namespace + " -l serving.knative.dev/service="
                + props.subscriber.getName() + " -c user-container --tail=20 -f";
        CfnOutput.Builder.create(this, "EventLogsCommand")
                .description("Watch the scheduled events arrive at " + props.subscriber.getName())
                .value(logsCommand)
                .build();
    }

    /** @return the manifest with the broker, the source and the trigger */
    public KubernetesManifest getManifest() {
        return manifest;
    }

    /** @return the kubectl command that follows the subscriber's logs */
    public String getLogsCommand() {
        return logsCommand;
    }

    /** Builds {@link ScheduledEvents}: {@code ScheduledEvents.Builder.create(scope, id).platform(p)...build()}. */
    public static final class Builder extends ScheduledEventsProps.AbstractBuilder<Builder, ScheduledEvents> {
        private final Construct scope;
        private final String id;

        private Builder(Construct scope, String id) {
            this.scope = scope;
            this.id = id;
        }

        /**
         * @param scope the construct's parent
         * @param id the construct's id
         * @return a builder with the given scope and id
         */
        public static Builder create(Construct scope, String id) {
            return new Builder(scope, id);
        }

        @Override
        public ScheduledEvents build() {
            return new ScheduledEvents(scope, id, new ScheduledEventsProps(this));
        }
    }
}
