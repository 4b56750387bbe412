package io.knativeoneks;

import io.knativeoneks.common.Versions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.services.eks_v2.HelmChart;
import software.amazon.awscdk.services.eks_v2.KubernetesObjectValue;

/**
 * The part of a {@link KnativePlatform} that is Istio: its {@code base} (CRDs), {@code istiod} (control plane and
 * webhooks) and {@code gateway} charts in {@code istio-system}, the gateway's Service behind an internet-facing
 * Network Load Balancer, a wait that fails a destroy while that Service is still there, and the load balancer's DNS
 * name. Not a construct: what it creates belongs to the platform, so its resources keep their logical IDs.
 */
final class IstioMesh {
    /** EKS's built-in service controller makes the gateway's load balancer a Network Load Balancer. */
    private static final Map<String, String> GATEWAY_LOAD_BALANCER =
            Map.of("service.beta.kubernetes.io/aws-load-balancer-type", "nlb");
    /** Istio's status port, which the load balancer's health checks call. */
    /** Istio's chart repository. */
    static final String REPOSITORY = Versions.ISTIO_REPOSITORY;
    /** The namespace of Istio and its ingress gateway. */
    static final String NAMESPACE = "istio-system";
    /** The gateway's release and Service name, which Knative's net-istio selects. */
    static final String GATEWAY_NAME = "istio-ingressgateway";
    /** Where the gateway's Service holds its load balancer's DNS name. */
    static final String INGRESS_HOSTNAME_PATH = ".status.loadBalancer.ingress[0].hostname";
    private static final int GATEWAY_STATUS_PORT = 15021;

    private final HelmChart base;
    private final HelmChart istiod;
    private final HelmChart gateway;
    private final String ingressHostname;

    /**
     * @param version the Istio release of the three charts
     * @param publicDomain the platform's public domain (TLS at the load balancer), or null for plain HTTP
     */
    IstioMesh(PlatformBase platform, ClusterContext cluster, String version, PublicDomain publicDomain) {
        String repository = REPOSITORY;
        String namespace = NAMESPACE;
        base = cluster.addHelmChart(platform, "IstioBase", repository, "base", version, namespace, "istio-base",
                Map.of());
        istiod = cluster.addHelmChart(platform, "Istiod", repository, "istiod", version, namespace, "istiod",
                Map.of());
        istiod.getNode().addDependency(base);
        // The EKS cloud controller creates an internet-facing NLB and deletes it (behind a Service finalizer, which
        // helm uninstall --wait waits for) when the Service goes: no extra controller, IAM policy or webhook needed.
        // With a public domain the chart references the certificate, so it is installed once the certificate is issued.
        gateway = cluster.addHelmChart(platform, "IstioGateway", repository, "gateway", version, namespace,
                GATEWAY_NAME, Map.of("service", gatewayService(publicDomain)));
        gateway.getNode().addDependency(istiod);
        // aws-cdk-lib's Helm handler only logs a failed uninstall: this fails the destroy, with the reason, while the
        // gateway's Service (and so its load balancer) is still there, before the nodes and the cluster go (and the
        // VPC could not).
        ReadinessWait gatewayDeleted = new ReadinessWait(platform, "GatewayDeleted", platform,
                ReadinessWait.Kind.LOAD_BALANCER_SERVICE, namespace, GATEWAY_NAME);
        cluster.afterNodes(gatewayDeleted);
        gateway.getNode().addDependency(gatewayDeleted);

        KubernetesObjectValue hostname = cluster.waitForValue(platform, "IngressHostname", "service",
                GATEWAY_NAME, namespace, INGRESS_HOSTNAME_PATH);
        hostname.getNode().addDependency(gateway);
        ingressHostname = hostname.getValue();
    }

    /**
     * The gateway chart's {@code service} values: a Network Load Balancer with Istio's status port and the one port
     * requests come in on, plain HTTP on 80, or with a public domain 443, where the load balancer ends TLS and
     * forwards plain HTTP to the gateway's port 80 (the chart's default 443 to the gateway's 443 is not exposed). No
     * port changes its protocol between the modes: EKS's service controller matches listeners by port and protocol,
     * so a port whose protocol changed would become a second listener on that port, which AWS refuses; switching
     * modes removes one listener and adds the other.
     */
    private static Map<String, Object> gatewayService(PublicDomain publicDomain) {
        Map<String, String> annotations = new TreeMap<>(GATEWAY_LOAD_BALANCER);
        int http = PublicDomain.GATEWAY_HTTP_PORT;
        Map<String, Object> requests = gatewayPort("http2", http, http);
        if (publicDomain != null) {
            annotations.putAll(publicDomain.tlsAnnotations());
            requests = gatewayPort("http-tls-terminated", PublicDomain.HTTPS_PORT, http);
        }
        return Map.of("annotations", annotations, "ports", List.of(
                gatewayPort("status-port", GATEWAY_STATUS_PORT, GATEWAY_STATUS_PORT), requests));
    }

    private static Map<String, Object> gatewayPort(String name, int port, int targetPort) {
        return Map.of("name", name, "port", port, "protocol", "TCP", "targetPort", targetPort);
    }

    /** @return the base chart (CRDs) */
    HelmChart getBase() {
        return base;
    }

    /** @return the istiod chart (control plane and webhooks) */
    HelmChart getIstiod() {
        return istiod;
    }

    /** @return the gateway chart */
    HelmChart getGateway() {
        return gateway;
    }

    /** @return the DNS name of the gateway's load balancer (a deploy-time value) */
    String getIngressHostname() {
        return ingressHostname;
    }
}
