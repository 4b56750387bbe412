package io.knativeoneks;

import io.knativeoneks.k8s.Autoscaler;
import java.util.Map;

/** Properties of {@link KnativeWorkload}. {@code platform}, {@code name} and {@code image} are required. */
public final class KnativeWorkloadProps {
    final KnativePlatform platform;
    final String name;
    final String namespace;
    final ImageSource image;
    final Map<String, String> env;
    final Integer containerPort;
    final Autoscaler scale;
    final String buildServiceAccount;
    final String serviceAccount;

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
    }

    /** @return the platform to run on */
    public KnativePlatform getPlatform() {
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
        private KnativePlatform platform;
        private String name;
        private String namespace;
        private ImageSource image;
        private Map<String, String> env;
        private Integer containerPort;
        private Autoscaler scale;
        private String buildServiceAccount;
        private String serviceAccount;

        AbstractBuilder() {
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** The platform to run on. Required. */
        public B platform(KnativePlatform value) {
            this.platform = value;
            return self();
        }

        /** The Knative Service name (a DNS-1035 label), e.g. "helloworld-python". Required. */
        public B name(String value) {
            this.name = value;
            return self();
        }

        /** The namespace. @default the platform's appNamespace */
        public B namespace(String value) {
            this.namespace = value;
            return self();
        }

        /** Where the image comes from. Required. */
        public B image(ImageSource value) {
            this.image = value;
            return self();
        }

        /** Environment variables, e.g. {@code Map.of("TARGET", "...")}. @default none */
        public B env(Map<String, String> value) {
            this.env = value;
            return self();
        }

        /** The port the container listens on (passed as PORT). @default 8080 */
        public B containerPort(int value) {
            this.containerPort = value;
            return self();
        }

        /**
         * Scale and cold start per revision: minScale (above 0, no cold starts), maxScale, initialScale,
         * scaleToZeroPodRetentionPeriod, stableWindow and containerConcurrencyTargetDefault (the target concurrency).
         *
         * @default the platform's autoscaler settings (scale to zero, 1 initial pod, target 100)
         */
        public B scale(Autoscaler value) {
            this.scale = value;
            return self();
        }

        /**
         * The service account an in-cluster build runs as; it gets push access to the image repository.
         *
         * @default "build-bot"
         */
        public B buildServiceAccount(String value) {
            this.buildServiceAccount = value;
            return self();
        }

        /**
         * The Kubernetes service account the service's pods run as, created with the service and bound by EKS Pod
         * Identity to the workload's own IAM role, which starts with no permissions: grant to the workload, e.g.
         * {@code bucket.grantRead(workload)}.
         *
         * @default the service's name
         */
        public B serviceAccount(String value) {
            this.serviceAccount = value;
            return self();
        }

        /** @return what this builder builds */
        public abstract T build();
    }
}
