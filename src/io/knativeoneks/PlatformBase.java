package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import io.knativeoneks.k8s.KnativeChart;
import java.util.HashMap;
import java.util.Map;
import org.cdk8s.App;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.constructs.Construct;

/**
 * What workloads and event flows use of an {@link IKnativePlatform} beyond its public getters, shared by
 * {@link KnativePlatform} and the platforms it imports: the record of who owns which object, the namespaces workloads
 * run in, the cluster as they use it, and the grants of Knative Serving's controller. Not API: the interface cannot
 * declare package-private methods, so workloads reach these through {@link #of}.
 */
abstract class PlatformBase extends Construct implements IKnativePlatform {
    private final ObjectRegistry registry = new ObjectRegistry(this);
    /** Namespaces other than the application namespace, created on first use. */
    private final Map<String, KubernetesManifest> workloadNamespaces = new HashMap<>();

    PlatformBase(Construct scope, String id) {
        super(scope, id);
    }

    /**
     * The platform a workload or event flow was given, with its package-private side; refuses an implementation of
     * {@link IKnativePlatform} by another class, which has none.
     */
    static PlatformBase of(Construct user, IKnativePlatform platform) {
        Validate.check(platform instanceof PlatformBase, user, "platform", platform.getNode().getPath(),
                "is an IKnativePlatform of another class than KnativePlatform's, which workloads cannot run on",
                "pass a KnativePlatform, or one imported with KnativePlatform.fromPlatformAttributes(...)");
        return (PlatformBase) platform;
    }

    /** @return who owns which Kubernetes object, service account and host among this app's workloads */
    final ObjectRegistry registry() {
        return registry;
    }

    /** @return the cluster as the platform's and its workloads' constructs use it */
    abstract ClusterContext getClusterContext();

    /** @return whether revisions may start at zero pods (the platform's autoscaler sets initialScale 0) */
    abstract boolean allowsZeroInitialScale();

    /** @return whether services answer HTTPS (the platform has a hosted zone) */
    abstract boolean servesHttps();

    /** @return the certificate and DNS record of the public domain, or null when this app has none */
    abstract PublicDomain getPublicDomain();

    /** Grants Knative Serving's controller pull on {@code repository}, as a policy of {@code from}'s stack. */
    abstract void grantImagePull(Construct from, IRepository repository);

    /**
     * The namespace a workload runs in, if it is not the application namespace: created on first use, labelled for
     * Istio sidecar injection.
     *
     * @return what the workload's manifests must come after, or null for the application namespace
     */
    final KubernetesManifest workloadNamespace(String namespace) {
        if (namespace.equals(getAppNamespace())) {
            return null;
        }
        return workloadNamespaces.computeIfAbsent(namespace, ns -> newNamespace("Namespace-" + ns, ns));
    }

    /**
     * A new namespace for applications, labelled for injection, applied on its own as soon as the API server
     * answers: builds in it need neither Istio nor Knative.
     */
    final KubernetesManifest newNamespace(String id, String namespace) {
        org.cdk8s.Chart chart = new org.cdk8s.Chart(new App(), "namespace-" + namespace);
        KnativeChart.appNamespace(chart, "Namespace", namespace);
        return getClusterContext().applyChart(this, id, chart);
    }
}
