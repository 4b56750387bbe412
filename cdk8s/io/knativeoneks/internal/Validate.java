package io.knativeoneks.internal;

import io.knativeoneks.common.ValidationError;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import software.constructs.Construct;

/**
 * Checks on construct properties, shared by the AWS and Kubernetes sides. Each check names the construct, the
 * property, the value, what is allowed and how to fix it, and lets unresolved CDK tokens through.
 */
public final class Validate {
    /** A DNS-1123 label: what Kubernetes allows for namespace and most object names. */
    public static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** A DNS-1123 subdomain: what Kubernetes allows for Secret and most other object names (at most 253). */
    public static final Pattern DNS_1123_SUBDOMAIN =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /**
     * An address with a user name, token or password before the host ({@code https://token@host},
     * {@code user:password@host}).
     */
    private static final Pattern USER_INFO = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*@.*|[^/]*:[^/]*@.*");
    /**
     * Namespaces of Kubernetes ({@code kube-*}), Knative ({@code knative-*}, including the operator's) and Istio,
     * which applications must not use.
     */
    public static final Pattern SYSTEM_NAMESPACE = Pattern.compile("kube-.*|knative-.*|istio-system");
    /** A DNS domain name of at least two labels, each a DNS-1123 label. */
    public static final Pattern DOMAIN_NAME =
            Pattern.compile("(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\.)+[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** A DNS-1035 label: what Knative allows for service names (starts with a letter). */
    public static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    /** An environment variable name of the portable kind ({@code TARGET}, {@code MY_VAR}). */
    public static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private Validate() {
    }

    /**
     * Throws a {@link ValidationError} unless {@code ok}.
     *
     * @param ok whether the value is allowed
     * @param scope the construct the error names
     * @param property the property the error names
     * @param value the value the error shows
     * @param requirement what the value must be, phrased to follow the value, e.g. "must be at least 1"
     * @param fix what the user should do, e.g. "set nodeCount to 1 or more"
     */
    public static void check(boolean ok, Construct scope, String property, Object value, String requirement,
            String fix) {
        if (!ok) {
            throw new ValidationError(scope.getNode().getPath(), property, value, requirement, fix);
        }
    }

    /**
     * Checks that a value the construct cannot do without is given.
     *
     * @param scope the construct the error names
     * @param property the property the error names
     * @param value the value
     * @param fix what the user should do, e.g. "pass the Broker that receives the events"
     */
    public static void required(Construct scope, String property, Object value, String fix) {
        check(value != null, scope, property, null, "is required", fix);
    }

    /**
     * Checks that {@code value} lies in [{@code min}, {@code max}].
     *
     * @param scope the construct the error names
     * @param property the property the error names
     * @param value the value
     * @param min the least value allowed
     * @param max the greatest value allowed
     */
    public static void range(Construct scope, String property, Number value, long min, long max) {
        check(value.doubleValue() >= min && value.doubleValue() <= max, scope, property, value,
                "must be between " + min + " and " + max, "set " + property + " within that range");
    }

    /**
     * Checks a string against a pattern unless it is an unresolved token; {@code what} describes the pattern. A null
     * value is rejected.
     *
     * @param scope the construct the error names
     * @param property the property the error names
     * @param value the value
     * @param pattern what the value must match
     * @param what the pattern in words, phrased to follow "must be", e.g. "a DNS domain name"
     * @param example an allowed value, for the fix
     */
    public static void matches(Construct scope, String property, String value, Pattern pattern, String what,
            String example) {
        check(value != null, scope, property, null, "must not be null", "use a value such as \"" + example + "\"");
        check(Tokens.isUnresolved(value) || pattern.matcher(value).matches(), scope, property, "\"" + value + "\"",
                "must be " + what, "use a value such as \"" + example + "\"");
    }

    /**
     * Checks that a string is a DNS-1123 label (lower case alphanumerics and '-', at most 63 characters).
     *
     * @param scope the construct the error names
     * @param property the property the error names
     * @param value the value
     */
    public static void dnsLabel(Construct scope, String property, String value) {
        matches(scope, property, value, DNS_1123_LABEL,
                "a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, "
                        + "at most 63 characters)",
                "my-name");
    }

    /**
     * Checks that a string is a DNS-1035 label (lower case alphanumerics and '-', starting with a letter, at most 63
     * characters): what Knative allows for service names and route tags.
     *
     * @param scope the construct the error names
     * @param property the property the error names
     * @param value the value
     * @param example an allowed value, for the fix
     */
    public static void dns1035Label(Construct scope, String property, String value, String example) {
        matches(scope, property, value, DNS_1035_LABEL,
                "a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, at most 63 characters)",
                example);
    }

    /**
     * Checks that a string is a DNS-1123 subdomain (what Kubernetes allows for a Secret's name).
     *
     * @param scope the construct the error names
     * @param property the property the error names
     * @param value the value
     */
    public static void dnsSubdomain(Construct scope, String property, String value) {
        matches(scope, property, value, DNS_1123_SUBDOMAIN,
                "a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253 characters)", "my-name");
    }

    /**
     * Checks that a string is a DNS domain name of two or more lower-case labels.
     *
     * @param scope the construct the error names
     * @param property the property the error names
     * @param value the value
     */
    public static void domainName(Construct scope, String property, String value) {
        matches(scope, property, value, DOMAIN_NAME, "a DNS domain name of two or more lower-case labels",
                "example.com");
    }

    /**
     * Checks that a string is known at synth: names and namespaces decide which objects exist, and are checked for
     * clashes, so they may not be CDK tokens.
     *
     * @param scope the construct the error names
     * @param property the property the error names
     * @param value the value
     */
    public static void literal(Construct scope, String property, String value) {
        literal(scope, property, value, "it names Kubernetes objects and outputs, and is checked for clashes at synth",
                "pass the value itself");
    }

    /**
     * Checks that a string is known at synth, for the reason {@code why}.
     *
     * @param scope the construct the error names
     * @param property the property the error names
     * @param value the value
     * @param why why synth needs the value, phrased to follow "not a CDK token", e.g. "it names objects"
     * @param fix what the user should do
     */
    public static void literal(Construct scope, String property, String value, String why, String fix) {
        check(!Tokens.isUnresolved(value), scope, property, "\"" + value + "\"",
                "must be a literal string, not a CDK token (" + why + ")", fix);
    }

    /**
     * Checks that an address carries no credentials, without echoing it: the error shows a placeholder, never the
     * value.
     *
     * @param scope the construct the error names
     * @param property the property the error names
     * @param address the address, or null
     * @param fix what the user should do
     */
    public static void noCredentials(Construct scope, String property, String address, String fix) {
        check(address == null || !USER_INFO.matcher(address).matches(), scope, property,
                "<hidden: it holds credentials>",
                "must not carry a user name or password (they would be written into the template or a manifest)", fix);
    }

    /**
     * Checks that a namespace is not one of Kubernetes', Knative's or Istio's own.
     *
     * @param scope the construct the error names
     * @param property the property the error names
     * @param namespace the namespace, or null
     */
    public static void notSystemNamespace(Construct scope, String property, String namespace) {
        check(namespace == null || !SYSTEM_NAMESPACE.matcher(namespace).matches(), scope, property,
                "\"" + namespace + "\"", "must not be a namespace of Kubernetes (kube-*), Knative (knative-*) or "
                        + "Istio (istio-system)", "use \"default\" or a namespace of your own");
    }

    /**
     * Checks that a string is a container image reference with a tag or a digest.
     *
     * @param scope the construct the error names
     * @param property the property the error names
     * @param value the value
     */
    public static void imageReference(Construct scope, String property, String value) {
        matches(scope, property, value, ImageReferences.REFERENCE,
                "a container image reference ([registry/]repository[:tag][@sha256:digest])",
                "ghcr.io/org/app:1.0");
        check(Tokens.isUnresolved(value) || ImageReferences.split(value).pinned(), scope, property,
                "\"" + value + "\"", "must name a tag or a digest, or the deployment would drift with :latest",
                "add :<tag> or @sha256:<digest>");
    }

    /**
     * The properties a builder was explicitly given {@code null} for. A construct rejects them with the property's
     * name, rather than failing later with a NullPointerException or silently taking the default.
     */
    public static final class Nulls {
        private final List<String> properties = new ArrayList<>();

        /**
         * Records {@code property} if {@code value} is null; a later non-null value for it clears the record.
         *
         * @param property the property's name
         * @param value the value the builder was given
         */
        public void record(String property, Object value) {
            properties.remove(property);
            if (value == null) {
                properties.add(property);
            }
        }

        /**
         * Throws a {@link ValidationError} for the first property given null, named {@code prefix + property}.
         *
         * @param scope the construct the error names
         * @param prefix what goes before the property's name, e.g. {@code "git."}, or ""
         */
        public void check(Construct scope, String prefix) {
            if (!properties.isEmpty()) {
                String property = prefix + properties.get(0);
                Validate.check(false, scope, property, null, "must not be null",
                        "leave " + property + " unset for its default, or pass a value");
            }
        }
    }
}
