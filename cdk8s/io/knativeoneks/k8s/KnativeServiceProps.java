package io.knativeoneks.k8s;

import io.knativeoneks.internal.Validate;
import java.util.Map;

/** Properties of {@link KnativeService}. {@code name} and {@code image} are required. */
public final class KnativeServiceProps {
    final String name;
    final String namespace;
    final String image;
    final Map<String, String> env;
    final Integer containerPort;
    final Map<String, String> revisionAnnotations;
    final String imagePullSecret;
    final String serviceAccountName;
    final Validate.Nulls nulls;
    final boolean clusterLocal;
    final Traffic traffic;

    private KnativeServiceProps(Builder b) {
        this.name = b.name;
        this.namespace = b.namespace != null ? b.namespace : "default";
        this.image = b.image;
        this.env = b.env != null ? b.env : Map.of();
        this.containerPort = b.containerPort != null ? b.containerPort : 8080;
        this.revisionAnnotations = b.revisionAnnotations != null ? b.revisionAnnotations : Map.of();
        this.imagePullSecret = b.imagePullSecret;
        this.serviceAccountName = b.serviceAccountName;
        this.nulls = b.nulls;
        this.clusterLocal = b.clusterLocal;
        this.traffic = b.traffic;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link KnativeServiceProps}. */
    public static final class Builder {
        private String name;
        private String namespace;
        private String image;
        private Map<String, String> env;
        private Integer containerPort;
        private Map<String, String> revisionAnnotations;
        private String imagePullSecret;
        private String serviceAccountName;
        private final Validate.Nulls nulls = new Validate.Nulls();
        private boolean clusterLocal;
        private Traffic traffic;

        private Builder() {
        }

        /**
         * The service name (a DNS-1035 label); the route is {@code <name>.<namespace>.<domain>}. Required.
         *
         * @param value the service name
         * @return this builder
         */
        public Builder name(String value) {
            this.name = value;
            nulls.record("name", value);
            return this;
        }

        /**
         * The namespace.
         *
         * @param value the namespace
         * @return this builder
         * @default "default"
         */
        public Builder namespace(String value) {
            this.namespace = value;
            nulls.record("namespace", value);
            return this;
        }

        /**
         * The container image, with a tag or a digest; Knative resolves tags to digests per revision. Required.
         *
         * @param value the image reference, e.g. {@code ghcr.io/knative/helloworld-go:v1}
         * @return this builder
         */
        public Builder image(String value) {
            this.image = value;
            nulls.record("image", value);
            return this;
        }

        /**
         * Environment variables of the container, e.g. {@code TARGET}; Knative's own (PORT, K_SERVICE,
         * K_CONFIGURATION, K_REVISION) are refused.
         *
         * @param value the variables by name
         * @return this builder
         * @default none
         */
        public Builder env(Map<String, String> value) {
            this.env = value;
            nulls.record("env", value);
            return this;
        }

        /**
         * The port the container listens on; Knative passes it as {@code PORT}. The queue-proxy's ports (8008, 8012,
         * 8013, 8022, 9090, 9091) are refused.
         *
         * @param value the port
         * @return this builder
         * @default 8080
         */
        public Builder containerPort(int value) {
            this.containerPort = value;
            return this;
        }

        /**
         * Annotations of each revision, such as Knative's per-revision scaling
         * ({@code autoscaling.knative.dev/min-scale}); on the AWS side {@code io.knativeoneks.Autoscaler} checks and
         * renders them.
         *
         * @param value the annotations, e.g. {@code {"autoscaling.knative.dev/min-scale": "1"}}
         * @return this builder
         * @default none: the cluster's autoscaler settings apply
         */
        public Builder revisionAnnotations(Map<String, String> value) {
            this.revisionAnnotations = value;
            nulls.record("revisionAnnotations", value);
            return this;
        }

        /**
         * A Secret in the namespace that pulls the image (and lets Knative resolve its digest).
         *
         * @param value the Secret's name
         * @return this builder
         * @default none
         */
        public Builder imagePullSecret(String value) {
            this.imagePullSecret = value;
            nulls.record("imagePullSecret", value);
            return this;
        }

        /**
         * Reachable only inside the cluster ({@code networking.knative.dev/visibility: cluster-local}), on
         * {@code http://<name>.<namespace>.svc.cluster.local}: no host on the public domain.
         *
         * @param value whether the service is reachable only inside the cluster
         * @return this builder
         * @default false
         */
        public Builder clusterLocal(boolean value) {
            this.clusterLocal = value;
            return this;
        }

        /**
         * Revision names and the traffic split between revisions.
         *
         * @param value the revision names and traffic targets
         * @return this builder
         * @default all requests to the latest revision
         */
        public Builder traffic(Traffic value) {
            this.traffic = value;
            nulls.record("traffic", value);
            return this;
        }

        /**
         * The service account the service's pods run as, e.g. one bound to an IAM role by EKS Pod Identity.
         *
         * @param value the service account's name
         * @return this builder
         * @default the namespace's "default" service account
         */
        public Builder serviceAccountName(String value) {
            this.serviceAccountName = value;
            nulls.record("serviceAccountName", value);
            return this;
        }

        /** @return the properties */
        public KnativeServiceProps build() {
            return new KnativeServiceProps(this);
        }
    }
}
