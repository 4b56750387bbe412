package io.knativeoneks;

import io.knativeoneks.k8s.DomainTemplate;
import io.knativeoneks.k8s.Traffic;
import io.knativeoneks.k8s.TrafficTarget;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.constructs.Construct;

/**
 * Where a {@link KnativeWorkload}'s service and its traffic tags answer, checked against DNS limits, and the stack
 * outputs that say how to call them: an {@code https://} URL and a curl command with a hosted zone; a curl command
 * with a Host header through the load balancer without one; the in-cluster URL for a cluster-local service.
 */
final class ServiceUrls {
    /** Knative's domain for cluster-local routes, which always use Knative's default domain template. */
    static final String CLUSTER_DOMAIN = "svc.cluster.local";
    /** The start of a public URL output's description; bin/smoke-check picks a service's URL by it. */
    static final String URL_DESCRIPTION = "URL of Knative Service ";

    private final KnativePlatform platform;
    private final String name;
    private final boolean clusterLocal;
    private final String host;
    private final Map<String, String> tagHosts = new LinkedHashMap<>();

    ServiceUrls(Construct workload, KnativePlatform platform, String name, String namespace, boolean clusterLocal,
            Traffic traffic) {
        this.platform = platform;
        this.name = name;
        this.clusterLocal = clusterLocal;
        DomainTemplate template = clusterLocal ? DomainTemplate.DOTTED : platform.getDomainTemplate();
        String domain = clusterLocal ? CLUSTER_DOMAIN : platform.getDomain();
        this.host = template.host(workload, "name", name, namespace, domain);
        if (traffic != null) {
            traffic.check(workload, name);
            for (TrafficTarget target : traffic.getTargets()) {
                if (target.getTag() != null) {
                    tagHosts.put(target.getTag(), template.tagHost(workload, target.getTag(), name, namespace,
                            domain));
                }
            }
        }
    }

    /** @return the host the service answers on */
    String getHost() {
        return host;
    }

    /** Adds the outputs for the service and each tag to {@code workload}. */
    void addOutputs(Construct workload) {
        if (clusterLocal) {
            output(workload, "ClusterUrl", "How other services in the cluster call " + name
                    + " (cluster-local: no public host)", "http://" + host);
        } else if (platform.getPublicDomain() != null) {
            output(workload, "ServiceUrl", URL_DESCRIPTION + name, "https://" + host);
            output(workload, "CurlCommand", "Call " + name, "curl https://" + host);
        } else {
            output(workload, "ServiceHost", "Host name of " + name + " (send it as the Host header)", host);
            output(workload, "CurlCommand", "Call " + name + " through the ingress load balancer", curl(host));
        }
        tagHosts.forEach((tag, tagHost) -> output(workload, "Tag" + tag,
                "Tag " + tag + " of " + name + ": reaches its revision alone",
                clusterLocal ? "http://" + tagHost
                        : platform.getPublicDomain() != null ? "https://" + tagHost : curl(tagHost)));
    }

    private String curl(String hostHeader) {
        return "curl -H \"Host: " + hostHeader + "\" http://" + platform.getIngressHostname();
    }

    private static void output(Construct scope, String id, String description, String value) {
        CfnOutput.Builder.create(scope, id).description(description).value(value).build();
    }
}
