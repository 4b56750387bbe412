package io.knativeoneks.k8s;

import io.knativeoneks.internal.Validate;
import java.util.Map;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import org.cdk8s.JsonPatch;
import software.constructs.Construct;

/**
 * A Knative Eventing {@code IntegrationSink} ({@code sinks.knative.dev/v1alpha1}) of an AWS kind: an addressable
 * that writes each CloudEvent it receives to an SQS queue, an SNS topic or an S3 bucket through a Camel Kamelet. With
 * {@code spec.aws.auth.serviceAccountName} and no Secret its pods run as that service account with the AWS SDK's
 * default credentials chain (knative/eventing {@code pkg/reconciler/integration/sink/resources/container_image.go},
 * {@code makeServiceAccountName} and {@code makeEnv}), so EKS Pod Identity gives them their credentials.
 *
 * <pre>{@code
 * new IntegrationSink(chart, "Sink", "alerts", "apps", "sns",
 *         Map.of("arn", topicArn, "region", "eu-west-1"), "alerts-sink");
 * }</pre>
 */
public final class IntegrationSink extends Construct {
    private final ApiObject resource;

    /**
     * @param scope the construct's parent
     * @param id the construct's id
     * @param name the IntegrationSink's name (a DNS-1123 label)
     * @param namespace its namespace
     * @param kind the AWS kind: {@code s3}, {@code sqs} or {@code sns} (the key under {@code spec.aws})
     * @param settings the kind's fields (knative/eventing {@code pkg/apis/common/integration/v1alpha1/aws.go}),
     *     in the order they are written
     * @param serviceAccountName the service account the pods run as
     */
    public IntegrationSink(Construct scope, String id, String name, String namespace, String kind,
            Map<String, Object> settings, String serviceAccountName) {
        super(scope, id);
        Validate.dnsLabel(this, "name", name);
        Validate.dnsLabel(this, "namespace", namespace);
        Validate.dnsLabel(this, "serviceAccountName", serviceAccountName);
        Validate.check(kind != null && (kind.equals("s3") || kind.equals("sqs") || kind.equals("sns")), this,
                "kind", kind, "is not an AWS kind of IntegrationSink", "use s3, sqs or sns");
        Validate.required(this, "settings", settings, "pass the kind's fields, e.g. arn and region");
        resource = new ApiObject(this, "Resource", ApiObjectProps.builder()
                .apiVersion("sinks.knative.dev/v1alpha1")
                .kind("IntegrationSink")
                .metadata(ApiObjectMetadata.builder().name(name).namespace(namespace).build())
                .build());
        resource.addJsonPatch(JsonPatch.add("/spec", IntegrationSource.awsSpec(kind, settings, serviceAccountName,
                null, null)));
    }

    /** @return a reference to this sink, as a Trigger's subscriber or a source's sink */
    public Map<String, Object> ref() {
        return IntegrationSource.ref(resource.getApiVersion(), resource.getKind(), resource.getName());
    }

    /** @return the IntegrationSink API object */
    public ApiObject getResource() {
        return resource;
    }
}
