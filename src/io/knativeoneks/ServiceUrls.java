package io.knativeoneks;

import io.knativeoneks.k8s.DomainTemplate;
import io.knativeoneks.k8s.Traffic;
import io.knativeoneks.k8s.TrafficTarget;
import io.knativeoneks.internal.Validate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.constructs.Construct;

/**
 * Where a {@link KnativeWorkload}'s service, its traffic tags and its custom domains answer, checked against DNS
 * limits, and the stack outputs that say how to call them: an {@code https://} URL and a curl command with a hosted
 * zone; a curl command with a Host header through the load balancer without one; the in-cluster URL for a
 * cluster-local service. Custom domains go on the platform's certificate and get their DNS records.
 */
final class ServiceUrls {
    /** Knative's domain for cluster-local routes, which always use Knative's default domain template. */
    static final String CLUSTER_DOMAIN = "svc.cluster.local";
    /** The start of a public URL output's description; bin/smoke-check picks a service's URL by it. */
    static final String URL_DESCRIPTION = "URL of Knative Service ";

    private final PlatformBase platform;
    private final String name;
    private final boolean clusterLocal;
    private final String host;
    private final Map<String, String> tagHosts = new LinkedHashMap<>();
    private final List<String> customHosts;

    ServiceUrls(Construct workload, PlatformBase platform, String name, String namespace, boolean clusterLocal,
            Traffic traffic, List<CustomDomain> customDomains) {
        this.platform = platform;
        this.name = name;
        this.clusterLocal = clusterLocal;
        DomainTemplate template = clusterLocal ? DomainTemplate.DOTTED : platform.getDomainTemplate();
        String domain = clusterLocal ? CLUSTER_DOMAIN : platform.getDomain();
        this.host = template.host(workload, "name", name, namespace, domain);
        String under = " under Knative's domain template " + template.getTemplate();
        platform.registry().claimHost(workload, "name", "\"" + name + "\"", host, "makes the host " + host + under, "",
                "give one of the services another name or namespace");
        if (traffic != null) {
            traffic.check(workload, name);
            for (TrafficTarget target : traffic.getTargets()) {
                String tag = target.getTag();
                if (tag != null) {
                    String tagHost = template.tagHost(workload, tag, name, namespace, domain);
                    tagHosts.put(tag, tagHost);
                    platform.registry().claimHost(workload, "traffic tag", "\"" + tag + "\"", tagHost, "makes the host "
                                    + tagHost + " (Knative's tag template {{.Tag}}-{{.Name}})" + under,
                            " (its tag \"" + tag + "\")", "use another tag, or give one of the services another "
                                    + "name or namespace");
                }
            }
        }
        if (!customDomains.isEmpty()) {
            Validate.check(!clusterLocal, workload, "customDomains", customDomains,
                    "cannot be used with clusterLocal(true): a cluster-local service has no public host",
                    "drop clusterLocal or the custom domains");
            Validate.check(platform.getPublicDomain() != null, workload, "customDomains", customDomains,
                    "need the platform's hostedZone: TLS ends at the load balancer, whose certificate must cover "
                            + "them", "pass hostedZone(...) to the KnativePlatform");
            for (CustomDomain custom : customDomains) {
                String quoted = "\"" + custom.getHost() + "\"";
                platform.getPublicDomain().addCustomDomain(workload, custom);
                platform.registry().claimHost(workload, "customDomains", quoted, custom.getHost(), "maps a host",
                        " (a custom domain)", "map the name to one service only");
                platform.registry().addReference(workload, "customDomains", quoted, custom.getZone(),
                        "the custom domain's zone");
            }
        }
        this.customHosts = customDomains.stream().map(CustomDomain::getHost).toList();
    }

    /** @return the custom domains the service also answers on */
    List<String> getCustomHosts() {
        return customHosts;
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
        } else if (platform.servesHttps()) {
            output(workload, "ServiceUrl", URL_DESCRIPTION + name, "https://" + host);
            output(workload, "CurlCommand", "Call " + name, "curl https://" + host);
        } else {
            output(workload, "ServiceHost", "Host name of " + name + " (send it as the Host header)", host);
            output(workload, "CurlCommand", "Call " + name + " through the ingress load balancer", curl(host));
        }
        tagHosts.forEach((tag, tagHost) -> output(workload, "Tag" + tag,
                "Tag " + tag + " of " + name + ": reaches its revision alone",
                clusterLocal ? "http://" + tagHost
                        : platform.servesHttps() ? "https://" + tagHost : curl(tagHost)));
        customHosts.forEach(custom -> output(workload, "CustomDomain-" + custom,
                "Custom domain of " + name + " (a DomainMapping)", "https://" + custom));
    }

    private String curl(String hostHeader) {
        return "curl -H \"Host: " + hostHeader + "\" http://" + platform.getIngressHostname();
    }

    private static void output(Construct scope, String id, String description, String value) {
        CfnOutput.Builder.create(scope, id).description(description).value(value).build();
    }
}
