package io.knativeoneks.k8s;

import io.knativeoneks.internal.Validate;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import software.constructs.Construct;

/**
 * A Knative Eventing {@code Broker} ({@code eventing.knative.dev/v1}) of the platform's default class.
 *
 * <pre>{@code
 * Broker broker = new Broker(chart, "Broker", "default", "apps");
 * }</pre>
 */
public final class Broker extends Construct {
    private final ApiObject resource;

    /**
     * @param scope the construct's parent
     * @param id the construct's id
     * @param name the broker's name (a DNS-1123 label)
     * @param namespace the broker's namespace
     */
    public Broker(Construct scope, String id, String name, String namespace) {
        super(scope, id);
        Validate.dnsLabel(this, "broker", name);
        Validate.dnsLabel(this, "namespace", namespace);
        resource = new ApiObject(this, "Resource", ApiObjectProps.builder()
                .apiVersion("eventing.knative.dev/v1")
                .kind("Broker")
                .metadata(ApiObjectMetadata.builder().name(name).namespace(namespace).build())
                .build());
    }

    /** @return the Broker API object */
    public ApiObject getResource() {
        return resource;
    }

    /** @return the broker's name */
    public String getName() {
        return resource.getName();
    }
}
