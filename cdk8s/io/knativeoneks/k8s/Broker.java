package io.knativeoneks.k8s;

import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import software.constructs.Construct;

/** A Knative Eventing {@code Broker} ({@code eventing.knative.dev/v1}) of the platform's default class. */
public final class Broker extends Construct {
    private final ApiObject resource;

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
