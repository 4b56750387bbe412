package io.knativeoneks.k8s;

import io.knativeoneks.internal.Tokens;
import io.knativeoneks.internal.Validate;
import software.constructs.Construct;

/**
 * How Knative builds a public service's host name from its name, its namespace and the domain (Knative's
 * {@code domain-template} in {@code config-network}). A route tag's host uses Knative's default tag template,
 * {@code {{.Tag}}-{{.Name}}}, in the place of the name.
 */
public enum DomainTemplate {
    /** Knative's default, {@code <name>.<namespace>.<domain>}: one DNS level per namespace. */
    DOTTED("{{.Name}}.{{.Namespace}}.{{.Domain}}", "."),
    /**
     * {@code <name>-<namespace>.<domain>}: every host is one label under the domain, so one wildcard certificate
     * {@code *.<domain>} covers every service and tag.
     */
    ONE_LABEL("{{.Name}}-{{.Namespace}}.{{.Domain}}", "-");

    /** The longest DNS label. */
    public static final int MAX_LABEL = 63;
    /** The longest DNS name. */
    public static final int MAX_NAME = 253;

    private final String template;
    private final String separator;

    DomainTemplate(String template, String separator) {
        this.template = template;
        this.separator = separator;
    }

    /** @return the Go template Knative evaluates */
    public String getTemplate() {
        return template;
    }

    /**
     * The host Knative gives a service, checked against DNS limits: no label over {@value #MAX_LABEL} characters, no
     * name over {@value #MAX_NAME}.
     *
     * @param scope the construct the error names
     * @param property the property that names the service (or the tag), for the error message
     * @param name the service's name
     * @param namespace the service's namespace
     * @param domain the domain
     * @return the host
     */
    public String host(Construct scope, String property, String name, String namespace, String domain) {
        String host = name + separator + namespace + "." + domain;
        if (Tokens.isUnresolved(host)) {
            return host;
        }
        for (String label : host.split("\\.")) {
            Validate.check(label.length() <= MAX_LABEL, scope, property, "\"" + name + "\"",
                    "makes the host " + host + " under Knative's domain template " + template + ", whose label \""
                            + label + "\" has " + label.length() + " characters, more than DNS allows ("
                            + MAX_LABEL + ")",
                    "shorten the name or the namespace");
        }
        Validate.check(host.length() <= MAX_NAME, scope, property, "\"" + name + "\"",
                "makes the host " + host + " under Knative's domain template " + template + ", "
                        + host.length() + " characters, more than DNS allows (" + MAX_NAME + ")",
                "shorten the name, the namespace or the domain");
        return host;
    }

    /**
     * The host of a route tag (Knative's tag template {@code {{.Tag}}-{{.Name}}} takes the name's place).
     *
     * @param scope the construct the error names
     * @param tag the tag
     * @param name the service's name
     * @param namespace the service's namespace
     * @param domain the domain
     * @return the host
     */
    public String tagHost(Construct scope, String tag, String name, String namespace, String domain) {
        return host(scope, "traffic", tag + "-" + name, namespace, domain);
    }
}
