package io.knativeoneks;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.services.eks_v2.Addon;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.constructs.Construct;

/**
 * Logs, the role fluentd played in 2019: the EKS add-on {@code amazon-cloudwatch-observability} (Fluent Bit on every
 * node and the CloudWatch agent), with its IAM through EKS Pod Identity. Container logs land in CloudWatch Logs under
 * {@code /aws/containerinsights/<cluster>/application}.
 *
 * <pre>{@code
 * KnativePlatform platform = KnativePlatform.Builder.create(this, "Platform").cluster(cluster)
 *         .logs(LogsOptions.builder().build())
 *         .build();
 * CloudWatchLogs logs = platform.getLogs();
 * }</pre>
 */
public final class CloudWatchLogs extends Construct {
    /** The add-on's name. */
    public static final String ADDON = "amazon-cloudwatch-observability";
    /** The add-on's namespace. */
    public static final String NAMESPACE = "amazon-cloudwatch";

    private final Addon addon;

    CloudWatchLogs(Construct scope, String id, ClusterContext cluster) {
        super(scope, id);
        PodIdentityRole agent = new PodIdentityRole(this, "AgentIdentity", cluster.getCluster(), NAMESPACE,
                "cloudwatch-agent");
        agent.getRole().addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName("CloudWatchAgentServerPolicy"));
        NagSuppressions.suppress(agent.getRole(), "AwsSolutions-IAM4",
                "the add-on's documented policy: the agent writes logs and metrics of any container in the cluster",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/CloudWatchAgentServerPolicy");
        addon = Addon.Builder.create(this, "Addon").cluster(cluster.getCluster()).addonName(ADDON).build();
        addon.getNode().addDependency(agent);
        cluster.afterNodes(addon);
        CfnOutput.Builder.create(this, "ApplicationLogGroup")
                .description("CloudWatch log group with the containers' logs")
                .value("/aws/containerinsights/" + cluster.getCluster().getClusterName() + "/application")
                .build();
    }

    /** @return the add-on */
    public Addon getAddon() {
        return addon;
    }
}
