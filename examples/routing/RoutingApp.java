package routing;

import io.knativeoneks.AwsEventSink;
import io.knativeoneks.AwsEvents;
import io.knativeoneks.CustomDomain;
import io.knativeoneks.ImageSource;
import io.knativeoneks.KnativePlatform;
import io.knativeoneks.KnativeWorkload;
import io.knativeoneks.k8s.Traffic;
import io.knativeoneks.k8s.TrafficTarget;
import java.util.List;
import platform.PlatformApp;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.sns.Topic;

/**
 * The default app with its own domain over HTTPS ({@code -c domain=... -c hostedZoneId=... -c hostedZoneName=...}),
 * plus every kind of routing object the library emits, as a user would write them; test/upstream/run has Knative
 * judge them: named revisions with tags and a canary split, a custom domain (DomainMapping and ClusterDomainClaim), a
 * cluster-local service, and the ping events published to an SNS topic as well (an IntegrationSink behind a Trigger,
 * so that both AWS event kinds are judged; with {@code -c awsEvents=true} the default app adds the IntegrationSource).
 * Existing images only: nothing is built.
 *
 * <p>The canary takes two deploys, as a rollout does: the first creates revision {@code v1} and gives it every
 * request; once it exists, a deploy with {@code -c canary=true} creates {@code v2} and gives it 10%, {@code v1} keeping
 * 90%. A split can name only revisions that exist: on a fresh cluster, {@code -c canary=true} would leave the route
 * without {@code v1} (Knative's RevisionMissing), serving nothing.
 */
public final class RoutingApp {
    private RoutingApp() {
    }

    /** Builds the app's stack; tests synthesize it the way {@link #main} does. */
    public static Stack build(App app) {
        Stack stack = PlatformApp.build(app);
        KnativePlatform platform = (KnativePlatform) stack.getNode().findChild("Platform");
        boolean canary = Boolean.parseBoolean(String.valueOf(app.getNode().tryGetContext("canary")));
        KnativeWorkload.Builder.create(stack, "Canary")
                .platform(platform)
                .name("canary")
                .image(ImageSource.fromImage("ghcr.io/knative/helloworld-go:" + (canary ? "v2" : "v1")))
                .traffic(canary ? Traffic.builder()
                        .revisionName("v2")
                        .previousRevisions(List.of("v1"))
                        .targets(List.of(TrafficTarget.revision("v1", 90).withTag("stable"),
                                TrafficTarget.revision("v2", 10).withTag("candidate"),
                                TrafficTarget.latestRevision(0).withTag("latest")))
                        .build()
                        : Traffic.builder()
                        .revisionName("v1")
                        .targets(List.of(TrafficTarget.revision("v1", 100).withTag("stable"),
                                TrafficTarget.latestRevision(0).withTag("latest")))
                        .build())
                .customDomains(List.of(CustomDomain.of("www.example.net", HostedZone.fromHostedZoneAttributes(
                        stack, "OtherZone", HostedZoneAttributes.builder().hostedZoneId("Z9876543210ABCDEFGHIJ")
                                .zoneName("example.net").build()))))
                .build();
        KnativeWorkload.Builder.create(stack, "Private")
                .platform(platform)
                .name("private")
                .clusterLocal(true)
                .image(ImageSource.fromImage("ghcr.io/knative/helloworld-go:v1"))
                .build();
        AwsEvents.Builder.create(stack, "PingsToSns")
                .platform(platform)
                .name("pings-to-sns")
                .fromBroker("every-minute")
                .eventType("dev.knative.sources.ping")
                .to(AwsEventSink.sns(Topic.Builder.create(stack, "PingTopic").enforceSsl(true).build()))
                .build();
        return stack;
    }

    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }
}
