package io.knativeoneks;

import io.knativeoneks.internal.SortedKeys;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.cdk8s.Chart;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.eks_v2.HelmChart;
import software.amazon.awscdk.services.eks_v2.HelmChartProps;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.eks_v2.KubernetesObjectValue;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The cluster a {@link KnativePlatform} installs on, as the platform and its workloads use it: the eks_v2 cluster
 * (and its kubectl provider), the nodes and the Pod Identity agent to come after when they are known, the subnets of
 * functions that call the API server, what happens to data-bearing resources on deletion and the key of log groups.
 * Made from a {@link KnativeCluster} or from any {@link ICluster}; whatever it creates belongs to the scope it is
 * given, never to the cluster.
 */
final class ClusterContext {
    /**
     * How long a Helm install or uninstall, or a wait for an object, may take. The kubectl Lambda lives 15 minutes at
     * most, so a wait never outlives it and leaves no release stuck in pending-install.
     */
    static final Duration HELM_TIMEOUT = Duration.minutes(10);
    /** How long log groups keep their logs unless told otherwise: the least Control Tower's retention rule allows. */
    static final RetentionDays DEFAULT_LOG_RETENTION = RetentionDays.ONE_YEAR;

    private final ICluster cluster;
    private final IConstruct nodes;
    private final IConstruct podIdentityAgent;
    private final SubnetSelection kubectlSubnets;
    private final RemovalPolicy removalPolicy;
    private final RetentionDays logRetention;
    private final Integer kubernetesMinor;
    private final Construct keyScope;
    private IKey logsKey;

    /**
     * @param nodes what Helm charts wait for so their pods have nodes, or null when nodes exist already
     * @param podIdentityAgent what pods with an EKS Pod Identity start after, or null when the agent runs already
     * @param kubectlSubnets where functions that call the API server run, or null outside the VPC
     * @param kubernetesMinor the cluster's Kubernetes 1.x minor, or null when unknown
     * @param logsKey the key of log groups, or null to create one under {@code keyScope} on first use
     */
    ClusterContext(ICluster cluster, IConstruct nodes, IConstruct podIdentityAgent, SubnetSelection kubectlSubnets,
            RemovalPolicy removalPolicy, RetentionDays logRetention, Integer kubernetesMinor, IKey logsKey,
            Construct keyScope) {
        this.cluster = cluster;
        this.nodes = nodes;
        this.podIdentityAgent = podIdentityAgent;
        this.kubectlSubnets = kubectlSubnets;
        this.removalPolicy = removalPolicy;
        this.logRetention = logRetention;
        this.kubernetesMinor = kubernetesMinor;
        this.logsKey = logsKey;
        this.keyScope = keyScope;
    }

    /**
     * Installs a pinned Helm chart under {@code scope} that waits (within {@link #HELM_TIMEOUT}) for
     * its resources on install and uninstall, and that comes after the nodes its pods need.
     */
    HelmChart addHelmChart(Construct scope, String id, String repository, String chart, String version,
            String namespace, String release, Map<String, Object> values) {
        HelmChart helmChart = new HelmChart(scope, id, HelmChartProps.builder()
                .cluster(cluster)
                .repository(repository)
                .chart(chart)
                .version(version)
                .release(release)
                .namespace(namespace)
                .createNamespace(true)
                .values(SortedKeys.of(values))
                .wait(true)
                .timeout(HELM_TIMEOUT)
                .build());
        afterNodes(helmChart);
        return helmChart;
    }

    /**
     * Applies a cdk8s chart as a manifest of {@code scope}; later changes to the chart's objects reach it. Creating
     * the manifest fails on an object that exists already.
     */
    KubernetesManifest applyChart(Construct scope, String id, Chart chart) {
        return applyChart(scope, id, chart, false);
    }

    /**
     * Applies a cdk8s chart as {@link #applyChart(Construct, String, Chart)} does.
     *
     * @param adopt whether creating the manifest takes over objects that exist already ({@code kubectl apply})
     *     rather than failing on them ({@code kubectl create})
     */
    KubernetesManifest applyChart(Construct scope, String id, Chart chart, boolean adopt) {
        KubernetesManifest.Builder manifest = KubernetesManifest.Builder.create(scope, id).cluster(cluster)
                .manifest(ChartObjects.of(chart));
        if (adopt) { // set only then: a new property on every manifest would update them all
            manifest.overwrite(true);
        }
        return manifest.build();
    }

    /**
     * Waits on deploy until a Kubernetes object has a non-empty value at {@code jsonPath} (retrying while it does
     * not exist yet), within {@link #HELM_TIMEOUT}; the value is then available as a deploy-time string.
     */
    KubernetesObjectValue waitForValue(Construct scope, String id, String objectType, String objectName,
            String namespace, String jsonPath) {
        return KubernetesObjectValue.Builder.create(scope, id)
                .cluster(cluster)
                .objectType(objectType)
                .objectName(objectName)
                .objectNamespace(namespace)
                .jsonPath(jsonPath)
                .timeout(HELM_TIMEOUT)
                .build();
    }

    /** A log group under {@code scope}, encrypted with the logs key, kept and removed as the context says. */
    LogGroup newLogGroup(Construct scope, String id) {
        if (logsKey == null) {
            logsKey = newLogsKey(keyScope, removalPolicy);
        }
        return newLogGroup(scope, id, logsKey, removalPolicy, logRetention);
    }

    /** Makes {@code construct} come after the nodes, when the platform knows them. */
    void afterNodes(IConstruct construct) {
        if (nodes != null) {
            construct.getNode().addDependency(nodes);
        }
    }

    /** Makes {@code construct} come after the Pod Identity agent, when the platform knows it. */
    void afterPodIdentityAgent(IConstruct construct) {
        if (podIdentityAgent != null) {
            construct.getNode().addDependency(podIdentityAgent);
        }
    }

    /** @return the EKS cluster */
    ICluster getCluster() {
        return cluster;
    }

    /** @return the API server's endpoint, or null when the cluster was imported without it */
    String getClusterEndpoint() {
        return attributeOrNull(cluster::getClusterEndpoint);
    }

    /** @return the API server's certificate authority data, or null when the cluster was imported without it */
    String getClusterCertificateAuthorityData() {
        return attributeOrNull(cluster::getClusterCertificateAuthorityData);
    }

    private static String attributeOrNull(Supplier<String> attribute) {
        try {
            return attribute.get();
        } catch (RuntimeException e) { // an imported cluster throws (through jsii) for an attribute it lacks
            return null;
        }
    }

    /** @return the private subnets functions that call the API server run in, or null outside the VPC */
    SubnetSelection getKubectlSubnets() {
        return kubectlSubnets;
    }

    /** @return what happens to data-bearing resources (log groups, keys, image repositories) on stack deletion */
    RemovalPolicy getRemovalPolicy() {
        return removalPolicy;
    }

    /** @return the Kubernetes 1.x minor version, or null when the cluster was not made here */
    Integer getKubernetesMinor() {
        return kubernetesMinor;
    }

    /**
     * A customer-managed key with rotation that goes with the stack (after a 7-day pending window) unless
     * {@code removalPolicy} retains it. Only AWS resources or AWS services (EKS, CloudWatch Logs) may create
     * grants on it, so no principal can hand its use to another: the deny statement Control Tower's
     * {@code kms_create_grant_aws_service_check} looks for.
     */
    static Key newKey(Construct scope, String id, String description, RemovalPolicy removal) {
        Key key = Key.Builder.create(scope, id)
                .description(description)
                .enableKeyRotation(true)
                .pendingWindow(Duration.days(7))
                .removalPolicy(removal)
                .build();
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("GrantsOnlyForAwsResources")
                .effect(Effect.DENY)
                .principals(List.of(new AnyPrincipal()))
                .actions(List.of("kms:CreateGrant"))
                .resources(List.of("*"))
                .conditions(Map.of("BoolIfExists", new TreeMap<>(Map.of("kms:GrantIsForAWSResource", "false",
                        "aws:PrincipalIsAWSService", "false"))))
                .build());
        return key;
    }

    /** The key of knative-on-eks's log groups under {@code scope}, usable by CloudWatch Logs in its region. */
    static Key newLogsKey(Construct scope, RemovalPolicy removal) {
        Key key = newKey(scope, "LogsKey", "Encryption of the CloudWatch log groups of knative-on-eks", removal);
        key.grantEncryptDecrypt(new ServicePrincipal("logs." + Stack.of(scope).getRegion() + ".amazonaws.com"));
        return key;
    }

    /**
     * A log group encrypted with {@code key}, kept for {@code retention}, that goes with the stack unless
     * {@code removal} retains it.
     */
    static LogGroup newLogGroup(Construct scope, String id, IKey key, RemovalPolicy removal,
            RetentionDays retention) {
        LogGroup logGroup = LogGroup.Builder.create(scope, id)
                .encryptionKey(key)
                .retention(retention)
                .removalPolicy(removal)
                .build();
        logGroup.getNode().addDependency(key);
        return logGroup;
    }
}
