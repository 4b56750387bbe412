package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import io.knativeoneks.common.Versions;
import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.eks_v2.KubernetesVersion;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.amazon.awscdk.services.logs.RetentionDays;

/** Properties of {@link KnativeCluster}. All are optional. */
public final class KnativeClusterProps {
    /** The default Kubernetes version, {@link Versions#KUBERNETES}. */
    public static final KubernetesVersion DEFAULT_KUBERNETES_VERSION = KubernetesVersion.of(Versions.KUBERNETES);
    /** The default node instance type: 4 vCPU and 16 GiB, room for the Istio and Knative control planes. */
    public static final InstanceType DEFAULT_INSTANCE_TYPE = new InstanceType("m6i.xlarge");
    /** The default number of nodes, as in the 2019 walkthrough. */
    public static final int DEFAULT_DESIRED_SIZE = 2;
    /** The context key read when {@code adminPrincipalArn} is not set. */
    public static final String ADMIN_PRINCIPAL_CONTEXT_KEY = "adminPrincipalArn";

    final IVpc vpc;
    final KubernetesVersion kubernetesVersion;
    final ILayerVersion kubectlLayer;
    final InstanceType instanceType;
    final Integer desiredSize;
    final Integer minSize;
    final Integer maxSize;
    final String adminPrincipalArn;
    final List<String> apiAllowedCidrs;
    final RemovalPolicy removalPolicy;
    final RetentionDays logRetention;
    final Validate.Nulls nulls;

    KnativeClusterProps(AbstractBuilder<?, ?> b) {
        this.vpc = b.vpc;
        this.kubernetesVersion = b.kubernetesVersion;
        this.kubectlLayer = b.kubectlLayer;
        this.instanceType = b.instanceType;
        this.desiredSize = b.desiredSize;
        this.minSize = b.minSize;
        this.maxSize = b.maxSize;
        this.adminPrincipalArn = b.adminPrincipalArn;
        this.apiAllowedCidrs = b.apiAllowedCidrs;
        this.removalPolicy = b.removalPolicy;
        this.logRetention = b.logRetention;
        this.nulls = b.nulls;
    }

    /** @return the VPC, or null for a new one */
    public IVpc getVpc() {
        return vpc;
    }

    /** @return the Kubernetes version, or null for the default */
    public KubernetesVersion getKubernetesVersion() {
        return kubernetesVersion;
    }

    /** @return the kubectl layer, or null for the npm package's */
    public ILayerVersion getKubectlLayer() {
        return kubectlLayer;
    }

    /** @return the node instance type, or null for the default */
    public InstanceType getInstanceType() {
        return instanceType;
    }

    /** @return the desired number of nodes, or null for the default */
    public Integer getDesiredSize() {
        return desiredSize;
    }

    /** @return the least number of nodes, or null for desiredSize */
    public Integer getMinSize() {
        return minSize;
    }

    /** @return the most nodes, or null for the default */
    public Integer getMaxSize() {
        return maxSize;
    }

    /** @return the cluster-admin principal, or null for the context value or none */
    public String getAdminPrincipalArn() {
        return adminPrincipalArn;
    }

    /** @return the CIDR blocks that may reach the public API endpoint, or null for all */
    public List<String> getApiAllowedCidrs() {
        return apiAllowedCidrs;
    }

    /** @return what happens to data-bearing resources on stack deletion, or null for DESTROY */
    public RemovalPolicy getRemovalPolicy() {
        return removalPolicy;
    }

    /** @return how long the stack's log groups keep their logs, or null for a year */
    public RetentionDays getLogRetention() {
        return logRetention;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link KnativeClusterProps}. */
    public static final class Builder extends AbstractBuilder<Builder, KnativeClusterProps> {
        @Override
        public KnativeClusterProps build() {
            return new KnativeClusterProps(this);
        }
    }

    /**
     * The setters shared by {@link Builder} and {@link KnativeCluster.Builder}.
     *
     * @param <B> the concrete builder
     * @param <T> what it builds
     */
    public abstract static class AbstractBuilder<B extends AbstractBuilder<B, T>, T> {
        private IVpc vpc;
        private KubernetesVersion kubernetesVersion;
        private ILayerVersion kubectlLayer;
        private InstanceType instanceType;
        private Integer desiredSize;
        private Integer minSize;
        private Integer maxSize;
        private String adminPrincipalArn;
        private List<String> apiAllowedCidrs;
        private RemovalPolicy removalPolicy;
        private RetentionDays logRetention;
        private final Validate.Nulls nulls = new Validate.Nulls();

        AbstractBuilder() {
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /**
         * The VPC to run the cluster in.
         *
         * @param value the VPC
         * @return this builder
         * @default a new VPC over 2 availability zones with one NAT gateway
         */
        public B vpc(IVpc value) {
            this.vpc = value;
            nulls.record("vpc", value);
            return self();
        }

        /**
         * The Kubernetes version. The pinned Knative release, {@value Versions#KNATIVE}, needs Kubernetes
         * 1.{@value Versions#KNATIVE_MIN_KUBERNETES_MINOR} or newer; the default kubectl layer serves one minor either
         * side of its own, 1.{@value Versions#KUBECTL_LAYER_MINOR}. A cluster created with an older default is
         * upgraded in place (one minor per deploy) when this default moves; set it to control when.
         *
         * @param value the Kubernetes version
         * @return this builder
         * @default {@link KnativeClusterProps#DEFAULT_KUBERNETES_VERSION}, Kubernetes {@value Versions#KUBERNETES}
         */
        public B kubernetesVersion(KubernetesVersion value) {
            this.kubernetesVersion = value;
            nulls.record("kubernetesVersion", value);
            return self();
        }

        /**
         * The Lambda layer with kubectl and helm used to apply charts. It must be within one minor of the cluster's
         * Kubernetes version; pass your own for a version the default does not serve.
         *
         * @param value a layer with kubectl and helm
         * @return this builder
         * @default a {@link NpmKubectlLayer} (kubectl 1.{@value Versions#KUBECTL_LAYER_MINOR}) from node_modules
         */
        public B kubectlLayer(ILayerVersion value) {
            this.kubectlLayer = value;
            nulls.record("kubectlLayer", value);
            return self();
        }

        /**
         * The EC2 instance type of the nodes; the AMI (AL2023, x86 or ARM) follows it.
         *
         * @param value the instance type
         * @return this builder
         * @default m6i.xlarge
         */
        public B instanceType(InstanceType value) {
            this.instanceType = value;
            nulls.record("instanceType", value);
            return self();
        }

        /**
         * The number of nodes to start with.
         *
         * @param value the number of nodes, 1 to 450
         * @return this builder
         * @default 2
         */
        public B desiredSize(int value) {
            this.desiredSize = value;
            return self();
        }

        /**
         * The fewest nodes.
         *
         * @param value the fewest nodes, 0 to 450
         * @return this builder
         * @default desiredSize
         */
        public B minSize(int value) {
            this.minSize = value;
            return self();
        }

        /**
         * The most nodes.
         *
         * @param value the most nodes, 1 to 450
         * @return this builder
         * @default the larger of desiredSize and 4
         */
        public B maxSize(int value) {
            this.maxSize = value;
            return self();
        }

        /**
         * The IAM role or user ARN given cluster-admin access (an EKS access entry), so that person can use kubectl.
         *
         * @param value the ARN, e.g. {@code arn:aws:iam::123456789012:role/Admin}
         * @return this builder
         * @default the CDK context value {@code adminPrincipalArn}; without either, no one but CloudFormation can
         *     reach the cluster, and synth warns
         */
        public B adminPrincipalArn(String value) {
            this.adminPrincipalArn = value;
            nulls.record("adminPrincipalArn", value);
            return self();
        }

        /**
         * Who may reach the Kubernetes API server from the internet: publicly routable IPv4 CIDR blocks such as your
         * office's (private and reserved ranges are refused, as EKS refuses them); "0.0.0.0/0" warns; an empty
         * list makes the endpoint private (reachable only from the VPC). Either way the kubectl Lambda then runs in
         * the VPC's private subnets.
         *
         * @param value the CIDR blocks, e.g. {@code List.of("203.0.113.0/24")}, or an empty list
         * @return this builder
         * @default public and private endpoint, open to all addresses (synth warns)
         */
        public B apiAllowedCidrs(List<String> value) {
            this.apiAllowedCidrs = value;
            nulls.record("apiAllowedCidrs", value);
            return self();
        }

        /**
         * What happens on stack deletion to the resources that hold data: the KMS keys (deleted after a 7-day
         * pending window), the log groups the stack creates, and the workloads' ECR repositories with their images.
         * Use {@code RemovalPolicy.RETAIN} in production to keep them ({@code RETAIN_ON_UPDATE_OR_DELETE} works too;
         * {@code SNAPSHOT} is refused: CloudFormation cannot snapshot these types).
         *
         * @param value the removal policy
         * @return this builder
         * @default RemovalPolicy.DESTROY: {@code cdk destroy} leaves nothing the stack created
         */
        public B removalPolicy(RemovalPolicy value) {
            this.removalPolicy = value;
            nulls.record("removalPolicy", value);
            return self();
        }

        /**
         * How long the log groups the stack creates (VPC flow logs, the readiness waits') keep their logs. A year
         * meets Control Tower's {@code cloudwatch_log_group_retention_period_check} (at least 365 days); shorten it for a throwaway cluster, e.g.
         * {@code RetentionDays.ONE_WEEK}.
         *
         * @param value the retention
         * @return this builder
         * @default RetentionDays.ONE_YEAR
         */
        public B logRetention(RetentionDays value) {
            this.logRetention = value;
            nulls.record("logRetention", value);
            return self();
        }

        /** @return what this builder builds */
        public abstract T build();
    }
}
