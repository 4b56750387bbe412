package io.knativeoneks;

import io.knativeoneks.k8s.KnativeVersion;
import io.knativeoneks.internal.Validate;
import io.knativeoneks.common.Versions;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.route53.IHostedZone;

/** Properties of {@link KnativePlatform}. Only {@code cluster} is required. */
public final class KnativePlatformProps {
    /** The default Istio release, {@link Versions#ISTIO}. */
    public static final String DEFAULT_ISTIO_VERSION = Versions.ISTIO;
    /** The default domain of Knative routes, as in the 2019 walkthrough. */
    public static final String DEFAULT_DOMAIN = "example.com";
    /** The default application namespace, as in the 2019 walkthrough. */
    public static final String DEFAULT_APP_NAMESPACE = "default";

    final KnativeCluster knativeCluster;
    final ICluster cluster;
    final boolean installPodIdentityAgent;
    final RemovalPolicy removalPolicy;
    final RetentionDays logRetention;
    final KnativeVersion knativeVersion;
    final String istioVersion;
    final String domain;
    final Autoscaler autoscaler;
    final String appNamespace;
    final MetricsOptions metrics;
    final LogsOptions logs;
    /** Whether the deprecated metricsRetention or metricsRetentionSize were set without metrics. */
    final boolean metricsSettingsIgnored;
    final Validate.Nulls nulls;
    final IHostedZone hostedZone;

    KnativePlatformProps(AbstractBuilder<?, ?> b) {
        this.knativeCluster = b.knativeCluster;
        this.cluster = b.knativeCluster != null ? b.knativeCluster.getCluster() : b.cluster;
        this.installPodIdentityAgent = b.installPodIdentityAgent;
        this.removalPolicy = b.removalPolicy != null ? b.removalPolicy
                : b.knativeCluster != null ? b.knativeCluster.getRemovalPolicy() : RemovalPolicy.DESTROY;
        this.logRetention = b.logRetention != null ? b.logRetention
                : b.knativeCluster != null ? b.knativeCluster.getLogRetention() : ClusterContext.DEFAULT_LOG_RETENTION;
        this.knativeVersion = b.knativeVersion != null ? b.knativeVersion : KnativeVersion.V1_23;
        this.istioVersion = b.istioVersion != null ? b.istioVersion : DEFAULT_ISTIO_VERSION;
        this.domain = b.domain != null ? b.domain : DEFAULT_DOMAIN;
        this.autoscaler = b.autoscaler;
        this.appNamespace = b.appNamespace != null ? b.appNamespace : DEFAULT_APP_NAMESPACE;
        this.metrics = b.metrics != null ? b.metrics : !b.legacyMetrics ? null
                : new MetricsOptions(b.metricsRetention, b.metricsRetentionSize, "metricsRetention",
                        "metricsRetentionSize", new Validate.Nulls());
        this.metricsSettingsIgnored = (b.metrics != null || !b.legacyMetrics)
                && (b.metricsRetention != null || b.metricsRetentionSize != null);
        this.logs = b.logs;
        this.nulls = b.nulls;
        this.hostedZone = b.hostedZone;
    }

    /** @return the EKS cluster to install on (a KnativeCluster's own cluster, or the one passed) */
    public ICluster getCluster() {
        return cluster;
    }

    /** @return the KnativeCluster to install on, or null when another cluster was passed */
    public KnativeCluster getKnativeCluster() {
        return knativeCluster;
    }

    /** @return whether the platform installs the EKS Pod Identity agent add-on */
    public boolean getInstallPodIdentityAgent() {
        return installPodIdentityAgent;
    }

    /** @return what happens to data-bearing resources of the platform and its workloads on stack deletion */
    public RemovalPolicy getRemovalPolicy() {
        return removalPolicy;
    }

    /** @return how long the platform's log groups keep their logs */
    public RetentionDays getLogRetention() {
        return logRetention;
    }

    /** @return the Knative Serving and Eventing release */
    public KnativeVersion getKnativeVersion() {
        return knativeVersion;
    }

    /** @return the Istio release */
    public String getIstioVersion() {
        return istioVersion;
    }

    /** @return the domain of Knative routes */
    public String getDomain() {
        return domain;
    }

    /** @return the cluster-wide autoscaler settings, or null for Knative's defaults */
    public Autoscaler getAutoscaler() {
        return autoscaler;
    }

    /** @return the application namespace */
    public String getAppNamespace() {
        return appNamespace;
    }

    /** @return the metrics options, or null without metrics */
    public MetricsOptions getMetrics() {
        return metrics;
    }

    /** @return the logs options, or null without logs */
    public LogsOptions getLogs() {
        return logs;
    }

    /** @return the Route 53 zone of the domain, or null for plain HTTP */
    public IHostedZone getHostedZone() {
        return hostedZone;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link KnativePlatformProps}. */
    public static final class Builder extends AbstractBuilder<Builder, KnativePlatformProps> {
        @Override
        public KnativePlatformProps build() {
            return new KnativePlatformProps(this);
        }
    }

    /**
     * The setters shared by {@link Builder} and {@link KnativePlatform.Builder}.
     *
     * @param <B> the concrete builder
     * @param <T> what it builds
     */
    public abstract static class AbstractBuilder<B extends AbstractBuilder<B, T>, T> {
        private KnativeCluster knativeCluster;
        private ICluster cluster;
        private boolean installPodIdentityAgent;
        private RemovalPolicy removalPolicy;
        private RetentionDays logRetention;
        private KnativeVersion knativeVersion;
        private String istioVersion;
        private String domain;
        private Autoscaler autoscaler;
        private String appNamespace;
        private MetricsOptions metrics;
        private boolean legacyMetrics;
        private Duration metricsRetention;
        private Size metricsRetentionSize;
        private LogsOptions logs;
        private final Validate.Nulls nulls = new Validate.Nulls();
        private IHostedZone hostedZone;

        AbstractBuilder() {
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /**
         * The cluster to install Istio and Knative on. Required (this or {@link #cluster(ICluster)}).
         *
         * @param value the cluster
         * @return this builder
         */
        public B cluster(KnativeCluster value) {
            this.knativeCluster = value;
            this.cluster = null;
            nulls.record("cluster", value);
            return self();
        }

        /**
         * Any eks_v2 cluster to install Istio and Knative on, e.g. one made by another stack and imported with
         * {@code Cluster.fromClusterAttributes(...)}: it needs a kubectl provider, its endpoint and certificate
         * authority data, nodes, the EKS Pod Identity agent (or {@link #installPodIdentityAgent}) and public subnets
         * tagged for load balancers. Required (this or {@link #cluster(KnativeCluster)}).
         *
         * @param value the cluster
         * @return this builder
         */
        public B cluster(ICluster value) {
            this.cluster = value;
            this.knativeCluster = null;
            nulls.record("cluster", value);
            return self();
        }

        /**
         * Installs the {@code eks-pod-identity-agent} add-on, for a cluster passed as {@link ICluster} that does not
         * run it yet. Refused where the app already gives the cluster that add-on (a {@link KnativeCluster} has it,
         * also when its {@code getCluster()} is passed): EKS takes one add-on of a name per cluster.
         *
         * @param value whether to install the add-on
         * @return this builder
         * @default false
         */
        public B installPodIdentityAgent(boolean value) {
            this.installPodIdentityAgent = value;
            return self();
        }

        /**
         * What happens on stack deletion to the data-bearing resources the platform and its workloads create (image
         * repositories with their images, log groups, the logs key of a cluster passed as {@link ICluster}):
         * {@code DESTROY}, {@code RETAIN} or {@code RETAIN_ON_UPDATE_OR_DELETE} ({@code SNAPSHOT} is refused:
         * CloudFormation cannot snapshot these types).
         *
         * @param value the removal policy
         * @return this builder
         * @default the KnativeCluster's removalPolicy; RemovalPolicy.DESTROY for a cluster passed as ICluster
         */
        public B removalPolicy(RemovalPolicy value) {
            this.removalPolicy = value;
            nulls.record("removalPolicy", value);
            return self();
        }

        /**
         * How long the log groups the platform creates (its readiness waits') keep their logs.
         *
         * @param value the retention
         * @return this builder
         * @default the KnativeCluster's logRetention; RetentionDays.ONE_YEAR for a cluster passed as ICluster
         */
        public B logRetention(RetentionDays value) {
            this.logRetention = value;
            nulls.record("logRetention", value);
            return self();
        }

        /**
         * The Knative Serving and Eventing release; the pinned Knative Operator ({@link Versions#KNATIVE_OPERATOR})
         * installs 1.{@value Versions#KNATIVE_OPERATOR_MIN_KNATIVE_MINOR} to
         * 1.{@value Versions#KNATIVE_OPERATOR_MAX_KNATIVE_MINOR}.
         *
         * @param value the release
         * @return this builder
         * @default {@link KnativeVersion#V1_23}, the release {@link Versions#KNATIVE} pins
         */
        public B knativeVersion(KnativeVersion value) {
            this.knativeVersion = value;
            nulls.record("knativeVersion", value);
            return self();
        }

        /**
         * The Istio release of the base, istiod and gateway charts: a patch release of the default's minor line, the
         * line the pinned Knative runs with.
         *
         * @param value the release
         * @return this builder
         * @default {@value Versions#ISTIO} ({@link KnativePlatformProps#DEFAULT_ISTIO_VERSION})
         */
        public B istioVersion(String value) {
            this.istioVersion = value;
            nulls.record("istioVersion", value);
            return self();
        }

        /**
         * The domain of Knative routes: service {@code svc} in namespace {@code ns} answers on
         * {@code svc.ns.<domain>} through the ingress load balancer (send that name as the Host header until DNS
         * points at the load balancer).
         *
         * @param value the domain, e.g. {@code apps.example.org}
         * @return this builder
         * @default "example.com"
         */
        public B domain(String value) {
            this.domain = value;
            nulls.record("domain", value);
            return self();
        }

        /**
         * Cluster-wide Knative autoscaler settings.
         *
         * @param value the settings
         * @return this builder
         * @default Knative's defaults
         */
        public B autoscaler(Autoscaler value) {
            this.autoscaler = value;
            nulls.record("autoscaler", value);
            return self();
        }

        /**
         * The namespace for applications, labelled {@code istio-injection=enabled}. {@code default} is labelled by
         * a patch that is undone on delete (the namespace itself is never deleted); any other name is created. The
         * namespaces of Kubernetes ({@code kube-*}), Knative ({@code knative-*}), Istio and the add-ons are refused.
         *
         * @param value the namespace
         * @return this builder
         * @default "default"
         */
        public B appNamespace(String value) {
            this.appNamespace = value;
            nulls.record("appNamespace", value);
            return self();
        }

        /**
         * Metrics: kube-prometheus-stack (pinned), monitors for Knative's control planes and revisions, Knative's
         * metrics export and Grafana dashboards. Grafana is reached by port-forward (a stack output). Replaces what
         * the deprecated {@link #metrics(boolean)}, {@link #metricsRetention} and {@link #metricsRetentionSize} set.
         *
         * @param value the options, e.g. {@code MetricsOptions.builder().build()} for the defaults
         * @return this builder
         * @default no metrics
         */
        public B metrics(MetricsOptions value) {
            this.metrics = value;
            nulls.record("metrics", value);
            return self();
        }

        /**
         * Metrics with the retention of {@link #metricsRetention} and {@link #metricsRetentionSize}.
         *
         * @param value whether to install metrics
         * @return this builder
         * @default false
         * @deprecated use {@link #metrics(MetricsOptions)}; this bridge goes in the next minor version
         */
        @Deprecated
        public B metrics(boolean value) {
            this.legacyMetrics = value;
            this.metrics = null;
            return self();
        }

        /**
         * How long Prometheus keeps metrics, 1 hour to 365 days, whole hours; only with {@link #metrics(boolean)}
         * (synth warns otherwise).
         *
         * @param value the retention, e.g. {@code Duration.days(7)}
         * @return this builder
         * @default 24 hours
         * @deprecated use {@code metrics(MetricsOptions.builder().retention(...).build())}; this bridge goes in the
         *     next minor version
         */
        @Deprecated
        public B metricsRetention(Duration value) {
            this.metricsRetention = value;
            nulls.record("metricsRetention", value);
            return self();
        }

        /**
         * The most disk Prometheus uses on its node before dropping the oldest data, 1 to 64 GiB; only with
         * {@link #metrics(boolean)} (synth warns otherwise).
         *
         * @param value the size, e.g. {@code Size.gibibytes(8)}
         * @return this builder
         * @default 4 GiB
         * @deprecated use {@code metrics(MetricsOptions.builder().retentionSize(...).build())}; this bridge goes in
         *     the next minor version
         */
        @Deprecated
        public B metricsRetentionSize(Size value) {
            this.metricsRetentionSize = value;
            nulls.record("metricsRetentionSize", value);
            return self();
        }

        /**
         * Logs: the amazon-cloudwatch-observability add-on (Fluent Bit and the CloudWatch agent) with EKS Pod
         * Identity; container logs land in CloudWatch Logs.
         *
         * @param value the options, {@code LogsOptions.builder().build()}
         * @return this builder
         * @default no logs
         */
        public B logs(LogsOptions value) {
            this.logs = value;
            nulls.record("logs", value);
            return self();
        }

        /**
         * Logs with the default {@link LogsOptions}, or none.
         *
         * @param value whether to ship container logs
         * @return this builder
         * @default false
         * @deprecated use {@link #logs(LogsOptions)}; this bridge goes in the next minor version
         */
        @Deprecated
        public B logs(boolean value) {
            this.logs = value ? LogsOptions.builder().build() : null;
            return self();
        }

        /**
         * The Route 53 zone of {@code domain} (the domain itself or a parent of it): services get
         * {@code https://<service>-<namespace>.<domain>} URLs with a certificate from ACM validated in this zone, TLS
         * ends at the load balancer, plain HTTP is not exposed, and {@code *.<domain>} points at the load balancer.
         * Import an existing zone with {@code HostedZone.fromHostedZoneAttributes} (it needs the zone's name).
         *
         * @param value the zone, imported with its name
         * @return this builder
         * @default none: services answer plain HTTP on {@code <service>.<namespace>.<domain>} with a Host header
         */
        public B hostedZone(IHostedZone value) {
            this.hostedZone = value;
            nulls.record("hostedZone", value);
            return self();
        }

        /** @return what this builder builds */
        public abstract T build();
    }
}
