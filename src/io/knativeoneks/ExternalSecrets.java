package io.knativeoneks;

import io.knativeoneks.common.Versions;
import java.util.Map;
import software.amazon.awscdk.services.eks_v2.HelmChart;
import software.amazon.awscdk.services.iam.IRole;
import software.constructs.Construct;

/**
 * The External Secrets Operator, which syncs AWS Secrets Manager secrets into Kubernetes Secrets at run time, with
 * its own EKS Pod Identity (no permissions until a secret is granted to {@link #getRole()}). A platform installs it
 * once, when the first workload needs registry credentials.
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

    private final PodIdentityRole identity;
    private final HelmChart chart;

    ExternalSecrets(Construct scope, String id, ClusterContext cluster) {
        super(scope, id);
        identity = new PodIdentityRole(this, "Identity", cluster.getCluster(), NAME, NAME);
        chart = cluster.addHelmChart(this, "ExternalSecrets", REPOSITORY, "external-secrets", CHART_VERSION, NAME,
                NAME, Map.of("installCRDs", true));
        chart.getNode().addDependency(identity);
    }

    /** @return the operator's IAM role; grant it read on the secrets it syncs */
    public IRole getRole() {
        return identity.getRole();
    }

    /** @return the operator's identity */
    PodIdentityRole getIdentity() {
        return identity;
    }

    /** @return the operator's chart */
    public HelmChart getChart() {
        return chart;
    }
}
