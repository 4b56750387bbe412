package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import io.knativeoneks.k8s.IntegrationSink;
import io.knativeoneks.k8s.IntegrationSource;
import io.knativeoneks.k8s.Trigger;
import java.util.Map;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.plus25.k8s.KubeServiceAccount;
import org.cdk8s.plus25.k8s.KubeServiceAccountProps;
import org.cdk8s.plus25.k8s.ObjectMeta;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.iam.IRole;
import software.constructs.Construct;

/**
 * AWS events in and out of Knative, with no keys: a Knative {@code IntegrationSource} reads an SQS queue, an S3
 * bucket or a DynamoDB stream and sends each item as a CloudEvent to a workload or a broker; a Knative
 * {@code IntegrationSink} writes the events of a broker (or of an AWS source) to an SQS queue, an SNS topic or an S3
 * bucket. Each runs as a Kubernetes service account of its own ({@code <name>-source}, {@code <name>-sink}) bound by
 * EKS Pod Identity to an IAM role with exactly the grants its kind needs; Knative then sets the Kamelet's
 * {@code useDefaultCredentialsProvider}, and the AWS SDK reads the Pod Identity credentials. Applied after Knative
 * Eventing's webhook runs and after the Pod Identity associations exist.
 *
 * <p>An SQS source deletes each message once delivered; an S3 source leaves objects in place unless built with
 * {@link AwsEventSource#s3DeleteAfterRead}.
 *
 * <pre>{@code
 * AwsEvents.Builder.create(this, "Orders").platform(platform).name("orders")
 *         .from(AwsEventSource.sqs(queue)).to(workload)          // or .toBroker("default")
 *         .build();
 * AwsEvents.Builder.create(this, "Alerts").platform(platform).name("alerts")
 *         .fromBroker("default").eventType("com.example.alert")
 *         .to(AwsEventSink.sns(topic))
 *         .build();
 * }</pre>
 */
public final class AwsEvents extends Construct {
    /** The longest name, so that {@code <name>-source} is a DNS-1123 label. */
    public static final int MAX_NAME_LENGTH = 63 - "-source".length();

    private final String name;
    private final String namespace;
    private final PodIdentityRole sourceIdentity;
    private final PodIdentityRole sinkIdentity;
    private final KubernetesManifest manifest;

    /**
     * An event flow; {@link Builder} is the shorter way to write it.
     *
     * @param scope the construct's parent
     * @param id the construct's id
     * @param props the properties; {@code platform}, {@code name}, an origin and a destination are required
     */
    public AwsEvents(Construct scope, String id, AwsEventsProps props) {
        super(scope, id);
        Validate.required(this, "props", props, "pass AwsEventsProps.builder()...build()");
        Validate.check(props.platform != null, this, "platform", null, "is required", "pass the KnativePlatform");
        Validate.check(props.name != null, this, "name", null, "is required", "name the flow, e.g. \"orders\"");
        props.nulls.check(this, "");
        PlatformBase platform = PlatformBase.of(this, props.platform);
        SameApp.check(this, "platform", platform, "create the flow in a stack of the "
                + "platform's app, account and region (stacks reference each other only there)");
        this.name = props.name;
        Validate.literal(this, "name", name);
        Validate.matches(this, "name", name, Validate.DNS_1035_LABEL, "a DNS-1035 label", "orders");
        Validate.check(name.length() <= MAX_NAME_LENGTH, this, "name", "\"" + name + "\"", "is longer than "
                + MAX_NAME_LENGTH + " characters, so its service account " + name + "-source would not be a DNS "
                + "label", "use a shorter name");
        Validate.check(props.from != null || props.fromBroker != null, this, "from", null, "is required",
                "pass AwsEventSource.sqs(...), s3(...) or dynamoDbStream(...), or use fromBroker(...)");
        Validate.check(props.from == null || props.fromBroker == null, this, "fromBroker",
                "\"" + props.fromBroker + "\"", "is set together with from", "take the events from one of them");
        int destinations = (props.toWorkload != null ? 1 : 0) + (props.toSink != null ? 1 : 0)
                + (props.toBroker != null ? 1 : 0);
        Validate.check(destinations > 0, this, "to", null, "is required",
                "pass a KnativeWorkload or an AwsEventSink, or use toBroker(...)");
        Validate.check(destinations == 1, this, "to", destinations + " destinations",
                "must be one destination", "set one of to(workload), to(sink) and toBroker(...)");
        Validate.check(props.fromBroker == null || props.toSink != null, this, "fromBroker",
                "\"" + props.fromBroker + "\"", "needs an AWS destination (a flow from a broker to Knative is a plain "
                        + "Trigger)", "pass to(AwsEventSink.sqs(...)), sns(...) or s3(...)");
        Validate.check(props.eventType == null || props.fromBroker != null, this, "eventType",
                "\"" + props.eventType + "\"", "filters the events of fromBroker, which is not set",
                "remove eventType, or take the events from a broker");
        if (props.eventType != null) {
            Validate.check(!props.eventType.isBlank(), this, "eventType", "\"" + props.eventType + "\"",
                    "is blank", "pass a CloudEvent type, e.g. \"com.example.order.created\"");
        }
        for (String broker : new String[] {props.fromBroker, props.toBroker}) {
            if (broker != null) {
                String property = broker == props.fromBroker ? "fromBroker" : "toBroker";
                Validate.literal(this, property, broker);
                Validate.dnsLabel(this, property, broker);
            }
        }
        if (props.toWorkload != null) {
            Validate.check(props.toWorkload.getPlatform() == platform, this, "to",
                    props.toWorkload.getNode().getPath(), "runs on another platform than "
                            + platform.getNode().getPath(), "pass a workload of this platform");
        }
        this.namespace = props.toWorkload != null ? props.toWorkload.getNamespace() : platform.getAppNamespace();

        // The flow's main object is claimed before its service accounts, which are named after it.
        platform.registry().claimObject(this, "name", name, props.from != null ? "IntegrationSource" : "Trigger",
                namespace, name);
        Chart chart = new Chart(new App(), name + "-aws-events");
        Map<String, Object> sink = null;
        if (props.toSink != null) {
            sinkIdentity = identity(platform, "SinkIdentity", name + "-sink", chart);
            IntegrationSink integrationSink = new IntegrationSink(chart, "Sink", name, namespace,
                    props.toSink.kind(), props.toSink.bind(this, sinkIdentity.getRole()), name + "-sink");
            sink = integrationSink.ref();
        } else {
            sinkIdentity = null;
            sink = props.toWorkload != null
                    ? IntegrationSource.ref("serving.knative.dev/v1", "Service", props.toWorkload.getName())
                    : IntegrationSource.ref("eventing.knative.dev/v1", "Broker", props.toBroker);
        }
        if (props.from != null) {
            sourceIdentity = identity(platform, "SourceIdentity", name + "-source", chart);
            new IntegrationSource(chart, "Source", name, namespace, props.from.kind(),
                    props.from.bind(this, sourceIdentity.getRole()), name + "-source", sink);
        } else {
            sourceIdentity = null;
            new Trigger(chart, "Trigger", name, props.fromBroker, namespace,
                    props.eventType != null ? Map.of("type", props.eventType) : Map.of(), sink);
        }
        platform.registry().claimObjects(this, "name", name, chart);
        manifest = platform.getClusterContext().applyChart(this, "Resources", chart);
        // The pods get their role's credentials only if they start after the association and the agent.
        manifest.getNode().addDependency(platform.getEventingReady(), platform.getAppNamespaceReady());
        for (PodIdentityRole identity : new PodIdentityRole[] {sourceIdentity, sinkIdentity}) {
            if (identity != null) {
                manifest.getNode().addDependency(identity);
            }
        }
        KubernetesManifest namespaceReady = platform.workloadNamespace(namespace);
        if (namespaceReady != null) {
            manifest.getNode().addDependency(namespaceReady);
        }
        platform.getClusterContext().afterPodIdentityAgent(manifest);
    }

    /** A service account of its own in the chart, bound to a new role by EKS Pod Identity. */
    private PodIdentityRole identity(PlatformBase platform, String id, String serviceAccount, Chart chart) {
        platform.registry().claimServiceAccount(this, "name", namespace, serviceAccount);
        new KubeServiceAccount(chart, id + "Account", KubeServiceAccountProps.builder()
                .metadata(ObjectMeta.builder().name(serviceAccount).namespace(namespace).build())
                .build());
        return new PodIdentityRole(this, id, platform.getCluster(), namespace, serviceAccount);
    }

    /** @return the name of the flow's Knative objects */
    public String getName() {
        return name;
    }

    /** @return the namespace of the flow's objects */
    public String getNamespace() {
        return namespace;
    }

    /** @return the IntegrationSource's role (service account {@code <name>-source}), or null without an AWS source */
    public IRole getSourceRole() {
        return sourceIdentity != null ? sourceIdentity.getRole() : null;
    }

    /** @return the IntegrationSink's role (service account {@code <name>-sink}), or null without an AWS sink */
    public IRole getSinkRole() {
        return sinkIdentity != null ? sinkIdentity.getRole() : null;
    }

    /** @return the manifest with the service accounts and the IntegrationSource, IntegrationSink or Trigger */
    public KubernetesManifest getManifest() {
        return manifest;
    }

    /** Builds {@link AwsEvents}: {@code AwsEvents.Builder.create(scope, id).platform(p)...build()}. */
    public static final class Builder extends AwsEventsProps.AbstractBuilder<Builder, AwsEvents> {
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
        public AwsEvents build() {
            return new AwsEvents(scope, id, new AwsEventsProps(this));
        }
    }
}
