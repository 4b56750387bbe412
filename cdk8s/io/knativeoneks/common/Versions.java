package io.knativeoneks.common;

/**
 * Every upstream version this library pins, in one place, each with the range it works in and the source that says
 * so. Constructs, validation messages, outputs and tests read them from here; a test checks the README's table
 * against them, and Renovate proposes updates through the {@code // renovate:} comments ({@code renovate.json}).
 */
public final class Versions {
    /**
     * The Kubernetes minor new clusters run: 1.36 has EKS standard support until 2027-08 (1.35 until 2027-03-27), and
     * every pin below supports it (EKS user guide, "Kubernetes versions").
     */
    // renovate: datasource=endoflife-date depName=amazon-eks versioning=loose
    public static final String KUBERNETES = "1.36";

    /**
     * The npm package with the kubectl and Helm Lambda layer (kubectl 1.{@value #KUBECTL_LAYER_MINOR} and Helm, at
     * the patch releases its {@code layer/Dockerfile} pins); kubectl serves clusters within one minor of it. A new
     * Kubernetes minor is a new package name ({@code -v<minor>}), which an update tool cannot propose: change it here
     * and in package.json.
     */
    public static final String KUBECTL_LAYER_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v36";
    /** The kubectl minor in {@link #KUBECTL_LAYER_PACKAGE}. */
    public static final int KUBECTL_LAYER_MINOR = 36;
    /** The pinned version of {@link #KUBECTL_LAYER_PACKAGE}; package.json pins the same (a test checks). */
    // renovate: datasource=npm depName=@aws-cdk/lambda-layer-kubectl-v36
    public static final String KUBECTL_LAYER = "2.0.1";

    /** Istio's chart repository (the old storage.googleapis.com one is switched off on 2026-12-08). */
    public static final String ISTIO_REPOSITORY = "https://blob.istio.io/istio-release/charts";
    /**
     * Istio's base, istiod and gateway charts: 1.31 supports Kubernetes 1.32 to 1.37 (istio.io supported releases,
     * whose supportStatus.yml added 1.37 to the 1.31 line on 2026-09-30).
     * Checked 2026-12-03: 1.31.1 (2026-09-21) is the newest patch with a release note (istio/istio.io
     * content/en/news/releases/1.31.x/announcing-1.31.1); 1.31.2 to 1.31.4 exist only as tags of the Go modules
     * istio.io/api and istio.io/client-go (2026-10-13 and 2026-10-21), with no istio/istio tag, release note or chart
     * seen, so the pin stays until a chart of that patch is published.
     */
    // renovate: datasource=helm depName=istiod registryUrl=https://blob.istio.io/istio-release/charts
    public static final String ISTIO = "1.31.1";
    /** The newest Kubernetes minor {@link #ISTIO} supports. */
    public static final int ISTIO_MAX_KUBERNETES_MINOR = 37;

    // AwsEvents' IntegrationSource/IntegrationSink pods authenticate with EKS Pod Identity (no keys): Knative
    // Eventing 1.23 runs the images of knative-extensions/eventing-integrations (release-1.22 and main as of 2026-04;
    // release-1.23 was not in the snapshot checked), built with Camel 4.14.0 / camel-quarkus 3.26.0, whose BOM pins
    // AWS SDK for Java v2 2.32.4. That SDK's ContainerCredentialsProvider (class file of
    // software.amazon.awssdk:auth:2.32.4) allows the Pod Identity host 169.254.170.23 and reads
    // AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE; Camel's
    // useDefaultCredentialsProvider=true, which Knative sets when no Secret is given, uses the default chain with it.

    /** The Knative Operator's chart repository. */
    public static final String KNATIVE_OPERATOR_REPOSITORY = "https://knative.github.io/operator";
    /**
     * The Knative Operator chart; it installs Knative 1.{@value #KNATIVE_OPERATOR_MIN_KNATIVE_MINOR} to
     * 1.{@value #KNATIVE_OPERATOR_MAX_KNATIVE_MINOR} (knative/operator gh-pages index.yaml).
     * Checked 2026-12-03 for Knative 1.24: the gh-pages index.yaml's newest {@code knative-operator} is v1.23.0
     * (created 2026-08-04), the newest tag knative-v1.23.0, and no cmd/operator/kodata/knative-serving/1.24.* or
     * knative-eventing/1.24.* exists (repository snapshot of 2026-08-21); the Go module proxy reached here serves
     * knative.dev/serving v0.51.0 (Knative 1.24, 2026-10-26) but no knative.dev/operator v0.51.x (it refuses some
     * other versions too, so that alone does not prove the tag is missing). No chart installs 1.24 yet.
     */
    // renovate: datasource=helm depName=knative-operator registryUrl=https://knative.github.io/operator
    public static final String KNATIVE_OPERATOR = "v1.23.0";
    /** The oldest Knative minor {@link #KNATIVE_OPERATOR} installs. */
    public static final int KNATIVE_OPERATOR_MIN_KNATIVE_MINOR = 20;
    /** The newest Knative minor {@link #KNATIVE_OPERATOR} installs. */
    public static final int KNATIVE_OPERATOR_MAX_KNATIVE_MINOR = 23;
    /**
     * Knative Serving and Eventing: 1.23 needs Kubernetes 1.34 or newer and is supported until 2027-02-02; 1.24
     * (released 2026-10-26/27, needs Kubernetes 1.35) waits for an Operator chart that installs it (see
     * {@link #KNATIVE_OPERATOR}); 1.22 is end of life since 2026-11-03 (knative/community
     * mechanics/RELEASE-SCHEDULE.md).
     */
    // renovate: datasource=github-tags depName=knative/serving extractVersion=^knative-v(?<version>\d+\.\d+)\.0$
    public static final String KNATIVE = "1.23";
    /** The oldest Kubernetes minor {@link #KNATIVE} supports. */
    public static final int KNATIVE_MIN_KUBERNETES_MINOR = 34;

    /** kaniko from the maintained fork (Google's repository was archived in June 2025); AWS SDK for Go v2. */
    // renovate: datasource=docker depName=ghcr.io/osscontainertools/kaniko
    public static final String KANIKO = "v1.28.3";
    /** The kaniko image the builds run. */
    public static final String KANIKO_IMAGE = "ghcr.io/osscontainertools/kaniko:" + KANIKO;

    /** The External Secrets Operator's chart repository. */
    public static final String EXTERNAL_SECRETS_REPOSITORY = "https://charts.external-secrets.io";
    /**
     * The External Secrets Operator chart: only the newest minor is supported; API {@code external-secrets.io/v1}
     * (v1beta1 unserved since 0.17). Our one value, {@code installCRDs: true}, is the chart's default. Checked
     * 2026-12-03: the external-secrets repository snapshot reachable here stops at helm-chart-2.9.0 (2026-08-08),
     * so 2.12.0 rests on secondary evidence: chart 2.10.0 (2026-08-28) and 2.11.0 (operator 2026-09-18, chart
     * 2026-09-21, tested on Kubernetes 1.36) appear in Renovate and chart-bot pull requests (linode/apl-core#3681
     * renders chart 2.11.0 on 2026-09-22), and independent deployments install the release asset
     * helm-chart-2.12.0/external-secrets-2.12.0.tgz with image v2.12.0 (one of them recorded on 2026-10-07).
     */
    // renovate: datasource=helm depName=external-secrets registryUrl=https://charts.external-secrets.io
    public static final String EXTERNAL_SECRETS = "2.12.0";

    /** The kube-prometheus-stack chart repository. */
    public static final String KUBE_PROMETHEUS_STACK_REPOSITORY = "https://prometheus-community.github.io/helm-charts";
    /**
     * kube-prometheus-stack (Prometheus Operator v0.93.1; Kubernetes 1.25 or newer per its Chart.yaml). Each major
     * may need newer CRDs, which the chart's CRD upgrade job applies on upgrade (its UPGRADE.md).
     */
    // renovate: datasource=helm depName=kube-prometheus-stack registryUrl=https://prometheus-community.github.io/helm-charts
    public static final String KUBE_PROMETHEUS_STACK = "88.5.3";

    /** knative-extensions/monitoring at a pinned commit: where Grafana fetches Knative's dashboards. */
    // renovate: datasource=git-refs depName=https://github.com/knative-extensions/monitoring currentValue=main
    public static final String KNATIVE_DASHBOARDS_COMMIT = "447387fd06fe42163e9fd2daeb3a2f3a375906fd";

    private Versions() {
    }

    /** @return the Kubernetes 1.x minor of {@link #KUBERNETES}, e.g. 36 */
    public static int kubernetesMinor() {
        return Integer.parseInt(KUBERNETES.substring(KUBERNETES.indexOf('.') + 1));
    }
}
