package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.IResource;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * Where an {@link AwsEvents} flow reads its events: an SQS queue, an S3 bucket or a DynamoDB table's stream, read by a
 * Knative {@code IntegrationSource} whose pods get least-privilege credentials through EKS Pod Identity (no keys).
 *
 * <ul>
 * <li>{@link #sqs}: each message becomes one event, and is <b>deleted from the queue once delivered</b> (Knative's
 * {@code deleteAfterRead}, which a queue consumer needs so as not to read the same message forever).</li>
 * <li>{@link #s3}: each object becomes one event; objects are left in place, so a restarted source reads them
 * again. {@link #s3DeleteAfterRead} deletes each object once delivered.</li>
 * <li>{@link #dynamoDbStream}: each record of the table's stream becomes one event, from the latest record on.</li>
 * </ul>
 */
public final class AwsEventSource {
    private final String factory;
    private final String kind;
    private final IResource resource;
    private final boolean deleteObjects;

    private AwsEventSource(String factory, String kind, IResource resource, boolean deleteObjects) {
        this.factory = factory;
        this.kind = kind;
        this.resource = resource;
        this.deleteObjects = deleteObjects;
    }

    /**
     * Messages of an SQS queue (standard or FIFO), each deleted once delivered. The flow's role may receive and
     * delete messages and read the queue's attributes, and decrypt with its customer-managed key if it has one.
     *
     * @param queue the queue, in the flow's account; a queue of another stack works (the grant is written into the
     *     flow's stack)
     * @return the source
     */
    public static AwsEventSource sqs(IQueue queue) {
        return new AwsEventSource("sqs", "sqs", queue, true);
    }

    /**
     * Objects of an S3 bucket, left in place. The flow's role may list the bucket and get its objects, and decrypt
     * with its customer-managed key if it has one.
     *
     * @param bucket the bucket, in the flow's account
     * @return the source
     */
    public static AwsEventSource s3(IBucket bucket) {
        return new AwsEventSource("s3", "s3", bucket, false);
    }

    /**
     * Objects of an S3 bucket, each deleted once delivered (Knative's default, which {@link #s3} turns off). The
     * flow's role may also delete objects.
     *
     * @param bucket the bucket, in the flow's account
     * @return the source
     */
    public static AwsEventSource s3DeleteAfterRead(IBucket bucket) {
        return new AwsEventSource("s3DeleteAfterRead", "s3", bucket, true);
    }

    /**
     * Records of a DynamoDB table's stream, from the latest on. The table must have a stream (its {@code stream}
     * property, or {@code tableStreamArn} when imported); the flow's role may read it ({@code grantStreamRead}).
     *
     * @param table the table, in the flow's account
     * @return the source
     */
    public static AwsEventSource dynamoDbStream(ITable table) {
        return new AwsEventSource("dynamoDbStream", "ddbStreams", table, false);
    }

    /** @return the key under the IntegrationSource's {@code spec.aws}: {@code sqs}, {@code s3} or {@code ddbStreams} */
    String kind() {
        return kind;
    }

    /**
     * Checks the resource for {@code events}, grants {@code role} what the source needs, and returns the fields of
     * {@code spec.aws.<kind>}.
     */
    Map<String, Object> bind(Construct events, IRole role) {
        String what = switch (kind) {
            case "sqs" -> "queue";
            case "s3" -> "bucket";
            default -> "table";
        };
        Validate.check(resource != null, events, "from", null, "has no " + what,
                "pass the " + what + " to AwsEventSource." + factory + "(...)");
        AwsEventGrants.checkAccount(events, "from", resource, what);
        Map<String, Object> settings = new LinkedHashMap<>();
        List<String> actions = new ArrayList<>();
        switch (kind) {
            case "sqs" -> {
                IQueue queue = (IQueue) resource;
                settings.put("arn", queue.getQueueArn());
                settings.put("region", queue.getEnv().getRegion());
                settings.put("deleteAfterRead", true);
                AwsEventGrants.grant(role, List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
                        List.of(queue.getQueueArn()), queue.getEncryptionMasterKey(), "kms:Decrypt");
            }
            case "s3" -> {
                IBucket bucket = (IBucket) resource;
                settings.put("arn", bucket.getBucketArn());
                settings.put("region", bucket.getEnv().getRegion());
                settings.put("deleteAfterRead", deleteObjects);
                AwsEventGrants.grant(role, List.of("s3:ListBucket"), List.of(bucket.getBucketArn()), null);
                actions.add("s3:GetObject");
                if (deleteObjects) {
                    actions.add("s3:DeleteObject");
                }
                AwsEventGrants.grant(role, actions, List.of(bucket.arnForObjects("*")), bucket.getEncryptionKey(),
                        "kms:Decrypt");
            }
            default -> {
                ITable table = (ITable) resource;
                Validate.check(table.getTableStreamArn() != null, events, "from", resource.getNode().getPath(),
                        table instanceof Table ? "has no stream" : "was imported without its stream's ARN",
                        table instanceof Table ? "give the table a stream, e.g. stream(StreamViewType.NEW_IMAGE)"
                                : "import it with Table.fromTableAttributes(...) and tableStreamArn");
                settings.put("table", table.getTableName());
                settings.put("region", table.getEnv().getRegion());
                table.grantStreamRead(role);
            }
        }
        return settings;
    }
}
