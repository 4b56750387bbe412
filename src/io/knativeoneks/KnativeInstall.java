package io.knativeoneks;

import io.knativeoneks.common.Versions;
import io.knativeoneks.k8s.DomainTemplate;
import io.knativeoneks.k8s.KnativeChart;
import io.knativeoneks.k8s.KnativeEventing;
import io.knativeoneks.k8s.KnativeMonitors;
import io.knativeoneks.k8s.KnativeServing;
import io.knativeoneks.k8s.KnativeServingProps;
import java.util.Map;
import org.cdk8s.App;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.services.eks_v2.HelmChart;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.eks_v2.KubernetesPatch;
import software.amazon.awscdk.services.eks_v2.PatchType;
import software.constructs.IConstruct;
import software.constructs.IDependable;

/**
 * The part of a {@link KnativePlatform} that is Knative: the Knative Operator chart, the {@link KnativeChart}
 * (KnativeServing with Istio ingress, KnativeEventing) applied after the operator, istiod and the Serving
 * controller's EKS Pod Identity, the application namespace labelled for injection, and the readiness gates workloads
 * wait for. Not a construct: what it creates belongs to the platform, so its resources keep their logical IDs.
 */
final class KnativeInstall {
    private final HelmChart operator;
    private final KnativeChart chart;
    private final IConstruct appNamespaceReady;
    private final PodIdentityRole servingControllerRole;
    private final KubernetesManifest resources;
    private final ReadinessWait servingReady;
    private final ReadinessWait eventingReady;

    /**
     * @param template how Knative builds service hosts
     * @param https whether TLS ends at the load balancer (the platform has a public domain)
     * @param istiod what Knative's resources come after: net-istio's Gateway objects need Istio's CRDs and webhook,
     *     not the load balancer, which comes up in parallel
     */
    KnativeInstall(PlatformBase platform, ClusterContext cluster, KnativePlatformProps props,
            DomainTemplate template, boolean https, IConstruct istiod) {
        operator = cluster.addHelmChart(platform, "KnativeOperator", Versions.KNATIVE_OPERATOR_REPOSITORY,
                "knative-operator", Versions.KNATIVE_OPERATOR, "knative-operator", "knative-operator",
                Map.of());
        KnativeServingProps.Builder serving = KnativeServingProps.builder()
                .version(props.knativeVersion)
                .domain(props.domain)
                .domainTemplate(template)
                .externalHttps(https);
        if (props.autoscaler != null) {
            serving.autoscaler(props.autoscaler.toConfig(platform));
        }
        if (props.metrics != null) {
            serving.observability(KnativeMonitors.OBSERVABILITY);
        }
        chart = new KnativeChart(new App(), "knative", serving.build(), null);
        // The application namespace exists, labelled for injection, as soon as the API server answers: builds
        // in it need neither Istio nor Knative.
        appNamespaceReady = KnativeChart.BUILT_IN_NAMESPACES.contains(props.appNamespace)
                ? labelForInjection(platform, props.appNamespace)
                : platform.newNamespace("AppNamespace", props.appNamespace);
        // Knative Serving's controller resolves image tags to digests itself, so it needs registry credentials (the
        // 2019 ECR 401): an EKS Pod Identity that exists before the controller's pods start. Workloads grant it pull
        // on their repositories.
        servingControllerRole = new PodIdentityRole(platform, "ServingController", cluster.getCluster(),
                KnativeServing.NAMESPACE, "controller");
        resources = cluster.applyChart(platform, "KnativeResources", chart);
        resources.getNode().addDependency(operator, istiod, servingControllerRole);
        cluster.afterPodIdentityAgent(resources);
        servingReady = deploymentReady(platform, "ServingReady", KnativeServing.NAMESPACE, "webhook");
        servingReady.getNode().addDependency(appNamespaceReady);
        eventingReady = deploymentReady(platform, "EventingReady", KnativeEventing.NAMESPACE, "eventing-webhook");
    }

    /** Labels an existing namespace for sidecar injection, and removes only that label on delete. */
    private static KubernetesPatch labelForInjection(PlatformBase platform, String namespace) {
        KubernetesPatch patch = KubernetesPatch.Builder.create(platform, "AppNamespaceInjection")
                .cluster(platform.getCluster())
                .resourceName("namespace/" + namespace)
                .patchType(PatchType.MERGE)
                .applyPatch(Map.of("metadata", Map.of("labels", Map.of(KnativeChart.ISTIO_INJECTION_LABEL,
                        "enabled"))))
                .restorePatch(Map.of())
                .build();
        // A merge patch deletes a key set to null; jsii drops nulls from Java maps, so the restore patch is
        // written as JSON text.
        CfnResource resource = (CfnResource) patch.getNode().findChild("Resource").getNode().getDefaultChild();
        resource.addPropertyOverride("RestorePatchJson",
                "{\"metadata\":{\"labels\":{\"" + KnativeChart.ISTIO_INJECTION_LABEL + "\":null}}}");
        return patch;
    }

    /**
     * Waits until a Deployment has a ready replica; fails the deploy at once when its pods cannot pull their image
     * or crash repeatedly, and after the Helm timeout otherwise.
     */
    private ReadinessWait deploymentReady(PlatformBase platform, String id, String namespace, String name) {
        ReadinessWait ready = new ReadinessWait(platform, id, platform, ReadinessWait.Kind.DEPLOYMENT, namespace,
                name);
        ready.getNode().addDependency(resources);
        return ready;
    }

    /** @return the Knative Operator chart */
    HelmChart getOperator() {
        return operator;
    }

    /** @return the cdk8s chart of the KnativeServing and KnativeEventing resources */
    KnativeChart getChart() {
        return chart;
    }

    /** @return the manifest of the KnativeServing and KnativeEventing resources */
    KubernetesManifest getResources() {
        return resources;
    }

    /** @return the role of Knative Serving's controller */
    PodIdentityRole getServingControllerRole() {
        return servingControllerRole;
    }

    /** @return what exists once the application namespace exists and is labelled for sidecar injection */
    IDependable getAppNamespaceReady() {
        return appNamespaceReady;
    }

    /** @return what exists once Knative Serving's webhook runs */
    IDependable getServingReady() {
        return servingReady;
    }

    /** @return what exists once Knative Eventing's webhook runs */
    IDependable getEventingReady() {
        return eventingReady;
    }
}
