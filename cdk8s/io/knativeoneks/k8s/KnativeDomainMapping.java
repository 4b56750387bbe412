package io.knativeoneks.k8s;

import io.knativeoneks.internal.Validate;
import java.util.Map;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import org.cdk8s.JsonPatch;
import software.constructs.Construct;

/**
 * A Knative {@code DomainMapping} ({@code serving.knative.dev/v1beta1}): a Knative Service also answers on a name of
 * your choice. Knative lets a namespace map a name only when a {@code ClusterDomainClaim} gives it that name (it
 * creates none itself, {@code autocreate-cluster-domain-claims} being off), so the claim comes with it.
 *
 * <pre>{@code
 * new KnativeDomainMapping(chart, "Www", "www.example.net", "apps", "site");   // www.example.net to service site
 * }</pre>
 */
public final class KnativeDomainMapping extends Construct {
    private final ApiObject claim;
    private final ApiObject mapping;

    /**
     * @param scope the construct's parent
     * @param id the construct's id
     * @param host the name the service answers on, e.g. {@code www.example.net}
     * @param namespace the service's namespace, which the claim gives the name to
     * @param service the Knative Service in {@code namespace}
     */
    public KnativeDomainMapping(Construct scope, String id, String host, String namespace, String service) {
        super(scope, id);
        Validate.matches(this, "host", host, Validate.DOMAIN_NAME, "a DNS domain name of two or more lower-case labels",
                "www.example.net");
        claim = new ApiObject(this, "Claim", ApiObjectProps.builder()
                .apiVersion("networking.internal.knative.dev/v1alpha1")
                .kind("ClusterDomainClaim")
                .metadata(ApiObjectMetadata.builder().name(host).build())
                .build());
        claim.addJsonPatch(JsonPatch.add("/spec", Map.of("namespace", namespace)));
        mapping = new ApiObject(this, "Resource", ApiObjectProps.builder()
                .apiVersion("serving.knative.dev/v1beta1")
                .kind("DomainMapping")
                .metadata(ApiObjectMetadata.builder().name(host).namespace(namespace).build())
                .build());
        mapping.addJsonPatch(JsonPatch.add("/spec", Map.of("ref", Maps.ordered(
                "apiVersion", "serving.knative.dev/v1", "kind", "Service", "name", service))));
        mapping.addDependency(claim);
    }

    /** @return the {@code ClusterDomainClaim} that lets the namespace map the name */
    public ApiObject getClaim() {
        return claim;
    }

    /** @return the {@code DomainMapping} */
    public ApiObject getResource() {
        return mapping;
    }
}
