package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.IResource;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * Where an {@link AwsEvents} flow writes its events: an SQS queue, an SNS topic or an S3 bucket, written by a Knative
 * {@code IntegrationSink} whose pods get least-privilege credentials through EKS Pod Identity (no keys). Each event's
 * data becomes one message, notification or object.
 */
public final class AwsEventSink {
    private final String factory;
    private final String kind;
    private final String what;
    private final IResource resource;

    private AwsEventSink(String factory, String kind, String what, IResource resource) {
        this.factory = factory;
        this.kind = kind;
        this.what = what;
        this.resource = resource;
    }

    /**
     * Messages to a standard SQS queue. The flow's role may send messages, and encrypt with the queue's
     * customer-managed key if it has one. FIFO queues are refused: the sink sets no message group id.
     *
     * @param queue the queue, in the flow's account
     * @return the sink
     */
    public static AwsEventSink sqs(IQueue queue) {
        return new AwsEventSink("sqs", "sqs", "queue", queue);
    }

    /**
     * Notifications to a standard SNS topic. The flow's role may publish, and encrypt with the topic's
     * customer-managed key if it has one. FIFO topics are refused: the sink sets no message group id.
     *
     * @param topic the topic, in the flow's account
     * @return the sink
     */
    public static AwsEventSink sns(ITopic topic) {
        return new AwsEventSink("sns", "sns", "topic", topic);
    }

    /**
     * Objects in an S3 bucket, named after the event's {@code file} extension or else the exchange's id. The flow's
     * role may put objects (nothing else), and encrypt with the bucket's customer-managed key if it has one.
     *
     * @param bucket the bucket, in the flow's account
     * @return the sink
     */
    public static AwsEventSink s3(IBucket bucket) {
        return new AwsEventSink("s3", "s3", "bucket", bucket);
    }

    /** @return the key under the IntegrationSink's {@code spec.aws}: {@code sqs}, {@code sns} or {@code s3} */
    String kind() {
        return kind;
    }

    /**
     * Checks the resource for {@code events}, grants {@code role} what the sink needs, and returns the fields of
     * {@code spec.aws.<kind>}.
     */
    Map<String, Object> bind(Construct events, IRole role) {
        Validate.check(resource != null, events, "to", null, "has no " + what,
                "pass the " + what + " to AwsEventSink." + factory + "(...)");
        AwsEventGrants.checkAccount(events, "to", resource, what);
        // SQS and SNS producers need kms:GenerateDataKey and kms:Decrypt on an encrypted queue or topic; S3 needs
        // kms:GenerateDataKey for a single put and kms:Decrypt to complete a multipart upload.
        List<String> kms = List.of("kms:GenerateDataKey", "kms:Decrypt");
        Map<String, Object> settings = new LinkedHashMap<>();
        switch (kind) {
            case "sqs" -> {
                IQueue queue = (IQueue) resource;
                checkNotFifo(events, queue.getFifo());
                settings.put("arn", queue.getQueueArn());
                settings.put("region", queue.getEnv().getRegion());
                AwsEventGrants.grant(role, List.of("sqs:SendMessage"), List.of(queue.getQueueArn()),
                        queue.getEncryptionMasterKey(), kms.toArray(String[]::new));
            }
            case "sns" -> {
                ITopic topic = (ITopic) resource;
                checkNotFifo(events, topic.getFifo());
                settings.put("arn", topic.getTopicArn());
                settings.put("region", topic.getEnv().getRegion());
                AwsEventGrants.grant(role, List.of("sns:Publish"), List.of(topic.getTopicArn()), topic.getMasterKey(),
                        kms.toArray(String[]::new));
            }
            default -> {
                IBucket bucket = (IBucket) resource;
                settings.put("arn", bucket.getBucketArn());
                settings.put("region", bucket.getEnv().getRegion());
                AwsEventGrants.grant(role, List.of("s3:PutObject"), List.of(bucket.arnForObjects("*")),
                        bucket.getEncryptionKey(), kms.toArray(String[]::new));
            }
        }
        return settings;
    }

    private void checkNotFifo(Construct events, Boolean fifo) {
        // The aws-sqs-sink and aws-sns-sink Kamelets behind IntegrationSink set no message group id, which every
        // send to a FIFO queue or topic requires (knative/eventing pkg/apis/common/integration/v1alpha1/aws.go has
        // no field for one).
        Validate.check(!Boolean.TRUE.equals(fifo), events, "to", resource.getNode().getPath(),
                "is a FIFO " + what + " (Knative's IntegrationSink sends without the message group id FIFO needs)",
                "use a standard " + what);
    }
}
