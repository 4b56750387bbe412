package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.eks.CfnPodIdentityAssociation;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity: the role trusts
 * {@code pods.eks.amazonaws.com}, and an association binds it to the namespace and service account. It starts with
 * no permissions; grant it exactly what the pods need. Pods get its credentials only if they start after the
 * association exists, so make what starts them depend on this construct. It is a principal: its role is what
 * grants go to.
 *
 * <pre>{@code
 * PodIdentityRole reader = PodIdentityRole.Builder.create(this, "ReportsReader")
 *         .cluster(cluster.getCluster())   // any eks_v2 ICluster, imported ones too
 *         .namespace("reports")
 *         .serviceAccount("reader")
 *         .build();
 * bucket.grantRead(reader);   // for pods in namespace reports that run as service account reader
 * }</pre>
 *
 * <p>{@link KnativeCluster#podIdentityRole} makes the same and refuses the namespaces the platform manages itself;
 * this constructor takes any namespace.
 */
public final class PodIdentityRole extends Construct implements IGrantable {
    private final Role role;
    private final String namespace;
    private final String serviceAccount;

    /**
     * A role for the pods that run as {@code namespace/serviceAccount} on {@code cluster}; {@link Builder} is the
     * longer way to write it.
     *
     * @param scope the construct's parent
     * @param id the construct's id
     * @param cluster the EKS cluster the association is made on
     * @param namespace the pods' namespace, a DNS-1123 label
     * @param serviceAccount the pods' service account, a DNS-1123 label
     */
    public PodIdentityRole(Construct scope, String id, ICluster cluster, String namespace, String serviceAccount) {
        super(scope, id);
        Validate.required(this, "cluster", cluster, "pass the EKS cluster the pods run on");
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

    /** @return the role: {@code bucket.grantRead(podIdentityRole)} grants to it */
    @Override
    public IPrincipal getGrantPrincipal() {
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

    /** Builds a {@link PodIdentityRole}: {@code PodIdentityRole.Builder.create(scope, id).cluster(c)...build()}. */
    public static final class Builder {
        private final Construct scope;
        private final String id;
        private ICluster cluster;
        private String namespace;
        private String serviceAccount;

        private Builder(Construct scope, String id) {
            this.scope = scope;
            this.id = id;
        }

        /**
         * @param scope the construct's parent
         * @param id the construct's id
         * @return a builder of a role with the given scope and id
         */
        public static Builder create(Construct scope, String id) {
            return new Builder(scope, id);
        }

        /**
         * The EKS cluster the pods run on; the Pod Identity association is made there. Required.
         *
         * @param value the cluster, e.g. {@code knativeCluster.getCluster()} or an imported one
         * @return this builder
         */
        public Builder cluster(ICluster value) {
            this.cluster = value;
            return this;
        }

        /**
         * The pods' namespace. Required.
         *
         * @param value a DNS-1123 label
         * @return this builder
         */
        public Builder namespace(String value) {
            this.namespace = value;
            return this;
        }

        /**
         * The service account the pods run as. Required.
         *
         * @param value a DNS-1123 label
         * @return this builder
         */
        public Builder serviceAccount(String value) {
            this.serviceAccount = value;
            return this;
        }

        /** @return the role, with no permissions yet */
        public PodIdentityRole build() {
            return new PodIdentityRole(scope, id, cluster, namespace, serviceAccount);
        }
    }

    /**
     * The role {@code arn} imported (mutable) into {@code from} once, so that grants become policies of
     * {@code from}'s stack.
     */
    static IRole imported(Construct from, String id, String arn) {
        IConstruct existing = from.getNode().tryFindChild(id);
        return existing != null ? (IRole) existing : Role.fromRoleArn(from, id, arn);
    }
}
