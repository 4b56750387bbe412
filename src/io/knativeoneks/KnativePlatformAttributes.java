package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.eks_v2.ICluster;

/**
 * Attributes of a {@link KnativePlatform} another CDK app installed, for
 * {@link KnativePlatform#fromPlatformAttributes(software.constructs.Construct, String, KnativePlatformAttributes)}.
 * {@code cluster} and {@code servingControllerRoleArn} are required; the others must match how that app built its
 * platform (their defaults are the platform's).
 */
public final class KnativePlatformAttributes {
    final ICluster cluster;
    final String servingControllerRoleArn;
    final String appNamespace;
    final String domain;
    final boolean https;
    final String ingressHostname;
    final String externalSecretsRoleArn;
    final boolean zeroInitialScale;
    final RemovalPolicy removalPolicy;
    final Validate.Nulls nulls;

    private KnativePlatformAttributes(Builder b) {
        this.cluster = b.cluster;
        this.servingControllerRoleArn = b.servingControllerRoleArn;
        this.appNamespace = b.appNamespace != null ? b.appNamespace : KnativePlatformProps.DEFAULT_APP_NAMESPACE;
        this.domain = b.domain != null ? b.domain : KnativePlatformProps.DEFAULT_DOMAIN;
        this.https = b.https;
        this.ingressHostname = b.ingressHostname;
        this.externalSecretsRoleArn = b.externalSecretsRoleArn;
        this.zeroInitialScale = b.zeroInitialScale;
        this.removalPolicy = b.removalPolicy != null ? b.removalPolicy : RemovalPolicy.DESTROY;
        this.nulls = b.nulls;
    }

    /** @return the cluster the platform runs on */
    public ICluster getCluster() {
        return cluster;
    }

    /** @return the ARN of Knative Serving's controller role */
    public String getServingControllerRoleArn() {
        return servingControllerRoleArn;
    }

    /** @return the platform's application namespace */
    public String getAppNamespace() {
        return appNamespace;
    }

    /** @return the domain of Knative routes */
    public String getDomain() {
        return domain;
    }

    /** @return whether the platform has a hosted zone (HTTPS URLs) */
    public boolean getHttps() {
        return https;
    }

    /** @return the DNS name of the ingress load balancer, or null to read it from the cluster */
    public String getIngressHostname() {
        return ingressHostname;
    }

    /** @return the role of the External Secrets Operator the platform's app installed, or null */
    public String getExternalSecretsRoleArn() {
        return externalSecretsRoleArn;
    }

    /** @return whether the platform's autoscaler lets revisions start at zero pods */
    public boolean getZeroInitialScale() {
        return zeroInitialScale;
    }

    /** @return what happens to the data-bearing resources this app's workloads create on stack deletion */
    public RemovalPolicy getRemovalPolicy() {
        return removalPolicy;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link KnativePlatformAttributes}. */
    public static final class Builder {
        private ICluster cluster;
        private String servingControllerRoleArn;
        private String appNamespace;
        private String domain;
        private boolean https;
        private String ingressHostname;
        private String externalSecretsRoleArn;
        private boolean zeroInitialScale;
        private RemovalPolicy removalPolicy;
        private final Validate.Nulls nulls = new Validate.Nulls();

        private Builder() {
        }

        /**
         * The cluster the platform runs on, imported into this app with {@code Cluster.fromClusterAttributes(...)}
         * and its kubectl provider. Required.
         *
         * @param value the cluster
         * @return this builder
         */
        public Builder cluster(ICluster value) {
            this.cluster = value;
            nulls.record("cluster", value);
            return this;
        }

        /**
         * The ARN of Knative Serving's controller role ({@code platform.getServingControllerRole().getRole()
         * .getRoleArn()} in the platform's app): workloads with images in this app's ECR repositories grant it pull,
         * as policies of their own stacks. Required.
         *
         * @param value the role ARN, e.g. {@code arn:aws:iam::123456789012:role/ServingController}
         * @return this builder
         */
        public Builder servingControllerRoleArn(String value) {
            this.servingControllerRoleArn = value;
            nulls.record("servingControllerRoleArn", value);
            return this;
        }

        /**
         * The platform's application namespace: workloads run there by default, and other namespaces are created
         * by this app.
         *
         * @param value the namespace
         * @return this builder
         * @default "default"
         */
        public Builder appNamespace(String value) {
            this.appNamespace = value;
            nulls.record("appNamespace", value);
            return this;
        }

        /**
         * The platform's domain of Knative routes.
         *
         * @param value the domain
         * @return this builder
         * @default "example.com"
         */
        public Builder domain(String value) {
            this.domain = value;
            nulls.record("domain", value);
            return this;
        }

        /**
         * Whether the platform has a hosted zone: services answer HTTPS on {@code <service>-<namespace>.<domain>};
         * otherwise plain HTTP on {@code <service>.<namespace>.<domain>}. Custom domains stay with the platform's
         * app (its certificate covers them).
         *
         * @param value whether the platform serves HTTPS
         * @return this builder
         * @default false
         */
        public Builder https(boolean value) {
            this.https = value;
            return this;
        }

        /**
         * The DNS name of the ingress load balancer (the platform's {@code IngressLoadBalancer} output), for the
         * workloads' curl commands.
         *
         * @param value the host name
         * @return this builder
         * @default read from the gateway's Service at deploy time
         */
        public Builder ingressHostname(String value) {
            this.ingressHostname = value;
            nulls.record("ingressHostname", value);
            return this;
        }

        /**
         * The role ARN of the External Secrets Operator the platform's app installed
         * ({@code platform.externalSecrets().getRole().getRoleArn()}): workloads with registry credentials grant it
         * read on their secrets.
         *
         * @param value the role ARN
         * @return this builder
         * @default none: the operator is installed by this app on first use (the platform's app must not have it)
         */
        public Builder externalSecretsRoleArn(String value) {
            this.externalSecretsRoleArn = value;
            nulls.record("externalSecretsRoleArn", value);
            return this;
        }

        /**
         * Whether the platform's autoscaler has {@code initialScale(0)}, which lets workloads start at zero pods.
         *
         * @param value whether revisions may start at zero pods
         * @return this builder
         * @default false
         */
        public Builder zeroInitialScale(boolean value) {
            this.zeroInitialScale = value;
            return this;
        }

        /**
         * What happens on stack deletion to the data-bearing resources this app's workloads create (image
         * repositories with their images): {@code DESTROY}, {@code RETAIN} or {@code RETAIN_ON_UPDATE_OR_DELETE}.
         *
         * @param value the removal policy
         * @return this builder
         * @default RemovalPolicy.DESTROY
         */
        public Builder removalPolicy(RemovalPolicy value) {
            this.removalPolicy = value;
            nulls.record("removalPolicy", value);
            return this;
        }

        /** @return the attributes */
        public KnativePlatformAttributes build() {
            return new KnativePlatformAttributes(this);
        }
    }
}
