package io.knativeoneks.k8s;

import io.knativeoneks.internal.Validate;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;
import org.cdk8s.plus25.Namespace;
import org.cdk8s.plus25.NamespaceProps;
import software.constructs.Construct;

/**
 * Knative's control-plane configuration: the {@code knative-serving} and {@code knative-eventing} namespaces, the
 * {@link KnativeServing} and {@link KnativeEventing} resources in them, and optionally a new application namespace
 * with Istio sidecar injection. Each namespace comes before the objects in it.
 *
 * <p>Needs the Knative Operator (its CRDs and webhook) and Istio installed first.
 *
 * <pre>{@code
 * App app = new App();
 * new KnativeChart(app, "knative", KnativeServingProps.builder().domain("apps.example.org").build(), "apps");
 * app.synth();
 * }</pre>
 */
public final class KnativeChart extends Chart {
    /** The label that turns on Istio sidecar injection for a namespace. */
    public static final String ISTIO_INJECTION_LABEL = "istio-injection";
    /** Namespaces Kubernetes creates and owns; this chart never creates or deletes them. */
    public static final Set<String> BUILT_IN_NAMESPACES = Set.of("default", "kube-system", "kube-public",
            "kube-node-lease");

    private final KnativeServing serving;
    private final KnativeEventing eventing;

    /**
     * @param scope the chart's parent, usually a cdk8s {@code App}
     * @param id the chart's id
     * @param serving what Knative Serving looks like; its version is used for Eventing too
     * @param appNamespace a namespace to create for applications, labelled for sidecar injection; null to create none
     *     (label an existing namespace such as {@code default} another way)
     */
    public KnativeChart(Construct scope, String id, KnativeServingProps serving, String appNamespace) {
        super(scope, id, ChartProps.builder().labels(Map.of("app.kubernetes.io/part-of", "knative-on-eks")).build());
        Validate.required(this, "serving", serving,
                "pass KnativeServingProps.builder().build() for Knative's defaults");
        if (appNamespace != null) {
            Validate.dnsLabel(this, "appNamespace", appNamespace);
            Validate.notSystemNamespace(this, "appNamespace", appNamespace);
            Validate.check(!BUILT_IN_NAMESPACES.contains(appNamespace), this, "appNamespace",
                    "\"" + appNamespace + "\"", "must not be a namespace Kubernetes creates itself "
                            + new TreeSet<>(BUILT_IN_NAMESPACES) + ", or deleting this chart would delete it",
                    "pass null here and label the existing namespace with a patch");
            appNamespace(this, "AppNamespace", appNamespace);
        }
        Namespace servingNamespace = namespace("ServingNamespace", KnativeServing.NAMESPACE, Map.of());
        this.serving = new KnativeServing(this, "Serving", serving);
        this.serving.getResource().addDependency(servingNamespace);

        Namespace eventingNamespace = namespace("EventingNamespace", KnativeEventing.NAMESPACE, Map.of());
        this.eventing = new KnativeEventing(this, "Eventing", serving.getVersion(), serving.getObservability());
        this.eventing.getResource().addDependency(eventingNamespace);
    }

    /**
     * A namespace for applications, labelled for Istio sidecar injection.
     *
     * @param scope the namespace's parent
     * @param id the namespace's construct id
     * @param name the namespace's name
     * @return the namespace
     */
    public static Namespace appNamespace(Construct scope, String id, String name) {
        return namespace(scope, id, name, Map.of(ISTIO_INJECTION_LABEL, "enabled"));
    }

    private Namespace namespace(String id, String name, Map<String, String> labels) {
        return namespace(this, id, name, labels);
    }

    private static Namespace namespace(Construct scope, String id, String name, Map<String, String> labels) {
        return new Namespace(scope, id, NamespaceProps.builder()
                .metadata(ApiObjectMetadata.builder().name(name).labels(labels).build())
                .build());
    }

    /** @return the {@code KnativeServing} resource */
    public KnativeServing getServing() {
        return serving;
    }

    /** @return the {@code KnativeEventing} resource */
    public KnativeEventing getEventing() {
        return eventing;
    }
}
