package io.knativeoneks;

import static io.knativeoneks.ValidationRows.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableAttributes;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;

/**
 * Validation rows of AwsEvents, AwsEventSource and AwsEventSink: flows between AWS and Knative. Run by {@link
 * ValidationTest}.
 */
final class AwsEventsRows {
    private AwsEventsRows() {
    }

    static Stream<Arguments> badRows() {
        return Stream.of(
                bad("AwsEventsProps.platform", "aws events without platform",
                        s -> AwsEvents.Builder.create(s, "A").name("orders").build(), "[Test/A] platform "
                                + "(null) is required: pass the KnativePlatform"),
                bad("AwsEventsProps.name", "aws events without name", s -> awsEvents(s).name(null).build(), "[Test/Orders] name (null) is "
                        + "required: name the flow, e.g. \"orders\""),
                bad("AwsEventsProps.name", "aws events name not DNS-1035", s -> awsEvents(s).name("1-orders").build(),
                        "[Test/Orders] name (\"1-orders\") must be a DNS-1035 label: use a value such as \"orders\""),
                bad("AwsEventsProps.name", "aws events name too long for its service account",
                        s -> awsEvents(s).name("o".repeat(57)).build(), "[Test/Orders] name "
                                + "(\"" + "o".repeat(57) + "\") is longer than 56 characters, so its "
                                + "service account " + "o".repeat(57) + "-source would not be a DNS label: "
                                + "use a shorter name"),
                bad("AwsEventsProps.name", "two aws event flows named alike", s -> {
                    awsEvents(s).build();
                    AwsEvents.Builder.create(s, "Again").platform(((KnativeWorkload) s.getNode().findChild("Display"))
                            .getPlatform()).name("orders").from(AwsEventSource.sqs(queue(s))).toBroker("default")
                            .build();
                }, "[Test/Again] name (\"orders\") would create IntegrationSource default/orders, which "
                        + "Test/Orders already creates: give one of them another name or namespace"),
                bad("AwsEventsProps.from", "aws events without origin", s -> AwsEvents.Builder.create(s, "A")
                        .platform(platform(s).build()).name("orders").toBroker("default").build(), "[Test/A] from (null) is required: pass AwsEventSource.sqs(...), s3(...) or dynamoDbStream(...), or use fromBroker(...)"),
                bad("AwsEventsProps.fromBroker", "aws events from AWS and a broker",
                        s -> awsEvents(s).fromBroker("default").build(), "[Test/Orders] fromBroker "
                                + "(\"default\") is set together with from: take the events from one of them"),
                bad("AwsEventsProps.fromBroker", "aws events from a broker to Knative",
                        s -> {
                            KnativePlatform p = platform(s).build();
                            AwsEvents.Builder.create(s, "A").platform(p).name("orders").fromBroker("default")
                                    .to(workloadOn(s, p).build()).build();
                        }, "[Test/A] fromBroker (\"default\") needs an AWS destination (a flow from a "
                                + "broker to Knative is a plain Trigger): pass to(AwsEventSink.sqs(...)), "
                                + "sns(...) or s3(...)"),
                bad("AwsEventsProps.fromBroker", "aws events broker not DNS-1123",
                        s -> awsSinkFrom(s, "Default"), "[Test/Out] fromBroker (\"Default\") must be a "
                                + "DNS-1123 label (lower-case letters, digits and '-', starting and ending "
                                + "with a letter or digit, at most 63 characters): use a value such as \"my-name\""),
                bad("AwsEventsProps.to", "aws events without destination", s -> AwsEvents.Builder.create(s, "A")
                        .platform(platform(s).build()).name("orders").from(AwsEventSource.sqs(queue(s))).build(),
                        "[Test/A] to (null) is required: pass a KnativeWorkload or an AwsEventSink, or use "
                                + "toBroker(...)"),
                bad("AwsEventsProps.to", "aws events with two destinations",
                        s -> awsEvents(s).toBroker("default").build(), "[Test/Orders] to (2 destinations) "
                                + "must be one destination: set one of to(workload), to(sink) and toBroker(...)"),
                bad("AwsEventsProps.to", "aws events to a workload of another platform", s -> {
                    AwsEvents.Builder flow = awsEvents(s);
                    flow.platform(KnativePlatform.Builder.create(s, "Other")
                            .cluster(KnativeCluster.Builder.create(s, "OtherCluster").build()).build()).build();
                }, "[Test/Orders] to (Test/Display) runs on another platform than Test/Other: pass a "
                        + "workload of this platform"),
                bad("AwsEventsProps.toBroker", "aws events to a broker not DNS-1123", s -> AwsEvents.Builder
                        .create(s, "A").platform(platform(s).build()).name("orders")
                        .from(AwsEventSource.sqs(queue(s))).toBroker("my_broker").build(), "[Test/A] "
                                + "toBroker (\"my_broker\") must be a DNS-1123 label (lower-case letters, "
                                + "digits and '-', starting and ending with a letter or digit, at most 63 "
                                + "characters): use a value such as \"my-name\""),
                bad("AwsEventsProps.eventType", "event type without a broker",
                        s -> awsEvents(s).eventType("com.example.order").build(), "[Test/Orders] eventType "
                                + "(\"com.example.order\") filters the events of fromBroker, which is not "
                                + "set: remove eventType, or take the events from a broker"),
                bad("AwsEventsProps.eventType", "event type blank", s -> AwsEvents.Builder.create(s, "A")
                        .platform(platform(s).build()).name("out").fromBroker("default").eventType(" ")
                        .to(AwsEventSink.sqs(queue(s))).build(), "[Test/A] eventType (\" \") is blank: pass "
                                + "a CloudEvent type, e.g. \"com.example.order.created\""),
                bad("AwsEventSource.sqs", "sqs source without queue",
                        s -> awsEvents(s).from(AwsEventSource.sqs(null)).build(), "[Test/Orders] from "
                                + "(null) has no queue: pass the queue to AwsEventSource.sqs(...)"),
                bad("AwsEventSource.sqs", "sqs source queue of another account", s -> {
                    Stack e = new Stack((App) s.getNode().getRoot(), "Prod", software.amazon.awscdk.StackProps
                            .builder().env(software.amazon.awscdk.Environment.builder().account(NINE)
                                    .region("eu-west-1").build()).build());
                    AwsEvents.Builder.create(e, "Orders").platform(platform(e).build()).name("orders")
                            .from(AwsEventSource.sqs(Queue.fromQueueArn(e, "Theirs",
                                    "arn:aws:sqs:eu-west-1:210987654321:orders"))).toBroker("default").build();
                }, "[Prod/Orders] from (Prod/Theirs) is a queue of account 210987654321, but the flow's "
                        + "role is in account 123456789012 (its grants do not reach another account): use a "
                        + "queue of account 123456789012"),
                bad("AwsEventSource.s3", "s3 source without bucket",
                        s -> awsEvents(s).from(AwsEventSource.s3(null)).build(), "[Test/Orders] from (null) "
                                + "has no bucket: pass the bucket to AwsEventSource.s3(...)"),
                bad("AwsEventSource.s3DeleteAfterRead", "deleting s3 source without bucket",
                        s -> awsEvents(s).from(AwsEventSource.s3DeleteAfterRead(null)).build(), "[Test/Orders] from (null) has no bucket: pass the bucket to AwsEventSource.s3DeleteAfterRead(...)"),
                bad("AwsEventSource.dynamoDbStream", "table without a stream", s -> awsEvents(s)
                        .from(AwsEventSource.dynamoDbStream(Table.Builder.create(s, "Table").partitionKey(Attribute
                                .builder().name("id").type(AttributeType.STRING).build()).build())).build(), "[Test/Orders] from (Test/Table) has no stream: give the table a stream, e.g. stream(StreamViewType.NEW_IMAGE)"),
                bad("AwsEventSource.dynamoDbStream", "table imported without its stream", s -> awsEvents(s)
                        .from(AwsEventSource.dynamoDbStream(Table.fromTableName(s, "Table", "orders"))).build(), "[Test/Orders] from (Test/Table) was imported without its stream's ARN: import it with Table.fromTableAttributes(...) and tableStreamArn"),
                bad("AwsEventSink.sqs", "sqs sink on a FIFO queue", s -> awsSink(s, AwsEventSink.sqs(Queue.Builder
                        .create(s, "Fifo").fifo(true).build())), "[Test/Out] to (Test/Fifo) is a FIFO queue "
                                + "(Knative's IntegrationSink sends without the message group id FIFO "
                                + "needs): use a standard queue"),
                bad("AwsEventSink.sns", "sns sink on a FIFO topic", s -> awsSink(s, AwsEventSink.sns(Topic.Builder
                        .create(s, "Fifo").fifo(true).topicName("alerts").build())), "[Test/Out] to "
                                + "(Test/Fifo) is a FIFO topic (Knative's IntegrationSink sends without the "
                                + "message group id FIFO needs): use a standard topic"),
                bad("AwsEventSink.sns", "sns sink without topic", s -> awsSink(s, AwsEventSink.sns(null)), "[Test/Out] to (null) has no "
                        + "topic: pass the topic to AwsEventSink.sns(...)"),
                bad("AwsEventSink.sqs", "sqs sink without queue", s -> awsSink(s, AwsEventSink.sqs(null)), "[Test/Out] to (null) has no "
                        + "queue: pass the queue to AwsEventSink.sqs(...)"),
                bad("AwsEventSink.s3", "s3 sink without bucket", s -> awsSink(s, AwsEventSink.s3(null)), "[Test/Out] to (null) has no "
                        + "bucket: pass the bucket to AwsEventSink.s3(...)"));
    }

    static Stream<Arguments> goodRows() {
        return Stream.of(
                good(List.of("AwsEventsProps.platform", "AwsEventsProps.name", "AwsEventsProps.from",
                        "AwsEventsProps.fromBroker", "AwsEventsProps.eventType", "AwsEventsProps.to",
                        "AwsEventsProps.toBroker", "AwsEventSource.sqs", "AwsEventSource.s3",
                        "AwsEventSource.s3DeleteAfterRead", "AwsEventSource.dynamoDbStream", "AwsEventSink.sqs",
                        "AwsEventSink.sns", "AwsEventSink.s3"),
                        "aws event flows of every kind, imported resources and names at their limit", s -> {
                            KnativePlatform p = platform(s).build();
                            KnativeWorkload display = workloadOn(s, p).build();
                            Bucket bucket = Bucket.Builder.create(s, "Bucket").build();
                            Table table = Table.Builder.create(s, "Table").partitionKey(Attribute.builder().name("id")
                                    .type(AttributeType.STRING).build()).stream(StreamViewType.KEYS_ONLY).build();
                            AwsEvents.Builder.create(s, "A").platform(p).name("o".repeat(56))
                                    .from(AwsEventSource.sqs(Queue.Builder.create(s, "Fifo").fifo(true).build()))
                                    .to(display).build();
                            AwsEvents.Builder.create(s, "B").platform(p).name("b").from(AwsEventSource.s3(bucket))
                                    .toBroker("default").build();
                            AwsEvents.Builder.create(s, "C").platform(p).name("c")
                                    .from(AwsEventSource.s3DeleteAfterRead(Bucket.fromBucketName(s, "Imported",
                                            "uploads"))).to(AwsEventSink.s3(bucket)).build();
                            AwsEvents.Builder.create(s, "D").platform(p).name("d")
                                    .from(AwsEventSource.dynamoDbStream(table)).to(display).build();
                            AwsEvents.Builder.create(s, "E").platform(p).name("e")
                                    .from(AwsEventSource.dynamoDbStream(Table.fromTableAttributes(s, "Orders",
                                            TableAttributes.builder().tableName("orders").tableStreamArn(
                                                    "arn:aws:dynamodb:eu-west-1:" + NINE
                                                            + ":table/orders/stream/2026-01-01T00:00:00.000")
                                                    .build()))).to(display).build();
                            AwsEvents.Builder.create(s, "F").platform(p).name("f").fromBroker("default")
                                    .eventType("com.example.alert").to(AwsEventSink.sns(Topic.Builder.create(s,
                                            "Topic").build())).build();
                            AwsEvents.Builder.create(s, "G").platform(p).name("g").fromBroker("default")
                                    .to(AwsEventSink.sqs(Queue.fromQueueArn(s, "Theirs",
                                            "arn:aws:sqs:us-east-1:" + NINE + ":orders"))).build();
                            return s;
                        },
                        s -> {
                            KnativeManifests m = manifests(s);
                            Map<String, String> sources = Map.of("o".repeat(56), "sqs", "b", "s3", "c", "s3",
                                    "d", "ddbStreams", "e", "ddbStreams");
                            sources.forEach((name, kind) -> {
                                KnativeManifests.KubernetesObject source = m.get("IntegrationSource", "default", name);
                                assertThat(source.at("spec.aws." + kind)).as(name).isNotNull();
                                assertThat(source.at("spec.aws.auth.serviceAccountName")).isEqualTo(name + "-source");
                            });
                            assertThat(m.get("IntegrationSource", "default", "o".repeat(56)).at("spec.sink.ref.name"))
                                    .isEqualTo("hello");
                            assertThat(m.get("IntegrationSource", "default", "b").at("spec.sink.ref.kind"))
                                    .isEqualTo("Broker");
                            assertThat(m.get("IntegrationSink", "default", "c").at("spec.aws.s3")).isNotNull();
                            assertThat(m.get("IntegrationSink", "default", "f").at("spec.aws.sns")).isNotNull();
                            assertThat(m.get("IntegrationSink", "default", "g").at("spec.aws.sqs")).isNotNull();
                            assertThat(m.get("Trigger", "default", "f").at("spec.filter.attributes.type"))
                                    .isEqualTo("com.example.alert");
                            assertThat(m.get("Trigger", "default", "g").at("spec.broker")).isEqualTo("default");
                            assertThat(((AwsEvents) child(s, "G")).getSinkRole()).isNotNull();
                            assertThat(((AwsEvents) child(s, "G")).getSourceRole()).isNull();
                        }));
    }
}
