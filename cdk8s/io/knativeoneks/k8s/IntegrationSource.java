package io.knativeoneks.k8s;

import io.knativeoneks.internal.Validate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import org.cdk8s.JsonPatch;
import software.constructs.Construct;

/**
 * A Knative Eventing {@code IntegrationSource} ({@code sources.knative.dev/v1alpha1}) of an AWS kind: Knative runs a
 * Camel Kamelet that reads SQS messages, S3 objects or DynamoDB stream records and sends each as a CloudEvent to a
 * sink. With {@code spec.aws.auth.serviceAccountName} and no Secret, its pods run as that service account and use the
 * AWS SDK's default credentials chain (knative/eventing {@code pkg/reconciler/integration/source/resources/}
 * {@code containersource.go}, {@code makeServiceAccountName} and {@code makeEnv}), so EKS Pod Identity gives them
 * their credentials: no keys.
 *
 * <pre>{@code
 * new IntegrationSource(chart, "Source", "orders", "apps", "sqs",
 *         Map.of("arn", queueArn, "region", "eu-west-1"), "orders-source",
 *         IntegrationSource.ref("serving.knative.dev/v1", "Service", "event-display"));
 * }</pre>
 */
public final class IntegrationSource extends Construct {
    private final ApiObject resource;

    /**
     * @param scope the construct's parent
     * @param id the construct's id
     * @param name the IntegrationSource's name (a DNS-1123 label)
     * @param namespace its namespace, which is the sink's too
     * @param kind the AWS kind: {@code s3}, {@code sqs} or {@code ddbStreams} (the key under {@code spec.aws})
     * @param settings the kind's fields (knative/eventing {@code pkg/apis/common/integration/v1alpha1/aws.go}),
     *     in the order they are written
     * @param serviceAccountName the service account the pods run as
     * @param sink the reference ({@code apiVersion}, {@code kind}, {@code name}) of the addressable that receives the
     *     events, in the same namespace; see {@link #ref}
     */
    public IntegrationSource(Construct scope, String id, String name, String namespace, String kind,
            Map<String, Object> settings, String serviceAccountName, Map<String, Object> sink) {
        super(scope, id);
        Validate.dnsLabel(this, "name", name);
        Validate.dnsLabel(this, "namespace", namespace);
        Validate.dnsLabel(this, "serviceAccountName", serviceAccountName);
        Validate.check(kind != null && (kind.equals("s3") || kind.equals("sqs") || kind.equals("ddbStreams")), this,
                "kind", kind, "is not an AWS kind of IntegrationSource", "use s3, sqs or ddbStreams");
        Validate.required(this, "settings", settings, "pass the kind's fields, e.g. arn and region");
        Validate.required(this, "sink", sink, "pass IntegrationSource.ref(...) of the receiver");
        resource = new ApiObject(this, "Resource", ApiObjectProps.builder()
                .apiVersion("sources.knative.dev/v1alpha1")
                .kind("IntegrationSource")
                .metadata(ApiObjectMetadata.builder().name(name).namespace(namespace).build())
                .build());
        resource.addJsonPatch(JsonPatch.add("/spec", awsSpec(kind, settings, serviceAccountName, "sink", sink)));
    }

    /**
     * The {@code spec} of an AWS IntegrationSource or IntegrationSink: {@code aws.<kind>} with its settings and
     * {@code aws.auth.serviceAccountName}, then {@code <sinkField>.ref} when {@code sink} is given.
     */
    static Map<String, Object> awsSpec(String kind, Map<String, Object> settings, String serviceAccountName,
            String sinkField, Map<String, Object> sink) {
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put(kind, new LinkedHashMap<>(settings));
        aws.put("auth", Map.of("serviceAccountName", serviceAccountName));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("aws", aws);
        if (sink != null) {
            spec.put(sinkField, Map.of("ref", sink));
        }
        return spec;
    }

    /**
     * A reference to a Kubernetes object in the same namespace, as a sink or subscriber.
     *
     * @param apiVersion its API version, e.g. {@code serving.knative.dev/v1}
     * @param kind its kind, e.g. {@code Service}
     * @param name its name
     * @return the reference, fields in a fixed order
     */
    public static Map<String, Object> ref(String apiVersion, String kind, String name) {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("apiVersion", apiVersion);
        ref.put("kind", kind);
        ref.put("name", name);
        return ref;
    }

    /** @return the IntegrationSource API object */
    public ApiObject getResource() {
        return resource;
    }
}
