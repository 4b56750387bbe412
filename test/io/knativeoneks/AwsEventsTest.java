package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import io.knativeoneks.KnativeManifests.KubernetesObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;

/** Each AWS source and sink kind: its Knative object, service account, Pod Identity, exact grants and order. */
class AwsEventsTest {
    private static final Environment ENV = Environment.builder().account("123456789012").region("eu-west-1").build();

    private final App app = new App();
    private final Stack stack = new Stack(app, "Events", StackProps.builder().env(ENV).build());
    private final KnativePlatform platform = KnativePlatform.Builder.create(stack, "Platform")
            .cluster(KnativeCluster.Builder.create(stack, "Cluster").build()).build();
    private final KnativeWorkload display = KnativeWorkload.Builder.create(stack, "Display").platform(platform)
            .name("event-display").image(ImageSource.fromImage("nginx:1")).build();

    private AwsEvents.Builder flow(String name) {
        return AwsEvents.Builder.create(stack, name).platform(platform).name(name);
    }

    private String id(software.constructs.IConstruct resource) {
        return stack.getLogicalId((CfnElement) resource.getNode().getDefaultChild());
    }

    private static Object resolved(Stack stack, Object value) {
        return stack.resolve(value);
    }

    /** Action (sorted, joined) to resource for every statement of the policies attached to {@code role}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> grants(Stack stack, IRole role) {
        String roleId = stack.getLogicalId((CfnElement) role.getNode().getDefaultChild());
        Map<String, Object> grants = new TreeMap<>();
        Template.fromStack(stack).findResources("AWS::IAM::Policy").values().forEach(policy -> {
            Map<String, Object> properties = (Map<String, Object>) policy.get("Properties");
            if (!((List<Object>) properties.get("Roles")).contains(Map.of("Ref", roleId))) {
                return;
            }
            for (Object s : (List<Object>) ((Map<String, Object>) properties.get("PolicyDocument"))
                    .get("Statement")) {
                Map<String, Object> statement = (Map<String, Object>) s;
                Object action = statement.get("Action");
                List<String> actions = action instanceof List ? new ArrayList<>((List<String>) action)
                        : new ArrayList<>(List.of((String) action));
                actions.sort(null);
                grants.put(String.join(",", actions), statement.get("Resource"));
            }
        });
        return grants;
    }

    private static KubernetesObject only(KnativeManifests k8s, String kind, String name) {
        return k8s.get(kind, "default", name);
    }

    private void assertIdentityAndOrder(String name, String serviceAccount, String kind) {
        Template template = Template.fromStack(stack);
        KnativeManifests k8s = KnativeManifests.of(template);
        DependencyGraph graph = new DependencyGraph(template.toJSON());
        KubernetesObject object = only(k8s, kind, name);
        assertThat(object.at("spec.aws.auth")).as("Pod Identity, no Secret, no keys")
                .isEqualTo(Map.of("serviceAccountName", serviceAccount));
        KubernetesObject account = only(k8s, "ServiceAccount", serviceAccount);
        assertThat(account.getLogicalId()).isEqualTo(object.getLogicalId());
        String association = graph.find("AWS::EKS::PodIdentityAssociation",
                p -> serviceAccount.equals(p.get("ServiceAccount")) && "default".equals(p.get("Namespace")));
        assertThat(graph.isAfter(object.getLogicalId(), association)).as("pods start after their identity exists")
                .isTrue();
        String eventing = graph.find(DependencyGraph.READINESS, p -> KnativeManifests.jsonText(p).contains(
                "eventing-webhook"));
        assertThat(graph.isAfter(object.getLogicalId(), eventing)).as("after Eventing's webhook runs").isTrue();
        assertThat(graph.manifest(object.getLogicalId())).doesNotContainIgnoringCase("secret")
                .doesNotContainIgnoringCase("accessKey");
    }

    @Test
    void sqsSourceDeliversToTheWorkloadAndDeletesWhatItDelivered() {
        Key key = Key.Builder.create(stack, "Key").build();
        Queue queue = Queue.Builder.create(stack, "Queue").encryption(QueueEncryption.KMS).encryptionMasterKey(key)
                .build();
        AwsEvents orders = flow("orders").from(AwsEventSource.sqs(queue)).to(display).build();

        KubernetesObject source = only(KnativeManifests.of(stack), "IntegrationSource", "orders");
        assertThat(source.getApiVersion()).isEqualTo("sources.knative.dev/v1alpha1");
        assertThat(source.at("spec.aws.sqs")).isEqualTo(Map.of("arn", "${GetAtt:" + id(queue) + ".Arn}", "region", "eu-west-1",
                "deleteAfterRead", true));
        assertThat(source.at("spec.sink.ref")).isEqualTo(Map.of("apiVersion", "serving.knative.dev/v1",
                "kind", "Service", "name", "event-display"));
        assertIdentityAndOrder("orders", "orders-source", "IntegrationSource");
        assertThat(grants(stack, orders.getSourceRole())).isEqualTo(Map.of(
                "sqs:DeleteMessage,sqs:GetQueueAttributes,sqs:ReceiveMessage", resolved(stack, queue.getQueueArn()),
                "kms:Decrypt", resolved(stack, key.getKeyArn())));
        assertThat(orders.getSinkRole()).isNull();
    }

    @Test
    void s3SourceLeavesObjectsInPlaceUnlessDeletingIsChosen() {
        Bucket bucket = Bucket.Builder.create(stack, "Bucket").build();
        AwsEvents keep = flow("uploads").from(AwsEventSource.s3(bucket)).toBroker("default").build();
        AwsEvents delete = flow("inbox").from(AwsEventSource.s3DeleteAfterRead(bucket)).toBroker("default").build();

        KnativeManifests k8s = KnativeManifests.of(stack);
        assertThat(only(k8s, "IntegrationSource", "uploads").at("spec.aws.s3.deleteAfterRead")).as("kept")
                .isEqualTo(false);
        assertThat(only(k8s, "IntegrationSource", "inbox").at("spec.aws.s3.deleteAfterRead")).isEqualTo(true);
        assertThat(only(k8s, "IntegrationSource", "uploads").at("spec.sink.ref")).isEqualTo(Map.of(
                "apiVersion", "eventing.knative.dev/v1", "kind", "Broker", "name", "default"));
        assertIdentityAndOrder("uploads", "uploads-source", "IntegrationSource");
        Object objects = resolved(stack, bucket.arnForObjects("*"));
        assertThat(grants(stack, keep.getSourceRole())).isEqualTo(Map.of(
                "s3:ListBucket", resolved(stack, bucket.getBucketArn()), "s3:GetObject", objects));
        assertThat(grants(stack, delete.getSourceRole())).isEqualTo(Map.of(
                "s3:ListBucket", resolved(stack, bucket.getBucketArn()), "s3:DeleteObject,s3:GetObject", objects));
    }

    @Test
    void dynamoDbStreamSourceReadsOnlyTheTablesStream() {
        Table table = Table.Builder.create(stack, "Table").partitionKey(Attribute.builder().name("id")
                .type(AttributeType.STRING).build()).stream(StreamViewType.NEW_IMAGE).build();
        AwsEvents changes = flow("changes").from(AwsEventSource.dynamoDbStream(table)).to(display).build();

        KubernetesObject source = only(KnativeManifests.of(stack), "IntegrationSource", "changes");
        assertThat(source.at("spec.aws.ddbStreams")).isEqualTo(Map.of("table", "${Ref:" + id(table) + "}", "region",
                "eu-west-1"));
        assertIdentityAndOrder("changes", "changes-source", "IntegrationSource");
        assertThat(grants(stack, changes.getSourceRole())).containsOnlyKeys("dynamodb:ListStreams",
                "dynamodb:DescribeStream,dynamodb:GetRecords,dynamodb:GetShardIterator")
                .containsEntry("dynamodb:DescribeStream,dynamodb:GetRecords,dynamodb:GetShardIterator",
                        resolved(stack, table.getTableStreamArn()));
    }

    @Test
    void snsSinkPublishesTheBrokersEventsOfOneType() {
        Topic topic = Topic.Builder.create(stack, "Topic").build();
        AwsEvents alerts = flow("alerts").fromBroker("default").eventType("com.example.alert")
                .to(AwsEventSink.sns(topic)).build();

        KnativeManifests k8s = KnativeManifests.of(stack);
        KubernetesObject sink = only(k8s, "IntegrationSink", "alerts");
        assertThat(sink.getApiVersion()).isEqualTo("sinks.knative.dev/v1alpha1");
        assertThat(sink.at("spec.aws.sns")).isEqualTo(Map.of("arn", "${Ref:" + id(topic) + "}", "region", "eu-west-1"));
        KubernetesObject trigger = only(k8s, "Trigger", "alerts");
        assertThat(trigger.at("spec.broker")).isEqualTo("default");
        assertThat(trigger.at("spec.filter.attributes")).isEqualTo(Map.of("type", "com.example.alert"));
        assertThat(trigger.at("spec.subscriber.ref")).isEqualTo(Map.of("apiVersion", "sinks.knative.dev/v1alpha1",
                "kind", "IntegrationSink", "name", "alerts"));
        assertIdentityAndOrder("alerts", "alerts-sink", "IntegrationSink");
        assertThat(grants(stack, alerts.getSinkRole())).isEqualTo(Map.of("sns:Publish",
                resolved(stack, topic.getTopicArn())));
        assertThat(alerts.getSourceRole()).isNull();
    }

    @Test
    void sqsAndS3SinksOnlySendAndPut() {
        Key key = Key.Builder.create(stack, "Key").build();
        Queue queue = Queue.Builder.create(stack, "Out").encryptionMasterKey(key).build();
        Bucket bucket = Bucket.Builder.create(stack, "Archive").build();
        AwsEvents toQueue = flow("forward").fromBroker("default").to(AwsEventSink.sqs(queue)).build();
        AwsEvents toBucket = flow("archive").fromBroker("default").to(AwsEventSink.s3(bucket)).build();

        KnativeManifests k8s = KnativeManifests.of(stack);
        assertThat(only(k8s, "IntegrationSink", "forward").at("spec.aws.sqs")).isEqualTo(Map.of(
                "arn", "${GetAtt:" + id(queue) + ".Arn}", "region", "eu-west-1"));
        assertThat(only(k8s, "Trigger", "archive").at("spec.filter")).as("every event").isNull();
        assertIdentityAndOrder("archive", "archive-sink", "IntegrationSink");
        assertThat(grants(stack, toQueue.getSinkRole())).isEqualTo(Map.of(
                "sqs:SendMessage", resolved(stack, queue.getQueueArn()),
                "kms:Decrypt,kms:GenerateDataKey", resolved(stack, key.getKeyArn())));
        assertThat(grants(stack, toBucket.getSinkRole())).isEqualTo(Map.of(
                "s3:PutObject", resolved(stack, bucket.arnForObjects("*"))));
    }

    @Test
    void anAwsSourceCanFeedAnAwsSinkDirectly() {
        Queue queue = Queue.Builder.create(stack, "In").build();
        Topic topic = Topic.Builder.create(stack, "Topic").build();
        flow("relay").from(AwsEventSource.sqs(queue)).to(AwsEventSink.sns(topic)).build();
        KnativeManifests k8s = KnativeManifests.of(stack);
        assertThat(only(k8s, "IntegrationSource", "relay").at("spec.sink.ref")).isEqualTo(Map.of(
                "apiVersion", "sinks.knative.dev/v1alpha1", "kind", "IntegrationSink", "name", "relay"));
        assertThat(only(k8s, "IntegrationSink", "relay").getLogicalId())
                .isEqualTo(only(k8s, "IntegrationSource", "relay").getLogicalId());
    }

    @Test
    void aQueueOfAnotherStackIsGrantedFromTheFlowsStackWithoutACycle() {
        Stack data = new Stack(app, "Data", StackProps.builder().env(ENV).build());
        Key key = Key.Builder.create(data, "Key").build();
        Queue queue = Queue.Builder.create(data, "Queue").encryptionMasterKey(key).build();
        AwsEvents orders = flow("orders").from(AwsEventSource.sqs(queue)).to(display).build();

        app.synth();
        assertThat(stack.getDependencies()).contains(data);
        assertThat(data.getDependencies()).doesNotContain(stack);
        assertThat(grants(stack, orders.getSourceRole())).hasSize(2);
        assertThat(Template.fromStack(data).toJSON().toString()).doesNotContain("orders");
    }

    @Test
    void noKindEverCarriesAKeyOrASecret() {
        Table table = Table.Builder.create(stack, "Table").partitionKey(Attribute.builder().name("id")
                .type(AttributeType.STRING).build()).stream(StreamViewType.NEW_IMAGE).build();
        Queue queue = Queue.Builder.create(stack, "Queue").build();
        Bucket bucket = Bucket.Builder.create(stack, "Bucket").build();
        List<AwsEvents> flows = List.of(
                flow("from-sqs").from(AwsEventSource.sqs(queue)).to(display).build(),
                flow("from-s3").from(AwsEventSource.s3(bucket)).to(display).build(),
                flow("from-s3-deleting").from(AwsEventSource.s3DeleteAfterRead(bucket)).to(display).build(),
                flow("from-ddb").from(AwsEventSource.dynamoDbStream(table)).to(display).build(),
                flow("to-sqs").fromBroker("default").to(AwsEventSink.sqs(queue)).build(),
                flow("to-sns").fromBroker("default").to(AwsEventSink.sns(Topic.Builder.create(stack, "Topic")
                        .build())).build(),
                flow("to-s3").fromBroker("default").to(AwsEventSink.s3(bucket)).build());

        Template template = Template.fromStack(stack);
        DependencyGraph graph = new DependencyGraph(template.toJSON());
        KnativeManifests k8s = KnativeManifests.of(template);
        for (AwsEvents flow : flows) {
            String manifest = graph.manifest(id(flow.getManifest()));
            assertThat(manifest).as("%s: the whole manifest as applied", flow.getName())
                    .doesNotContainIgnoringCase("accessKey").doesNotContainIgnoringCase("secretKey")
                    .doesNotContainIgnoringCase("secret");
            String kind = flow.getSourceRole() != null ? "IntegrationSource" : "IntegrationSink";
            assertThat(only(k8s, kind, flow.getName()).at("spec.aws.auth")).as("%s: Pod Identity only",
                    flow.getName()).isEqualTo(Map.of("serviceAccountName", flow.getName()
                            + (kind.equals("IntegrationSource") ? "-source" : "-sink")));
        }
        template.resourceCountIs("AWS::SecretsManager::Secret", 0);
        template.resourceCountIs("AWS::IAM::AccessKey", 0);
    }
}
