package io.knativeoneks;

import io.knativeoneks.common.Versions;
import io.knativeoneks.internal.Tokens;
import io.knativeoneks.internal.Validate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceArchitecture;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.ClusterLoggingTypes;
import software.amazon.awscdk.services.eks_v2.DefaultCapacityType;
import software.amazon.awscdk.services.eks_v2.EndpointAccess;
import software.amazon.awscdk.services.eks_v2.KubectlProviderOptions;
import software.amazon.awscdk.services.eks_v2.KubernetesVersion;
import software.amazon.awscdk.services.eks_v2.Nodegroup;
import software.amazon.awscdk.services.eks_v2.NodegroupAmiType;
import software.amazon.awscdk.services.eks_v2.NodegroupOptions;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * An EKS cluster ready for Istio and Knative: an {@code eks_v2} cluster (native {@code AWS::EKS::Cluster}, access
 * entries), a managed AL2023 nodegroup of 2 nodes by default, the {@code eks-pod-identity-agent} add-on, a kubectl
 * provider, an optional cluster-admin access entry, and the {@code aws eks update-kubeconfig} command as an output.
 *
 * <pre>{@code
 * KnativeCluster cluster = KnativeCluster.Builder.create(this, "Cluster")
 *         .adminPrincipalArn("arn:aws:iam::123456789012:role/Admin")   // who may use kubectl
 *         .apiAllowedCidrs(List.of("203.0.113.0/24"))                  // who may reach the API server
 *         .build();
 * }</pre>
 */
public final class KnativeCluster extends Construct {
    /**
     * How long a Helm install or uninstall, or a wait for an object, may take, on this cluster and on any cluster a
     * {@link KnativePlatform} is given. The kubectl Lambda lives 15 minutes at most, so a wait never outlives it and
     * leaves no release stuck in pending-install.
     */
    public static final Duration HELM_TIMEOUT = ClusterContext.HELM_TIMEOUT;

    private static final int MAX_NODES = 450;
    private static final Pattern K8S_MINOR = Pattern.compile("1\\.(\\d+)");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.([a-z0-9]+)");
    private static final List<String> TOO_SMALL = List.of("nano", "micro", "small", "medium");
    /** The removal policies CloudFormation applies to every resource type (SNAPSHOT is for some types only). */
    private static final List<RemovalPolicy> REMOVAL_POLICIES = List.of(RemovalPolicy.DESTROY, RemovalPolicy.RETAIN,
            RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    /**
     * An IAM role or user ARN in a known partition; names and paths hold letters, digits and {@code +=,.@_-/}
     * (IAM User Guide, "IAM identifiers"), never whitespace.
     */
    private static final Pattern PRINCIPAL_ARN = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::\\d{12}:(role|user)/"
                    + "[\\w+=,.@/-]+");

    private final Cluster cluster;
    private final Nodegroup nodegroup;
    private final IConstruct podIdentityAgent;
    private final int kubernetesMinor;
    private final RemovalPolicy removalPolicy;
    private final RetentionDays logRetention;
    private final Key logsKey;
    private final SubnetSelection kubectlSubnets;

    /**
     * A cluster with every property at its default.
     *
     * @param scope the construct's parent
     * @param id the construct's id
     */
    public KnativeCluster(Construct scope, String id) {
        this(scope, id, KnativeClusterProps.builder().build());
    }

    /**
     * A cluster; {@link Builder} is the shorter way to write it.
     *
     * @param scope the construct's parent
     * @param id the construct's id
     * @param props the properties
     */
    public KnativeCluster(Construct scope, String id, KnativeClusterProps props) {
        super(scope, id);
        Validate.required(this, "props", props, "pass KnativeClusterProps.builder().build()");
        props.nulls.check(this, "");
        KubernetesVersion version = props.kubernetesVersion != null
                ? props.kubernetesVersion : KnativeClusterProps.DEFAULT_KUBERNETES_VERSION;
        this.kubernetesMinor = kubernetesMinor(version.getVersion());
        if (props.kubectlLayer == null) {
            Validate.check(Math.abs(kubernetesMinor - NpmKubectlLayer.KUBECTL_MINOR) <= 1, this, "kubernetesVersion",
                    version.getVersion(), "must be within one minor of the default kubectl layer (1."
                            + NpmKubectlLayer.KUBECTL_MINOR + ")",
                    "use 1." + (NpmKubectlLayer.KUBECTL_MINOR - 1) + " to 1." + (NpmKubectlLayer.KUBECTL_MINOR + 1)
                            + ", or pass a kubectlLayer that matches your version");
        }
        InstanceType instanceType = props.instanceType != null
                ? props.instanceType : KnativeClusterProps.DEFAULT_INSTANCE_TYPE;
        checkInstanceType(instanceType.toString());
        int desired = props.desiredSize != null ? props.desiredSize : KnativeClusterProps.DEFAULT_DESIRED_SIZE;
        int min = props.minSize != null ? props.minSize : desired;
        int max = props.maxSize != null ? props.maxSize : Math.max(desired, 4);
        Validate.range(this, "desiredSize", desired, 1, MAX_NODES);
        Validate.range(this, "minSize", min, 0, MAX_NODES);
        Validate.range(this, "maxSize", max, 1, MAX_NODES);
        Validate.check(min <= max, this, "minSize", min, "must not exceed maxSize (" + max + ")",
                "raise maxSize or lower minSize");
        Validate.check(desired >= min && desired <= max, this, "desiredSize", desired,
                "must lie between minSize (" + min + ") and maxSize (" + max + ")",
                "change desiredSize or the bounds");
        String admin = props.adminPrincipalArn != null ? props.adminPrincipalArn : contextAdmin();
        if (admin != null) {
            Validate.check(Tokens.isUnresolved(admin) || PRINCIPAL_ARN.matcher(admin).matches(), this,
                    "adminPrincipalArn", "\"" + admin + "\"", "must be an IAM role or user ARN",
                    "use arn:<partition>:iam::<account>:role/<name> with partition aws, aws-cn, aws-us-gov, aws-iso*, "
                            + "or aws-eusc (for an assumed-role session, the role it assumed)");
        }

        if (props.apiAllowedCidrs != null) {
            ApiEndpointCidrs.check(this, props.apiAllowedCidrs);
        }

        this.removalPolicy = props.removalPolicy != null ? props.removalPolicy : RemovalPolicy.DESTROY;
        this.logRetention = props.logRetention != null ? props.logRetention : ClusterContext.DEFAULT_LOG_RETENTION;
        checkRemovalPolicy(this, removalPolicy);
        this.logsKey = ClusterContext.newLogsKey(this, removalPolicy);
        IVpc vpc = props.vpc != null ? props.vpc : newVpc();
        ILayerVersion layer = props.kubectlLayer != null ? props.kubectlLayer : new NpmKubectlLayer(this, "KubectlLayer");
        KubectlProviderOptions.Builder kubectl = KubectlProviderOptions.builder().kubectlLayer(layer);
        this.kubectlSubnets = props.apiAllowedCidrs == null ? null
                : SubnetSelection.builder().subnets(vpc.getPrivateSubnets()).build();
        if (kubectlSubnets != null) {
            kubectl.privateSubnets(vpc.getPrivateSubnets());
        }
        Key secretsKey = ClusterContext.newKey(this, "SecretsKey", "Envelope encryption of Kubernetes Secrets in EKS", removalPolicy);
        this.cluster = Cluster.Builder.create(this, "Cluster")
                .version(version)
                .vpc(vpc)
                .endpointAccess(endpointAccess(props.apiAllowedCidrs))
                .secretsEncryptionKey(secretsKey)
                .clusterLogging(List.of(ClusterLoggingTypes.API, ClusterLoggingTypes.AUDIT,
                        ClusterLoggingTypes.AUTHENTICATOR, ClusterLoggingTypes.CONTROLLER_MANAGER,
                        ClusterLoggingTypes.SCHEDULER))
                .defaultCapacityType(DefaultCapacityType.NODEGROUP)
                .defaultCapacity(0)
                .outputConfigCommand(false)
                .kubectlProviderOptions(kubectl.build())
                .build();
        this.nodegroup = cluster.addNodegroupCapacity("Workers", NodegroupOptions.builder()
                .instanceTypes(List.of(instanceType))
                .amiType(instanceType.getArchitecture() == InstanceArchitecture.ARM_64
                        ? NodegroupAmiType.AL2023_ARM_64_STANDARD : NodegroupAmiType.AL2023_X86_64_STANDARD)
                .desiredSize(desired)
                .minSize(min)
                .maxSize(max)
                .build());
        // The agent is a DaemonSet: it becomes active only on nodes, and pods that need AWS credentials come after it.
        this.podIdentityAgent = cluster.getEksPodIdentityAgent();
        podIdentityAgent.getNode().addDependency(nodegroup);
        acknowledgeManagedPolicies();
        if (props.apiAllowedCidrs == null || !props.apiAllowedCidrs.isEmpty()) {
            NagSuppressions.suppress(cluster, "AwsSolutions-EKS1", ApiEndpointCidrs.open(props.apiAllowedCidrs)
                    ? "kubectl from a workstation needs the public endpoint; it is open to all addresses, synth "
                            + "warns, and apiAllowedCidrs restricts or closes it"
                    : "the public endpoint is restricted to apiAllowedCidrs " + props.apiAllowedCidrs);
        }
        if (admin != null) {
            cluster.grantClusterAdmin("AdminAccess", admin);
        } else {
            Annotations.of(this).addWarningV2("knative-on-eks:noAdminPrincipal",
                    "No adminPrincipalArn: only CloudFormation can reach the cluster. Pass adminPrincipalArn or "
                            + "`cdk deploy -c " + KnativeClusterProps.ADMIN_PRINCIPAL_CONTEXT_KEY
                            + "=arn:aws:iam::<account>:role/<name>` to use kubectl.");
        }
        CfnOutput.Builder.create(this, "UpdateKubeconfigCommand")
                .description("Run this to point kubectl at the cluster")
                .value("aws eks update-kubeconfig --name " + cluster.getClusterName() + " --region "
                        + Stack.of(this).getRegion())
                .build();
    }

    /**
     * A VPC over 2 zones with one NAT gateway. Instances in public subnets get no public IP (the nodes run in the
     * private subnets; load balancers and the NAT gateway have their own addresses); flow logs go to an encrypted
     * log group.
     */
    private Vpc newVpc() {
        Vpc vpc = Vpc.Builder.create(this, "Vpc")
                .maxAzs(2)
                .natGateways(1)
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("Public").subnetType(SubnetType.PUBLIC)
                                .mapPublicIpOnLaunch(false).build(),
                        SubnetConfiguration.builder().name("Private").subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                .build()))
                .build();
        vpc.addFlowLog("FlowLog", FlowLogOptions.builder()
                .destination(FlowLogDestination.toCloudWatchLogs(ClusterContext.newLogGroup(this, "FlowLogs", logsKey, removalPolicy,
                        logRetention)))
                .build());
        return vpc;
    }

    /**
     * Checks a removal policy of the cluster or the platform: it applies to KMS keys, log groups and ECR repositories,
     * and CloudFormation's DeletionPolicy Snapshot (RemovalPolicy.SNAPSHOT) is for databases and volumes only, so
     * the deploy would fail on it. RETAIN_ON_UPDATE_OR_DELETE (RetainExceptOnCreate) applies to every type.
     */
    static void checkRemovalPolicy(Construct scope, RemovalPolicy policy) {
        Validate.check(REMOVAL_POLICIES.contains(policy), scope, "removalPolicy", policy,
                "must be one of " + REMOVAL_POLICIES + " (it applies to KMS keys, log groups and ECR repositories, "
                        + "which CloudFormation cannot snapshot)", "use RemovalPolicy.RETAIN to keep them");
    }

    /** Public and private by default (kubectl from a workstation), restricted or private when asked. */
    private EndpointAccess endpointAccess(List<String> allowedCidrs) {
        if (ApiEndpointCidrs.open(allowedCidrs)) {
            Annotations.of(this).addWarningV2("knative-on-eks:publicApiEndpoint",
                    "The Kubernetes API endpoint is public and open to all addresses (" + (allowedCidrs == null
                            ? "as eksctl's default" : "apiAllowedCidrs includes " + ApiEndpointCidrs.ANYWHERE)
                            + "). Restrict it with apiAllowedCidrs(List.of(\"<your CIDR>\")), or pass an empty "
                            + "list for a private endpoint.");
        }
        if (allowedCidrs == null) {
            return EndpointAccess.PUBLIC_AND_PRIVATE;
        }
        return allowedCidrs.isEmpty() ? EndpointAccess.PRIVATE
                : EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(allowedCidrs.toArray(String[]::new));
    }

    /**
     * Records why cdk-nag's findings on roles and functions that EKS and aws-cdk-lib's kubectl provider need are
     * accepted, each on its own resource.
     */
    private void acknowledgeManagedPolicies() {
        String awsManaged = "the AWS managed policy EKS documents for this role; a copy would drift from it";
        NagSuppressions.suppress(cluster.getRole(), "AwsSolutions-IAM4", awsManaged,
                "Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy");
        NagSuppressions.suppress(nodegroup.getRole(), "AwsSolutions-IAM4", awsManaged + " (nodes join the "
                        + "cluster, run the VPC CNI and pull images from ECR)",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKS_CNI_Policy",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly");
        NagSuppressions.acknowledgeProviderInternals(cluster.getNode().findChild("KubectlProvider"),
                "KubectlProviderHandler");
    }

    private void checkInstanceType(String instanceType) {
        Matcher m = INSTANCE_TYPE.matcher(instanceType);
        Validate.check(m.matches(), this, "instanceType", "\"" + instanceType + "\"",
                "must be an EC2 instance type such as m6i.xlarge", "use the <family>.<size> form");
        Validate.check(!TOO_SMALL.contains(m.group(1)), this, "instanceType", instanceType,
                "is too small to host the Istio and Knative control planes (sizes " + TOO_SMALL + " are not allowed)",
                "use large or bigger, e.g. m6i.xlarge");
    }

    private int kubernetesMinor(String version) {
        Matcher m = K8S_MINOR.matcher(version);
        Validate.check(m.matches(), this, "kubernetesVersion", version, "must be of the form 1.N",
                "use a KubernetesVersion constant such as KubernetesVersion.V" + Versions.KUBERNETES.replace('.', '_'));
        return Integer.parseInt(m.group(1));
    }

    private String contextAdmin() {
        Object value = getNode().tryGetContext(KnativeClusterProps.ADMIN_PRINCIPAL_CONTEXT_KEY);
        return value == null || value.toString().isEmpty() ? null : value.toString();
    }

    /**
     * What a platform on this cluster needs: the cluster, its nodes and Pod Identity agent to come after, its kubectl
     * subnets and logs key; data-bearing resources follow {@code removalPolicy}.
     */
    ClusterContext context(RemovalPolicy removal, RetentionDays retention) {
        return new ClusterContext(cluster, nodegroup, podIdentityAgent, kubectlSubnets, removal, retention,
                kubernetesMinor, logsKey, this);
    }

    /**
     * Creates an IAM role that pods running as {@code namespace/serviceAccount} assume through EKS Pod Identity. The
     * namespaces of Kubernetes, Knative, Istio and the platform's add-ons are refused: the platform manages their
     * identities itself.
     *
     * @param id the role's construct id
     * @param namespace the pods' namespace
     * @param serviceAccount the pods' service account
     * @return the role, with no permissions yet
     */
    public PodIdentityRole podIdentityRole(String id, String namespace, String serviceAccount) {
        ApplicationNamespace.check(this, "namespace", namespace);
        return new PodIdentityRole(this, id, cluster, namespace, serviceAccount);
    }

    /** @return the EKS cluster */
    public Cluster getCluster() {
        return cluster;
    }

    /** @return the managed nodegroup */
    public Nodegroup getNodegroup() {
        return nodegroup;
    }

    /** @return the EKS Pod Identity agent add-on; pods that need AWS credentials must start after it */
    public IConstruct getPodIdentityAgent() {
        return podIdentityAgent;
    }

    /** @return what happens to data-bearing resources (keys, log groups, image repositories) on stack deletion */
    public RemovalPolicy getRemovalPolicy() {
        return removalPolicy;
    }

    /** @return how long the log groups the stack creates keep their logs */
    public RetentionDays getLogRetention() {
        return logRetention;
    }

    /** @return the Kubernetes 1.x minor version, e.g. 35 */
    public int getKubernetesMinor() {
        return kubernetesMinor;
    }

    /** Builds a {@link KnativeCluster}: {@code KnativeCluster.Builder.create(scope, id)...build()}. */
    public static final class Builder extends KnativeClusterProps.AbstractBuilder<Builder, KnativeCluster> {
        private final Construct scope;
        private final String id;

        private Builder(Construct scope, String id) {
            this.scope = scope;
            this.id = id;
        }

        /**
         * @param scope the construct's parent
         * @param id the construct's id
         * @return a builder of a cluster with the given scope and id
         */
        public static Builder create(Construct scope, String id) {
            return new Builder(scope, id);
        }

        @Override
        public KnativeCluster build() {
            return new KnativeCluster(scope, id, new KnativeClusterProps(this));
        }
    }
}
