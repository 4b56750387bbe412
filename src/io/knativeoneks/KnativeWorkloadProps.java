package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import io.knativeoneks.k8s.Traffic;
import java.util.List;
import java.util.Map;

/** Properties of {@link KnativeWorkload}. {@code platform}, {@code name} and {@code image} are required. */
public final class KnativeWorkloadProps {
    final IKnativePlatform platform;
    final String name;
    final String namespace;
    final ImageSource image;
    final Map<String, String> env;
    final Integer containerPort;
    final Autoscaler scale;
    final String buildServiceAccount;
    final String serviceAccount;
    final Validate.Nulls nulls;
    final boolean clusterLocal;
    final Traffic traffic;
    final List<CustomDomain> customDomains;

    KnativeWorkloadProps(AbstractBuilder<?, ?> b) {
        this.platform = b.platform;
        this.name = b.name;
        this.namespace = b.namespace;
        this.image = b.image;
        this.env = b.env != null ? b.env : Map.of();
        this.containerPort = b.containerPort;
        this.scale = b.scale;
        this.buildServiceAccount = b.buildServiceAccount != null ? b.buildServiceAccount : "build-bot";
        this.serviceAccount = b.serviceAccount != null ? b.serviceAccount : b.name;
        this.nulls = b.nulls;
        this.clusterLocal = b.clusterLocal;
        this.traffic = b.traffic;
        this.customDomains = b.customDomains != null ? List.copyOf(b.customDomains) : List.of();
    }

    /** @return the platform to run on */
    public IKnativePlatform getPlatform() {
        return platform;
    }

    /** @return the Knative Service name */
    public String getName() {
        return name;
    }

    /** @return the namespace, or null for the platform's appNamespace */
    public String getNamespace() {
        return namespace;
    }

    /** @return where the image comes from */
    public ImageSource getImage() {
        return image;
    }

    /** @return the environment variables */
    public Map<String, String> getEnv() {
        return env;
    }

    /** @return the container port, or null for 8080 */
    public Integer getContainerPort() {
        return containerPort;
    }

    /** @return the per-revision scale settings, or null for the platform's */
    public Autoscaler getScale() {
        return scale;
    }

    /** @return the service account an in-cluster build runs as */
    public String getBuildServiceAccount() {
        return buildServiceAccount;
    }

    /** @return the service account the service's pods run as */
    public String getServiceAccount() {
        return serviceAccount;
    }

    /** @return whether the service is reachable only inside the cluster */
    public boolean getClusterLocal() {
        return clusterLocal;
    }

    /** @return the revision names and traffic split, or null for all traffic to the latest revision */
    public Traffic getTraffic() {
        return traffic;
    }

    /** @return the custom domains the service also answers on */
    public List<CustomDomain> getCustomDomains() {
        return customDomains;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link KnativeWorkloadProps}. */
    public static final class Builder extends AbstractBuilder<Builder, KnativeWorkloadProps> {
        @Override
        public KnativeWorkloadProps build() {
            return new KnativeWorkloadProps(this);
        }
    }

    /**
     * The setters shared by {@link Builder} and {@link KnativeWorkload.Builder}.
     *
     * @param <B> the concrete builder
     * @param <T> what it builds
     */
    public abstract static class AbstractBuilder<B extends AbstractBuilder<B, T>, T> {
        private IKnativePlatform platform;
        private String name;
        private String namespace;
        private ImageSource image;
        private Map<String, String> env;
        private Integer containerPort;
        private Autoscaler scale;
        private String buildServiceAccount;
        private String serviceAccount;
        private final Validate.Nulls nulls = new Validate.Nulls();
        private boolean clusterLocal;
        private Traffic traffic;
        private List<CustomDomain> customDomains;

        AbstractBuilder() {
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /**
         * The platform to run on: a {@link KnativePlatform}, or one another app installed
         * ({@link KnativePlatform#fromPlatformAttributes}). Required.
         *
         * @param value the platform
         * @return this builder
         */
        public B platform(IKnativePlatform value) {
            this.platform = value;
            nulls.record("platform", value);
            return self();
        }

        /**
         * The Knative Service name (a DNS-1035 label), e.g. "helloworld-python". Required.
         *
         * @param value the service name
         * @return this builder
         */
        public B name(String value) {
            this.name = value;
            nulls.record("name", value);
            return self();
        }

        /**
         * The namespace. One other than the platform's appNamespace is created (labelled for Istio sidecar
         * injection); the namespaces of Kubernetes, Knative, Istio and the add-ons are refused.
         *
         * @param value the namespace
         * @return this builder
         * @default the platform's appNamespace
         */
        public B namespace(String value) {
            this.namespace = value;
            nulls.record("namespace", value);
            return self();
        }

        /**
         * Where the image comes from. Required.
         *
         * @param value the image source, e.g. {@code ImageSource.fromLocalDirectory("app")}
         * @return this builder
         */
        public B image(ImageSource value) {
            this.image = value;
            nulls.record("image", value);
            return self();
        }

        /**
         * Environment variables, e.g. {@code Map.of("TARGET", "...")}; Knative's own (PORT, K_SERVICE,
         * K_CONFIGURATION, K_REVISION) are refused.
         *
         * @param value the variables by name
         * @return this builder
         * @default none
         */
        public B env(Map<String, String> value) {
            this.env = value;
            nulls.record("env", value);
            return self();
        }

        /**
         * The port the container listens on (passed as PORT); the queue-proxy's ports (8008, 8012, 8013, 8022, 9090,
         * 9091) are refused.
         *
         * @param value the port
         * @return this builder
         * @default 8080
         */
        public B containerPort(int value) {
            this.containerPort = value;
            return self();
        }

        /**
         * Scale and cold start per revision: minScale (above 0, no cold starts), maxScale, initialScale,
         * scaleToZeroPodRetentionPeriod, stableWindow and containerConcurrencyTargetDefault (the target concurrency).
         *
         * @param value the per-revision settings
         * @return this builder
         * @default the platform's autoscaler settings (scale to zero, 1 initial pod, target 100)
         */
        public B scale(Autoscaler value) {
            this.scale = value;
            nulls.record("scale", value);
            return self();
        }

        /**
         * The service account an in-cluster build runs as; it gets push access to the image repository, so it may not
         * be the namespace's {@code default}.
         *
         * @param value the service account's name
         * @return this builder
         * @default "build-bot"
         */
        public B buildServiceAccount(String value) {
            this.buildServiceAccount = value;
            nulls.record("buildServiceAccount", value);
            return self();
        }

        /**
         * Reachable only inside the cluster, on {@code http://<name>.<namespace>.svc.cluster.local}: no public
         * host, no DNS name under the domain; the stack output says how other services call it.
         *
         * @param value whether the service is reachable only inside the cluster
         * @return this builder
         * @default false
         */
        public B clusterLocal(boolean value) {
            this.clusterLocal = value;
            return self();
        }

        /**
         * Revision names and the traffic split between revisions, e.g. a canary at 10% with tags whose URLs are
         * stack outputs (see {@link Traffic}).
         *
         * @param value the revision names and traffic targets
         * @return this builder
         * @default all requests to the latest revision, Knative's revision names
         */
        public B traffic(Traffic value) {
            this.traffic = value;
            nulls.record("traffic", value);
            return self();
        }

        /**
         * Names outside the platform's wildcard the service also answers on over HTTPS (Knative DomainMappings),
         * e.g. {@code List.of(CustomDomain.of("www.example.net", zone))}: each goes on the platform's certificate
         * and gets a CNAME to the load balancer in its zone. Needs the platform's hostedZone; not with clusterLocal.
         *
         * @param value the names with their zones
         * @return this builder
         * @default none
         */
        public B customDomains(List<CustomDomain> value) {
            this.customDomains = value;
            nulls.record("customDomains", value);
            return self();
        }

        /**
         * The Kubernetes service account the service's pods run as, created with the service and bound by EKS Pod
         * Identity to the workload's own IAM role, which starts with no permissions: grant to the workload, e.g.
         * {@code bucket.grantRead(workload)}. Not the namespace's {@code default} (every pod without a service account
         * of its own would get the role), nor one another workload's service or build uses.
         *
         * @param value the service account's name
         * @return this builder
         * @default the service's name
         */
        public B serviceAccount(String value) {
            this.serviceAccount = value;
            nulls.record("serviceAccount", value);
            return self();
        }

        /** @return what this builder builds */
        public abstract T build();
    }
}
