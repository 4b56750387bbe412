package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import java.util.List;
import software.constructs.Construct;

/**
 * The namespaces applications may use: a literal DNS-1123 label that is none of Kubernetes', Knative's or Istio's,
 * nor one of the add-ons this library installs.
 */
final class ApplicationNamespace {
    /** The namespaces of the add-ons a platform may install, sorted. */
    static final List<String> ADD_ONS = List.of(CloudWatchLogs.NAMESPACE, ExternalSecrets.NAME,
            PrometheusStack.NAMESPACE);

    private ApplicationNamespace() {
    }

    /** Checks {@code namespace}, given as {@code property} of {@code scope}. */
    static void check(Construct scope, String property, String namespace) {
        Validate.literal(scope, property, namespace);
        Validate.dnsLabel(scope, property, namespace);
        Validate.notSystemNamespace(scope, property, namespace);
        Validate.check(!ADD_ONS.contains(namespace), scope, property, "\"" + namespace + "\"",
                "must not be the namespace of an add-on this library installs " + ADD_ONS,
                "use \"default\" or a namespace of your own");
    }
}
