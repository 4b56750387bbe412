package io.knativeoneks;

import org.cdk8s.Chart;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.constructs.Construct;

/**
 * Where a workload's charts go: its platform, the construct that owns (and is named for) their objects, the workload's
 * name and namespace. The workload's own manifests and those of its {@link InClusterBuild} are applied through it.
 *
 * @param platform the platform the workload runs on
 * @param owner the construct that claims the objects and that errors name: the workload
 * @param name the workload's name, which names its charts
 * @param namespace the workload's namespace
 */
record WorkloadContext(PlatformBase platform, Construct owner, String name, String namespace) {
    /**
     * Applies a cdk8s chart as a manifest of {@code scope}, after the workload's namespace, and refuses objects
     * another workload or event flow already creates.
     *
     * @param adopt whether creating the manifest takes over objects that exist in the cluster already
     */
    KubernetesManifest apply(Construct scope, String id, Chart chart, boolean adopt) {
        platform.registry().claimObjects(owner, "name", name, chart);
        KubernetesManifest manifest = platform.getClusterContext().applyChart(scope, id, chart, adopt);
        KubernetesManifest namespaceReady = platform.workloadNamespace(namespace);
        if (namespaceReady != null) {
            manifest.getNode().addDependency(namespaceReady);
        }
        return manifest;
    }
}
