package io.knativeoneks.k8s;

import io.knativeoneks.common.Versions;
import io.knativeoneks.internal.Validate;
import java.util.Map;

/** Properties of {@link KnativeServing}. */
public final class KnativeServingProps {
    private final KnativeVersion version;
    private final String domain;
    private final Map<String, String> autoscaler;
    private final Map<String, String> observability;
    final Validate.Nulls nulls;
    private final DomainTemplate domainTemplate;
    private final boolean externalHttps;

    private KnativeServingProps(Builder b) {
        this.version = b.version;
        this.domain = b.domain;
        this.autoscaler = b.autoscaler;
        this.observability = b.observability;
        this.nulls = b.nulls;
        this.domainTemplate = b.domainTemplate;
        this.externalHttps = b.externalHttps;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the Knative release; never null */
    public KnativeVersion getVersion() {
        return version == null ? KnativeVersion.V1_23 : version;
    }

    /** @return the domain of service routes, or null for Knative's cluster-local default */
    public String getDomain() {
        return domain;
    }

    /** @return Knative's config-autoscaler data, or null for Knative's defaults */
    public Map<String, String> getAutoscaler() {
        return autoscaler;
    }

    /** @return Knative's config-observability data for Serving and Eventing, or null for Knative's defaults */
    public Map<String, String> getObservability() {
        return observability;
    }

    /** @return how Knative builds a service's host; never null */
    public DomainTemplate getDomainTemplate() {
        return domainTemplate == null ? DomainTemplate.DOTTED : domainTemplate;
    }

    /** @return true when TLS is terminated in front of the ingress and Knative's URLs say https */
    public boolean isExternalHttps() {
        return externalHttps;
    }

    /** Builds {@link KnativeServingProps}. */
    public static final class Builder {
        private KnativeVersion version;
        private String domain;
        private Map<String, String> autoscaler;
        private Map<String, String> observability;
        private final Validate.Nulls nulls = new Validate.Nulls();
        private DomainTemplate domainTemplate;
        private boolean externalHttps;

        private Builder() {
        }

        /**
         * The Knative Serving release the operator installs.
         *
         * @param value the release
         * @return this builder
         * @default {@link KnativeVersion#V1_23}, the release {@link Versions#KNATIVE} pins
         */
        public Builder version(KnativeVersion value) {
            this.version = value;
            nulls.record("version", value);
            return this;
        }

        /**
         * The domain of service routes: a service {@code svc} in namespace {@code ns} answers on
         * {@code svc.ns.<domain>} through the Istio ingress gateway.
         *
         * @param value the domain, e.g. {@code apps.example.org}
         * @return this builder
         * @default none: Knative's default, {@code svc.cluster.local}, reachable only inside the cluster
         */
        public Builder domain(String value) {
            this.domain = value;
            nulls.record("domain", value);
            return this;
        }

        /**
         * Knative's {@code config-autoscaler} data, cluster-wide, e.g. {@code {"min-scale": "1"}}; on the AWS side
         * {@code io.knativeoneks.Autoscaler} checks and renders it.
         *
         * @param value the ConfigMap's data
         * @return this builder
         * @default Knative's defaults
         */
        public Builder autoscaler(Map<String, String> value) {
            this.autoscaler = value;
            nulls.record("autoscaler", value);
            return this;
        }

        /**
         * Knative's {@code config-observability} data, applied to Serving and Eventing, e.g.
         * {@link KnativeMonitors#OBSERVABILITY}.
         *
         * @param value the data by key
         * @return this builder
         * @default Knative's defaults (no metrics export)
         */
        public Builder observability(Map<String, String> value) {
            this.observability = value;
            nulls.record("observability", value);
            return this;
        }

        /**
         * How Knative builds a service's host from its name, namespace and the domain.
         *
         * @param value the template
         * @return this builder
         * @default DomainTemplate.DOTTED, Knative's {@code <name>.<namespace>.<domain>}
         */
        public Builder domainTemplate(DomainTemplate value) {
            this.domainTemplate = value;
            nulls.record("domainTemplate", value);
            return this;
        }

        /**
         * TLS is terminated in front of the ingress gateway (at the load balancer), so the URLs Knative reports
         * ({@code kubectl get ksvc}) start with {@code https://} ({@code default-external-scheme}).
         *
         * @param value whether TLS ends in front of the ingress gateway
         * @return this builder
         * @default false
         */
        public Builder externalHttps(boolean value) {
            this.externalHttps = value;
            return this;
        }

        /** @return the properties */
        public KnativeServingProps build() {
            return new KnativeServingProps(this);
        }
    }
}
