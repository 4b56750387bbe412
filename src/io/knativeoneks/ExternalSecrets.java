package io.knativeoneks;

import io.knativeoneks.common.Versions;
import java.util.Map;
import software.amazon.awscdk.services.eks_v2.HelmChart;
import software.amazon.awscdk.services.iam.IRole;
import software.constructs.Construct;
import software.constructs.DependencyGroup;
import software.constructs.IDependable;

/**
 * The External Secrets Operator, which syncs AWS Secrets Manager secrets into Kubernetes Secrets at run time, with
 * its own EKS Pod Identity (no permissions until a secret is granted to {@link #getRole()}). A platform installs it
 * once, when the first workload needs registry credentials; a platform imported with the operator's role
 * ({@link KnativePlatformAttributes#getExternalSecretsRoleArn()}) uses the one its app installed.
 *
 * <pre>{@code
 * secret.grantRead(platform.externalSecrets().getRole());   // the operator may now sync this secret
 * }</pre>
 */
public final class ExternalSecrets extends Construct {
    /** The operator's chart repository. */
    public static final String REPOSITORY = Versions.EXTERNAL_SECRETS_REPOSITORY;
    /** The pinned chart version (API {@code external-secrets.io/v1}). */
    public static final String CHART_VERSION = Versions.EXTERNAL_SECRETS;
    /** The namespace, release and service account name of the operator. */
    public static final String NAME = "external-secrets";

    /** The operator's identity, or null for the operator of an imported platform. */
    private final PodIdentityRole identity;
    /** The operator's chart, or null for the operator of an imported platform. */
    private final HelmChart chart;
    private final IRole role;

    ExternalSecrets(Construct scope, String id, ClusterContext cluster) {
        super(scope, id);
        identity = new PodIdentityRole(this, "Identity", cluster.getCluster(), NAME, NAME);
        chart = cluster.addHelmChart(this, "ExternalSecrets", REPOSITORY, "external-secrets", CHART_VERSION, NAME,
                NAME, Map.of("installCRDs", true));
        chart.getNode().addDependency(identity);
        role = identity.getRole();
    }

    /** The operator another app installed, known by its role. */
    ExternalSecrets(Construct scope, String id, String roleArn) {
        super(scope, id);
        identity = null;
        chart = null;
        role = PodIdentityRole.imported(this, "Role", roleArn);
    }

    /** @return the operator's IAM role; grant it read on the secrets it syncs */
    public IRole getRole() {
        return role;
    }

    /** @return the operator's role as {@code from} grants to it, so that a grant is a policy of {@code from}'s stack */
    IRole grantee(Construct from) {
        return identity != null ? identity.grantee(from)
                : PodIdentityRole.imported(from, "ExternalSecretsRole", role.getRoleArn());
    }

    /** @return the operator's chart, or null for the operator another app installed */
    public HelmChart getChart() {
        return chart;
    }

    /** @return what exists once the operator runs: its chart, or nothing to wait for when another app installed it */
    IDependable getReady() {
        return chart != null ? chart : new DependencyGroup();
    }
}
