package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.eks.CfnPodIdentityAssociation;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity: the role trusts
 * {@code pods.eks.amazonaws.com}, and an association binds it to the namespace and service account. It starts with
 * no permissions; grant it exactly what the pods need. Pods get its credentials only if they start after the
 * association exists, so make what starts them depend on this construct.
 *
 * <pre>{@code
 * PodIdentityRole reader = cluster.podIdentityRole("ReportsReader", "reports", "reader");
 * bucket.grantRead(reader.getRole());   // for pods in namespace reports that run as service account reader
 * }</pre>
 */
public final class PodIdentityRole extends Construct {
    private final Role role;
    private final String namespace;
    private final String serviceAccount;

    PodIdentityRole(Construct scope, String id, ICluster cluster, String namespace, String serviceAccount) {
        super(scope, id);
        Validate.dnsLabel(this, "namespace", namespace);
        Validate.dnsLabel(this, "serviceAccount", serviceAccount);
        this.namespace = namespace;
        this.serviceAccount = serviceAccount;
        this.role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("pods.eks.amazonaws.com").withSessionTags())
                .description("EKS Pod Identity for " + namespace + "/" + serviceAccount)
                .build();
        CfnPodIdentityAssociation.Builder.create(this, "Association")
                .clusterName(cluster.getClusterName())
                .namespace(namespace)
                .serviceAccount(serviceAccount)
                .roleArn(role.getRoleArn())
                .build();
    }

    /**
     * Grants pushing images to {@code repository} (and the ECR login every client needs).
     *
     * @param repository the repository
     */
    public void grantEcrPush(IRepository repository) {
        Validate.required(this, "repository", repository, "pass the ECR repository to push to");
        repository.grantPush(role);
        acknowledgeEcrLogin(role);
    }

    /**
     * Grants pulling images from {@code repository} (and the ECR login every client needs).
     *
     * @param repository the repository
     */
    public void grantEcrPull(IRepository repository) {
        grantEcrPull(this, repository);
    }

    /** Grants pulling images from {@code repository}, written into {@code from}'s stack (see {@link #grantee}). */
    void grantEcrPull(Construct from, IRepository repository) {
        Validate.required(this, "repository", repository, "pass the ECR repository to pull from");
        IRole grantee = grantee(from);
        repository.grantPull(grantee);
        acknowledgeEcrLogin(grantee);
    }

    /**
     * The role as {@code from} grants to it: the role itself when both are in one stack; otherwise the role imported
     * by name into {@code from}, so a grant becomes a policy of {@code from}'s stack attached to the role, and the
     * role's stack never references {@code from}'s resources (no cycle when {@code from}'s stack depends on it).
     */
    IRole grantee(Construct from) {
        if (Stack.of(from).equals(Stack.of(this))) {
            return role;
        }
        String id = getNode().getId() + "Role";
        IConstruct existing = from.getNode().tryFindChild(id);
        return existing != null ? (IRole) existing : Role.fromRoleName(from, id, role.getRoleName());
    }

    /** Suppresses cdk-nag's wildcard finding on the ECR login a pull or push grant adds to {@code grantee}. */
    static void acknowledgeEcrLogin(IRole grantee) {
        NagSuppressions.suppressOnPolicy(grantee, "AwsSolutions-IAM5",
                "ecr:GetAuthorizationToken supports no resource-level permission; every other ECR action here is "
                        + "scoped to one repository", "Resource::*");
    }

    /** @return the role, to grant permissions to */
    public IRole getRole() {
        return role;
    }

    /** @return the namespace of the service account */
    public String getNamespace() {
        return namespace;
    }

    /** @return the service account's name */
    public String getServiceAccount() {
        return serviceAccount;
    }
}
