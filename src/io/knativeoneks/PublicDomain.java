package io.knativeoneks;

import io.knativeoneks.internal.Tokens;
import io.knativeoneks.internal.Validate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Lazy;
import software.amazon.awscdk.LazyListValueOptions;
import software.amazon.awscdk.services.certificatemanager.CfnCertificate;
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
 * <li>the annotations that make the ingress gateway's Network Load Balancer terminate TLS on port 443 with that
 * certificate; the platform exposes 443 (forwarded as plain HTTP to the gateway's port 80) instead of port 80, so
 * plain HTTP is refused rather than served or redirected (the load balancer cannot redirect, and behind it the
 * gateway cannot tell which port a request came in on);</li>
 * <li>a wildcard CNAME record {@code *.<domain>} for the load balancer's DNS name. Not an alias: an alias needs the
 * load balancer's canonical hosted zone id, which is not known from its DNS name at synth; a CNAME serves every
 * name under the domain just as well (only a zone apex needs an alias, and a wildcard is never the apex).</li>
 * <li>for each {@link CustomDomain} of a workload: the name on the same certificate (the load balancer's listener
 * takes one), validated in its own zone, and a CNAME there.</li>
 * </ul>
 */
public final class PublicDomain extends Construct {
    /** The TLS policy of the load balancer's listener: TLS 1.3 and 1.2 only. */
    public static final String TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
    /** The port clients call; TLS ends at the load balancer. */
    public static final int HTTPS_PORT = 443;
    /**
     * The gateway's plain-HTTP port, where Knative's {@code knative-ingress-gateway} (port 80, selected by label)
     * listens, and where the load balancer's port 443 goes: with no Service port 80, Istio binds a label-selected
     * Gateway's port as it is.
     */
    public static final int GATEWAY_HTTP_PORT = 80;
    /** ACM's default quota of names on one certificate. */
    public static final int MAX_CERTIFICATE_NAMES = 10;
    private static final String ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-";

    private final IHostedZone zone;
    private final String domain;
    private final CfnCertificate certificate;
    private final List<String> alternativeNames = new ArrayList<>();
    private final List<CfnCertificate.DomainValidationOptionProperty> validations = new ArrayList<>();
    private String loadBalancerHostname;
    private CnameRecord record;

    PublicDomain(Construct scope, String id, IHostedZone zone, String domain) {
        super(scope, id);
        this.zone = zone;
        this.domain = domain;
        String zoneName = zoneName(scope, "hostedZone", zone);
        Validate.check(holds(zoneName, domain), scope, "hostedZone", "\"" + zoneName + "\"",
                "must be the domain \"" + domain + "\" or a parent of it, to hold its certificate validation and "
                        + "its DNS records",
                "pass the zone of \"" + domain + "\", or set domain to a name in the zone such as \"apps."
                        + zoneName + "\"");
        validations.add(validation("*." + domain, zone));
        // The names are read at synth, after every workload has added its custom domains.
        certificate = CfnCertificate.Builder.create(this, "Certificate")
                .domainName("*." + domain)
                .subjectAlternativeNames(Lazy.list(() -> alternativeNames,
                        LazyListValueOptions.builder().omitEmpty(true).build()))
                .validationMethod("DNS")
                .domainValidationOptions(Lazy.any(() -> validations))
                .build();
    }

    private static boolean holds(String zoneName, String name) {
        return Tokens.isUnresolved(zoneName) || Tokens.isUnresolved(name) || name.equals(zoneName)
                || name.endsWith("." + zoneName);
    }

    private static CfnCertificate.DomainValidationOptionProperty validation(String name, IHostedZone zone) {
        return CfnCertificate.DomainValidationOptionProperty.builder()
                .domainName(name)
                .hostedZoneId(zone.getHostedZoneId())
                .build();
    }

    private static String zoneName(Construct scope, String property, IHostedZone zone) {
        String name;
        try {
            name = zone.getZoneName();
        } catch (RuntimeException e) {
            name = null;
        }
        Validate.check(name != null, scope, property, zone.getNode().getPath(), "has no zone name",
                "import it with HostedZone.fromHostedZoneAttributes(scope, id, HostedZoneAttributes.builder()"
                        + ".hostedZoneId(...).zoneName(...).build())");
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** @return the gateway Service's annotations that make its load balancer end TLS on port 443 with the certificate */
    Map<String, String> tlsAnnotations() {
        return Map.of(ANNOTATION + "ssl-cert", certificate.getRef(),
                ANNOTATION + "ssl-ports", String.valueOf(HTTPS_PORT),
                ANNOTATION + "ssl-negotiation-policy", TLS_POLICY);
    }

    /** Points {@code *.<domain>} at the load balancer. */
    void pointAt(String hostname) {
        loadBalancerHostname = hostname;
        record = cname(this, "WildcardRecord", zone, "*." + domain);
    }

    /**
     * Serves {@code custom.getHost()} over HTTPS for {@code workload}: adds it to the certificate, validated in its
     * zone, and points it at the load balancer with a CNAME in that zone (owned by the workload).
     */
    CnameRecord addCustomDomain(Construct workload, CustomDomain custom) {
        String host = custom.getHost();
        Validate.matches(workload, "customDomains", host, Validate.DOMAIN_NAME,
                "a DNS domain name of two or more lower-case labels", "www.example.net");
        String zoneName = zoneName(workload, "customDomains", custom.getZone());
        Validate.check(holds(zoneName, host), workload, "customDomains", "\"" + host + "\"",
                "is not in its zone \"" + zoneName + "\"", "pass the zone that holds \"" + host + "\"");
        Validate.check(!host.equals(zoneName), workload, "customDomains", "\"" + host + "\"",
                "is the apex of its zone, where a CNAME record cannot sit", "map a name under it, e.g. \"www."
                        + host + "\"");
        Validate.check(!host.equals("*." + domain) && !alternativeNames.contains(host), workload, "customDomains",
                "\"" + host + "\"", "is already on the platform's certificate (another workload maps it)",
                "map each name to one workload");
        Validate.check(alternativeNames.size() + 2 <= MAX_CERTIFICATE_NAMES, workload, "customDomains",
                "\"" + host + "\"", "would put more than " + MAX_CERTIFICATE_NAMES + " names on the platform's "
                        + "certificate (ACM's default quota)",
                "map fewer names, or raise the ACM quota and put the names in a zone of their own");
        alternativeNames.add(host);
        validations.add(validation(host, custom.getZone()));
        return cname(workload, "CustomDomainRecord-" + host, custom.getZone(), host);
    }

    private CnameRecord cname(Construct scope, String id, IHostedZone recordZone, String name) {
        return CnameRecord.Builder.create(scope, id)
                .zone(recordZone)
                .recordName(name)
                .domainName(loadBalancerHostname)
                .ttl(Duration.minutes(5))
                .build();
    }

    /** @return the certificate of {@code *.<domain>} and the custom domains */
    public CfnCertificate getCertificate() {
        return certificate;
    }

    /** @return the record {@code *.<domain>} that points at the load balancer */
    public CnameRecord getRecord() {
        return record;
    }
}
