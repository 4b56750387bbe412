package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.knativeoneks.KnativeManifests.KubernetesObject;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.s3.Bucket;

/** The Kubernetes objects of a synthesized template, looked up and read as a user's test would. */
class KnativeManifestsTest {
    private static final KnativeManifests EXAMPLE = ExampleApp.MANIFESTS;
    private static final Stack SERVICES = new Stack(new App(), "Services");
    /** A bucket whose name the orders services get. */
    private static final Bucket RECEIPTS = Bucket.Builder.create(SERVICES, "Receipts").build();
    private static final KnativeManifests SHOP = KnativeManifests.of(withOrders(SERVICES));

    /** Adds a platform and orders in two namespaces, its image from an ECR repository of another stack. */
    private static Stack withOrders(Stack services) {
        Repository repository = Repository.Builder.create(new Stack((App) services.getNode().getRoot(), "Registry"),
                "OrdersRepo").build();
        KnativePlatform platform = KnativePlatform.Builder.create(services, "Platform")
                .cluster(KnativeCluster.Builder.create(services, "Cluster").build()).build();
        for (String namespace : List.of("default", "shop")) {
            KnativeWorkload.Builder.create(services, "Orders-" + namespace).platform(platform).name("orders")
                    .namespace(namespace)
                    .image(ImageSource.fromEcrRepository(repository, "1.4.2"))
                    .env(Map.of("RECEIPTS", RECEIPTS.getBucketName(), "REGION", services.getRegion()))
                    .scale(Autoscaler.builder().minScale(1).maxScale(4).build())
                    .build();
        }
        return services;
    }

    @Test
    void findsTheExampleAppsObjectsByKindNamespaceAndName() {
        assertThat(EXAMPLE.ofKind("Service")).extracting(KubernetesObject::getName)
                .containsExactlyInAnyOrder("helloworld-python", "event-display");
        KubernetesObject hello = EXAMPLE.get("Service", "default", "helloworld-python");
        assertThat(hello.getApiVersion()).isEqualTo("serving.knative.dev/v1");
        assertThat(hello.getLogicalId()).matches("HelloWorldService[0-9A-F]{8}");
        assertThat(hello.at("spec.template.spec.containers[0].env"))
                .isEqualTo(List.of(Map.of("name", "TARGET", "value", "Python Sample v1 with Knative on EKS")));
        assertThat(EXAMPLE.get("Service", "helloworld-python")).isSameAs(hello);
        assertThat(EXAMPLE.get("Service", "default", "event-display")
                .at("spec.template.metadata.annotations['autoscaling.knative.dev/min-scale']")).isEqualTo("1");
        KubernetesObject namespace = EXAMPLE.get("Namespace", null, "knative-serving");
        assertThat(namespace.getNamespace()).isNull();
        assertThat(namespace.at("metadata.labels['app.kubernetes.io/part-of']")).isEqualTo("knative-on-eks");
        assertThat(EXAMPLE.get("KnativeServing", "knative-serving").getLogicalId())
                .isEqualTo(namespace.getLogicalId()).matches("PlatformKnativeResources[0-9A-F]{8}");
    }

    @Test
    void tellsWhichResourceAppliesAnObjectAndWhatItWaitsFor() {
        KubernetesObject hello = EXAMPLE.get("Service", "default", "helloworld-python");
        KubernetesObject serving = EXAMPLE.get("KnativeServing", "knative-serving");
        KubernetesObject build = EXAMPLE.ofKind("Job").stream()
                .filter(j -> j.getName().startsWith("helloworld-python-")).findFirst().orElseThrow();
        KubernetesObject account = EXAMPLE.get("ServiceAccount", "default", "helloworld-python");
        assertThat(EXAMPLE.isAppliedAfter(hello, serving)).as("through Serving's readiness wait").isTrue();
        assertThat(EXAMPLE.isAppliedAfter(hello, build)).as("through the build's readiness wait").isTrue();
        assertThat(EXAMPLE.isAppliedAfter(serving, hello)).isFalse();
        assertThat(account.getLogicalId()).as("applied with its service").isEqualTo(hello.getLogicalId());
        assertThat(EXAMPLE.isAppliedAfter(hello, account)).as("one manifest: applied together").isFalse();
        assertThat(EXAMPLE.all()).filteredOn(o -> o.getLogicalId().equals(hello.getLogicalId()))
                .extracting(KubernetesObject::getKind).containsExactly("ServiceAccount", "Service");
    }

    @Test
    void deployTimeValuesOfTheSameStackBecomePlaceholders() {
        KubernetesObject hello = EXAMPLE.get("Service", "default", "helloworld-python");
        String repository = "HelloWorldRepository[0-9A-F]{8}";
        assertThat(hello.at("spec.template.spec.containers[0].image").toString()).matches(
                "\\$\\{Select:4,\\$\\{Split::,\\$\\{GetAtt:" + repository + "\\.Arn}}}\\.dkr\\.ecr\\."
                        + "\\$\\{Select:3,\\$\\{Split::,\\$\\{GetAtt:" + repository + "\\.Arn}}}\\."
                        + "\\$\\{AWS::URLSuffix}/\\$\\{Ref:" + repository + "}:build-[0-9a-f]{16}");
        KubernetesObject build = EXAMPLE.ofKind("Job").stream()
                .filter(j -> j.getName().startsWith("helloworld-python-")).findFirst().orElseThrow();
        assertThat(build.at("spec.template.spec.containers[0].env[0].value")).isEqualTo("${AWS::Region}");
        assertThat(build.at("spec.template.spec.containers[0].args[0]").toString()).matches("--context=s3://"
                + "\\$\\{Sub:cdk-hnb659fds-assets-\\$\\{AWS::AccountId}-\\$\\{AWS::Region}}/[0-9a-f]{64}\\.knative-build-context");
    }

    @Test
    void anImageInAnotherStackAndABucketNameReadAsPlaceholders() {
        KubernetesObject orders = SHOP.get("Service", "shop", "orders");
        assertThat(orders.at("spec.template.spec.containers[0].image").toString()).matches(
                "\\$\\{Select:4,\\$\\{Split::,\\$\\{ImportValue:Registry:ExportsOutputFnGetAttOrdersRepo[0-9A-F]{8}"
                        + "Arn[0-9A-F]{8}}}}\\.dkr\\.ecr\\..*/\\$\\{ImportValue:Registry:ExportsOutputRefOrdersRepo"
                        + "[0-9A-F]{8}[0-9A-F]{8}}:1\\.4\\.2");
        String bucket = SERVICES.getLogicalId((CfnElement) RECEIPTS.getNode().getDefaultChild());
        assertThat(orders.at("spec.template.spec.containers[0].env")).isEqualTo(List.of(
                Map.of("name", "RECEIPTS", "value", "${Ref:" + bucket + "}"),
                Map.of("name", "REGION", "value", "${AWS::Region}")));
        assertThat(orders.at("spec.template.metadata.annotations")).isEqualTo(Map.of(
                "autoscaling.knative.dev/min-scale", "1", "autoscaling.knative.dev/max-scale", "4"));
        assertThat(SHOP.isAppliedAfter(orders, SHOP.get("Namespace", null, "shop"))).isTrue();
        assertThat(SHOP.isAppliedAfter(orders, SHOP.get("KnativeServing", "knative-serving"))).isTrue();
    }

    @Test
    void aLookupThatFindsNoneOrTwoSaysWhatThereIs() {
        KubernetesObject hello = EXAMPLE.get("Service", "default", "helloworld-python");
        assertThatThrownBy(() -> EXAMPLE.get("Service", "default", "helloworld"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageStartingWith("no Service named \"helloworld\" in namespace \"default\" among the "
                        + "Kubernetes objects of the template; its Service objects: [")
                .hasMessageContaining("Service default/helloworld-python (serving.knative.dev/v1, in "
                        + hello.getLogicalId() + ")")
                .hasMessageContaining("Service default/event-display (serving.knative.dev/v1, in EventDisplayService")
                .hasMessageEndingWith("] (objects of Helm charts are not listed)");
        assertThatThrownBy(() -> EXAMPLE.get("Deployment", "istiod"))
                .hasMessageStartingWith("no Deployment named \"istiod\" among the Kubernetes objects of the template; "
                        + "it has no Deployment, its kinds are [Broker, ConfigMap, Job, KnativeEventing, "
                        + "KnativeServing, Namespace, PingSource, Service, ServiceAccount, Trigger]");
        assertThatThrownBy(() -> SHOP.get("Service", "orders"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageStartingWith("2 objects of kind Service named \"orders\": [Service default/orders "
                        + "(serving.knative.dev/v1, in Ordersdefault")
                .hasMessageContaining("Service shop/orders (serving.knative.dev/v1, in Ordersshop")
                .hasMessageEndingWith("]; give the namespace too");
    }

    @Test
    void everyIntrinsicBecomesAReadablePlaceholderAndTheManifestStillParses() {
        Map<String, Object> role = Map.of("Type", "AWS::IAM::Role", "Properties", Map.of());
        Map<String, Object> manifest = Map.of("Type", "Custom::AWSCDK-EKS-KubernetesResource", "DependsOn",
                List.of("Role"), "Properties", Map.of("Manifest", Map.of("Fn::Join", List.of("", List.of(
                        "[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"namespace\":\"",
                        Map.of("Ref", "AWS::StackName"), "\"},\"data\":{\"role\":\"",
                        Map.of("Fn::GetAtt", List.of("Role", "Arn")), "\",\"bucket\":\"",
                        Map.of("Fn::Sub", List.of("arn:${AWS::Partition}:s3:::${Name}/*",
                                Map.of("Name", Map.of("Ref", "Bucket")))), "\",\"imported\":\"",
                        Map.of("Fn::ImportValue", "Shared:VpcId"), "\",\"output\":\"",
                        Map.of("Fn::GetStackOutput", Map.of("StackName", "Shared", "OutputName", "TableName",
                                "Region", "eu-west-1")), "\",\"quoted\":\"",
                        Map.of("Fn::Sub", "say \\\"${AWS::Region}\\\""), "\",\"list\":\"",
                        Map.of("Fn::Join", List.of(",", List.of("a", Map.of("Ref", "Bucket")))),
                        "\",\"count\":", Map.of("Ref", "Replicas"), "}}]")))));
        KnativeManifests manifests = KnativeManifests.of(Template.fromJSON(Map.of(
                "Parameters", Map.of("Replicas", Map.of("Type", "Number")),
                "Resources", Map.of("Role", role, "Bucket", Map.of("Type", "AWS::S3::Bucket"), "Config", manifest))));
        KubernetesObject config = manifests.get("ConfigMap", "c");
        assertThat(config.getNamespace()).isEqualTo("${AWS::StackName}");
        assertThat(config.at("data")).isEqualTo(Map.of(
                "role", "${GetAtt:Role.Arn}",
                "bucket", "${Sub:arn:${AWS::Partition}:s3:::${Ref:Bucket}/*}",
                "imported", "${ImportValue:Shared:VpcId}",
                "output", "${GetStackOutput:Shared.TableName}",
                "quoted", "${Sub:say \"${AWS::Region}\"}",
                "list", "a,${Ref:Bucket}",
                "count", "${Ref:Replicas}"));
        assertThat(config.getLogicalId()).isEqualTo("Config");
    }

    @Test
    void aPathReadsFieldsItemsAndKeysWithDotsAndLeadsNowhereQuietly() {
        KubernetesObject hello = EXAMPLE.get("Service", "default", "helloworld-python");
        assertThat(hello.at("spec.template.spec.containers[0].env[0].name")).isEqualTo("TARGET");
        assertThat(hello.at("spec.template.spec.containers[0]['env'][0][\"value\"]"))
                .isEqualTo("Python Sample v1 with Knative on EKS");
        assertThat(hello.at("kind")).isEqualTo("Service");
        assertThat(hello.at("spec.template.spec.containers[1]")).as("no second container").isNull();
        assertThat(hello.at("spec.traffic")).as("no traffic block").isNull();
        assertThat(hello.at("kind.name")).as("a field of a string").isNull();
        assertThatThrownBy(() -> hello.at("spec..template")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("path spec..template: cannot read \"..template\"; use fields separated by "
                        + "dots, [index] and ['key.with.dots']");
        assertThatThrownBy(() -> hello.toJson().put("kind", "Deployment"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
