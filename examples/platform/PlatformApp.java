package platform;

import io.knativeoneks.AwsEventSource;
import io.knativeoneks.AwsEvents;
import io.knativeoneks.ImageSource;
import io.knativeoneks.KnativeCluster;
import io.knativeoneks.KnativePlatform;
import io.knativeoneks.LogsOptions;
import io.knativeoneks.MetricsOptions;
import io.knativeoneks.KnativeWorkload;
import io.knativeoneks.ScheduledEvents;
import io.knativeoneks.Autoscaler;
import io.knativeoneks.k8s.GitSource;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;

/**
 * The default app ({@code cdk.json}), the 2019 walkthrough in one stack: an EKS cluster with Istio and Knative
 * Serving + Eventing, routes on {@code <service>.<namespace>.example.com}, {@code helloworld-python} built in the
 * cluster from this checkout's {@code examples/hello-python} and served by Knative, and a PingSource sending an event
 * every minute through a broker to {@code event-display}.
 *
 * <p>Context: {@code adminPrincipalArn} (the role that gets kubectl access); {@code gitUrl} (and {@code gitBranch},
 * {@code rebuild}) to build the examples from a git repository instead of this checkout; {@code metrics=true} and
 * {@code logs=true} (Prometheus and Grafana; CloudWatch Logs); {@code domain}, {@code hostedZoneId} and
 * {@code hostedZoneName} (a Route 53 zone of the domain) for {@code https://<service>-<namespace>.<domain>} URLs;
 * {@code awsEvents=true} for an SQS queue whose messages reach {@code event-display} through {@link AwsEvents}
 * (outputs {@code EventsQueueUrl} and {@code EventsSendCommand}).
 */
public final class PlatformApp {
    private PlatformApp() {
    }

    /** Builds the app's stack; tests synthesize it the way {@link #main} does. */
    public static Stack build(App app) {
        Stack stack = new Stack(app, "KnativeOnEks");
        KnativeCluster cluster = KnativeCluster.Builder.create(stack, "Cluster").build();
        KnativePlatform.Builder platformBuilder = KnativePlatform.Builder.create(stack, "Platform")
                .cluster(cluster)
                .domain(context(app, "domain", "example.com"));
        if (Boolean.parseBoolean(context(app, "metrics", "false"))) {
            platformBuilder.metrics(MetricsOptions.builder().build());
        }
        if (Boolean.parseBoolean(context(app, "logs", "false"))) {
            platformBuilder.logs(LogsOptions.builder().build());
        }
        IHostedZone zone = hostedZone(app, stack);
        if (zone != null) {
            platformBuilder.hostedZone(zone);
        }
        KnativePlatform platform = platformBuilder.build();
        KnativeWorkload.Builder.create(stack, "HelloWorld")
                .platform(platform)
                .name("helloworld-python")
                .env(Map.of("TARGET", "Python Sample v1 with Knative on EKS"))
                .image(example(app, "hello-python"))
                .build();
        KnativeWorkload eventDisplay = KnativeWorkload.Builder.create(stack, "EventDisplay")
                .platform(platform)
                .name("event-display")
                .buildServiceAccount("event-display-build-bot")
                .scale(Autoscaler.builder().minScale(1).build())
                .image(example(app, "event-display"))
                .build();
        ScheduledEvents.Builder.create(stack, "PingEvents")
                .platform(platform)
                .name("every-minute")
                .schedule("* * * * *")
                .subscriber(eventDisplay)
                .build();
        if (Boolean.parseBoolean(context(app, "awsEvents", "false"))) {
            sqsEvents(stack, platform, eventDisplay);
        }
        return stack;
    }

    /**
     * {@code -c awsEvents=true}: an SQS queue (SQS-managed encryption, TLS only, a dead-letter queue after 5
     * receives) whose messages an IntegrationSource delivers to {@code event-display} as CloudEvents, with Pod
     * Identity and no keys; its URL and a {@code send-message} command are stack outputs.
     */
    private static void sqsEvents(Stack stack, KnativePlatform platform, KnativeWorkload eventDisplay) {
        Queue deadLetters = Queue.Builder.create(stack, "EventsDeadLetterQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();
        Queue queue = Queue.Builder.create(stack, "EventsQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters).maxReceiveCount(5).build())
                .build();
        AwsEvents.Builder.create(stack, "SqsEvents")
                .platform(platform)
                .name("sqs-events")
                .from(AwsEventSource.sqs(queue))
                .to(eventDisplay)
                .build();
        CfnOutput.Builder.create(stack, "EventsQueueUrl")
                .description("The SQS queue whose messages reach event-display (-c awsEvents=true)")
                .value(queue.getQueueUrl())
                .build();
        CfnOutput.Builder.create(stack, "EventsSendCommand")
                .description("Sends a message to event-display through SQS; see it with the PingEventsEventLogsCommand "
                        + "output")
                .value("aws sqs send-message --queue-url " + queue.getQueueUrl()
                        + " --message-body '{\"hello\":\"sqs\"}'")
                .build();
    }

    /**
     * The Route 53 zone named by {@code -c hostedZoneId=... -c hostedZoneName=...}, imported without a lookup (synth
     * needs no account), or null for plain HTTP with a Host header.
     */
    private static IHostedZone hostedZone(App app, Stack stack) {
        String id = context(app, "hostedZoneId", null);
        if (id == null) {
            return null;
        }
        return HostedZone.fromHostedZoneAttributes(stack, "HostedZone", HostedZoneAttributes.builder()
                .hostedZoneId(id)
                .zoneName(context(app, "hostedZoneName", context(app, "domain", "example.com")))
                .build());
    }

    /**
     * One of this repository's example apps, built in the cluster: from this checkout (uploaded by cdk deploy), or
     * from the git repository {@code -c gitUrl=...} names ({@code -c rebuild=<new value>} picks up new commits).
     */
    private static ImageSource example(App app, String folder) {
        String gitUrl = context(app, "gitUrl", null);
        if (gitUrl == null) {
            return ImageSource.fromLocalDirectory("examples/" + folder);
        }
        GitSource.Builder source = GitSource.builder()
                .url(gitUrl)
                .branch(context(app, "gitBranch", "main"))
                .subDirectory("examples/" + folder);
        String rebuild = context(app, "rebuild", null);
        if (rebuild != null) {
            source.rebuildKey(rebuild);
        }
        return ImageSource.fromGit(source.build());
    }

    private static String context(App app, String key, String fallback) {
        Object value = app.getNode().tryGetContext(key);
        return value == null ? fallback : value.toString();
    }

    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }
}
