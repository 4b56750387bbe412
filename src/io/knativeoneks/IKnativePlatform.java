package io.knativeoneks;

import io.knativeoneks.k8s.DomainTemplate;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.constructs.IConstruct;
import software.constructs.IDependable;

/**
 * Istio and Knative on an EKS cluster, as workloads and event flows use it: a {@link KnativePlatform} this app
 * installs, or one another CDK app installed, imported with
 * {@link KnativePlatform#fromPlatformAttributes(software.constructs.Construct, String, KnativePlatformAttributes)}.
 *
 * <p>Implement it only through those two: workloads also use package-private operations of the platform (the record
 * of which workload owns which Kubernetes object, service account and host; the namespaces it creates; the ECR pull
 * grants of Knative Serving's controller), so a platform of another class is refused with a {@code ValidationError}.
 */
public interface IKnativePlatform extends IConstruct {
    /** @return the EKS cluster the platform runs on */
    ICluster getCluster();

    /** @return the application namespace, labelled for Istio sidecar injection */
    String getAppNamespace();

    /** @return the domain of Knative routes */
    String getDomain();

    /** @return how Knative builds service hosts: one label per service under the domain with HTTPS */
    DomainTemplate getDomainTemplate();

    /** @return the DNS name of the ingress load balancer (a deploy-time value) */
    String getIngressHostname();

    /** @return what exists once Knative Serving's webhook runs; workloads depend on it */
    IDependable getServingReady();

    /** @return what exists once Knative Eventing's webhook runs; event sources depend on it */
    IDependable getEventingReady();

    /**
     * @return what exists once the application namespace exists and is labelled for sidecar injection; builds in
     *     it depend on it
     */
    IDependable getAppNamespaceReady();

    /** @return the External Secrets Operator, installed on first use unless the platform has it already */
    ExternalSecrets externalSecrets();
}
