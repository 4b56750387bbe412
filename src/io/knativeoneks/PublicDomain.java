package io.knativeoneks;

import io.knativeoneks.k8s.Validate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.certificatemanager.CertificateValidation;
import software.amazon.awscdk.services.route53.CnameRecord;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.constructs.Construct;

/**
 * HTTPS on your own domain for every public Knative service, made by {@link KnativePlatform} when it has a hosted
 * zone:
 * <ul>
 * <li>an ACM certificate for {@code *.<domain>}, validated by DNS in the zone (CloudFormation creates the validation
 * record and waits until the certificate is issued); Knative's domain template
 * {@code {{.Name}}-{{.Namespace}}.{{.Domain}}} keeps every service and tag host one label under the domain, so this
 * one certificate covers them all;</li>
 * <li>the values that make the ingress gateway's Network Load Balancer terminate TLS on port 443 with that
 * certificate and forward plain HTTP to the gateway's port 80; port 80 is not exposed, so plain HTTP is refused
 * rather than served or redirected (the load balancer cannot redirect, and behind it the gateway cannot tell
 * which port a request came in on);</li>
 * <li>a wildcard CNAME record {@code *.<domain>} for the load balancer's DNS name. Not an alias: an alias needs the
 * load balancer's canonical hosted zone id, which is not known from its DNS name at synth; a CNAME serves every
 * name under the domain just as well (only a zone apex needs an alias, and a wildcard is never the apex).</li>
 * </ul>
 */
public final class PublicDomain extends Construct {
    /** The TLS policy of the load balancer's listener: TLS 1.3 and 1.2 only. */
    public static final String TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
    /** The port clients call; TLS ends at the load balancer. */
    public static final int HTTPS_PORT = 443;
    /** The gateway's plain-HTTP port, where Knative's {@code knative-ingress-gateway} listens. */
    public static final int GATEWAY_HTTP_PORT = 80;
    private static final String ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-";

    private final IHostedZone zone;
    private final String domain;
    private final Certificate certificate;
    private CnameRecord record;

    PublicDomain(Construct scope, String id, IHostedZone zone, String domain) {
        super(scope, id);
        this.zone = zone;
        this.domain = domain;
        String zoneName = zoneName(scope, zone);
        Validate.check(Validate.isUnresolved(zoneName) || Validate.isUnresolved(domain) || domain.equals(zoneName)
                || domain.endsWith("." + zoneName), scope, "hostedZone", "\"" + zoneName + "\"",
                "must be the domain \"" + domain + "\" or a parent of it, to hold its certificate validation and "
                        + "its DNS records",
                "pass the zone of \"" + domain + "\", or set domain to a name in the zone such as \"apps."
                        + zoneName + "\"");
        certificate = Certificate.Builder.create(this, "Certificate")
                .domainName("*." + domain)
                .validation(CertificateValidation.fromDns(zone))
                .build();
    }

    private static String zoneName(Construct scope, IHostedZone zone) {
        String name;
        try {
            name = zone.getZoneName();
        } catch (RuntimeException e) {
            name = null;
        }
        Validate.check(name != null, scope, "hostedZone", zone.getNode().getPath(), "has no zone name",
                "import it with HostedZone.fromHostedZoneAttributes(scope, id, HostedZoneAttributes.builder()"
                        + ".hostedZoneId(...).zoneName(...).build())");
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /**
     * The gateway chart's {@code service} values: the given annotations plus TLS on port 443 with the certificate,
     * and only the status port and 443 (to the gateway's HTTP port) exposed.
     */
    Map<String, Object> gatewayService(Map<String, String> loadBalancerAnnotations) {
        Map<String, String> annotations = new LinkedHashMap<>(loadBalancerAnnotations);
        annotations.put(ANNOTATION + "ssl-cert", certificate.getCertificateArn());
        annotations.put(ANNOTATION + "ssl-ports", String.valueOf(HTTPS_PORT));
        annotations.put(ANNOTATION + "ssl-negotiation-policy", TLS_POLICY);
        return Map.of("annotations", annotations, "ports", List.of(
                port("status-port", 15021, 15021),
                port("http-tls-terminated", HTTPS_PORT, GATEWAY_HTTP_PORT)));
    }

    private static Map<String, Object> port(String name, int port, int targetPort) {
        return Map.of("name", name, "port", port, "protocol", "TCP", "targetPort", targetPort);
    }

    /** Points {@code *.<domain>} at the load balancer. */
    void pointAt(String loadBalancerHostname) {
        record = CnameRecord.Builder.create(this, "WildcardRecord")
                .zone(zone)
                .recordName("*." + domain)
                .domainName(loadBalancerHostname)
                .ttl(Duration.minutes(5))
                .build();
    }

    /** @return the certificate of {@code *.<domain>} */
    public Certificate getCertificate() {
        return certificate;
    }

    /** @return the record {@code *.<domain>} that points at the load balancer */
    public CnameRecord getRecord() {
        return record;
    }
}
