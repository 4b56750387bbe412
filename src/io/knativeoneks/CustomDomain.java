package io.knativeoneks;

import software.amazon.awscdk.services.route53.IHostedZone;

/**
 * A name outside the platform's wildcard that a {@link KnativeWorkload} also answers on over HTTPS (a Knative
 * {@code DomainMapping}), and the Route 53 zone that holds it: the platform's certificate gets the name, validated in
 * that zone, and a CNAME there points it at the load balancer.
 *
 * <pre>{@code
 * IHostedZone net = HostedZone.fromHostedZoneAttributes(this, "Net", HostedZoneAttributes.builder()
 *         .hostedZoneId("Z0123456789ABCDEFGHIJ").zoneName("example.net").build());
 * KnativeWorkload.Builder.create(this, "Site")
 *         .platform(platform)   // one with a hostedZone
 *         .name("site")
 *         .image(ImageSource.fromImage("ghcr.io/org/site:1.0"))
 *         .customDomains(List.of(CustomDomain.of("www.example.net", net)))
 *         .build();
 * }</pre>
 */
public final class CustomDomain {
    private final String host;
    private final IHostedZone zone;

    private CustomDomain(String host, IHostedZone zone) {
        this.host = host;
        this.zone = zone;
    }

    /**
     * @param host the name, e.g. {@code www.example.net} (not a zone apex: a CNAME cannot sit there)
     * @param zone the zone of {@code host} or of a parent of it, imported with its name (fromHostedZoneAttributes)
     * @return the custom domain
     */
    public static CustomDomain of(String host, IHostedZone zone) {
        return new CustomDomain(host, zone);
    }

    /** @return the name */
    public String getHost() {
        return host;
    }

    /** @return the zone that holds the name */
    public IHostedZone getZone() {
        return zone;
    }

    @Override
    public String toString() {
        return host;
    }
}
