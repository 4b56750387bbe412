package io.knativeoneks;

import io.knativeoneks.internal.Tokens;
import io.knativeoneks.internal.Validate;
import java.util.List;
import java.util.regex.Pattern;
import software.constructs.Construct;

/**
 * The IPv4 CIDR blocks that may reach a cluster's public API endpoint. EKS takes only publicly routable blocks, so a
 * block inside a private or reserved range fails at synth rather than 15 minutes into creating the cluster.
 */
final class ApiEndpointCidrs {
    /** Every address. */
    static final String ANYWHERE = "0.0.0.0/0";

    private static final Pattern IPV4_CIDR = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)/(3[0-2]|[12]?\\d)");
    /**
     * Ranges that are not publicly routable (IANA IPv4 special-purpose registry): "this network", RFC 1918 private,
     * shared address space, loopback, link-local, multicast and reserved.
     */
    private static final List<String> NOT_PUBLIC = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10",
            "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4");

    private ApiEndpointCidrs() {
    }

    /** Checks each block, as {@code apiAllowedCidrs} of {@code scope}; tokens are not judged. */
    static void check(Construct scope, List<String> cidrs) {
        for (String cidr : cidrs) {
            Validate.matches(scope, "apiAllowedCidrs", cidr, IPV4_CIDR, "an IPv4 CIDR block", "203.0.113.0/24");
            String range = Tokens.isUnresolved(cidr) || cidr.equals(ANYWHERE) ? null
                    : NOT_PUBLIC.stream().filter(r -> within(cidr, r)).findFirst().orElse(null);
            Validate.check(range == null, scope, "apiAllowedCidrs", "\"" + cidr + "\"",
                    "lies in " + range + ", which is not publicly routable (EKS takes only public addresses for "
                            + "the public endpoint; the private endpoint already serves the VPC)",
                    "list the public addresses your clients connect from, or pass an empty list for a private "
                            + "endpoint");
        }
    }

    /** @return whether {@code cidrs} leave the public endpoint open to every address */
    static boolean open(List<String> cidrs) {
        return cidrs == null || cidrs.contains(ANYWHERE);
    }

    private static boolean within(String cidr, String range) {
        int prefix = prefix(cidr);
        int rangePrefix = prefix(range);
        return prefix >= rangePrefix && (address(cidr) & mask(rangePrefix)) == address(range);
    }

    private static int prefix(String cidr) {
        return Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    }

    private static long address(String cidr) {
        long value = 0;
        for (String octet : cidr.substring(0, cidr.indexOf('/')).split("\\.")) {
            value = value << 8 | Integer.parseInt(octet);
        }
        return value;
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }
}
