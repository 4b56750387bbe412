package io.knativeoneks;

import io.knativeoneks.common.Versions;
import io.knativeoneks.internal.Validate;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.eks.CfnAddon;
import software.amazon.awscdk.services.eks.CfnCluster;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The synth-time checks of a {@link KnativePlatform} against its cluster and the app: one platform per cluster, one
 * Pod Identity agent add-on, a kubectl provider, access entries, and versions of Knative, Istio and Kubernetes that
 * go together. Each error names the platform's path.
 */
final class PlatformChecks {
    /** The EKS add-on of the Pod Identity agent. */
    static final String POD_IDENTITY_AGENT = "eks-pod-identity-agent";
    private static final int OPERATOR_MIN_KNATIVE_MINOR = Versions.KNATIVE_OPERATOR_MIN_KNATIVE_MINOR;
    private static final int OPERATOR_MAX_KNATIVE_MINOR = Versions.KNATIVE_OPERATOR_MAX_KNATIVE_MINOR;
    /** The Istio line of {@link Versions#ISTIO}: any patch release of it. */
    private static final String ISTIO_LINE = Versions.ISTIO.substring(0, Versions.ISTIO.lastIndexOf('.'));
    private static final Pattern ISTIO_RELEASE = Pattern.compile(Pattern.quote(ISTIO_LINE) + "\\.(\\d+)");
    private static final int ISTIO_MAX_KUBERNETES_MINOR = Versions.ISTIO_MAX_KUBERNETES_MINOR;

    private PlatformChecks() {
    }

    /**
     * Checks that {@code platform} can install on {@code eks}: a kubectl provider, access entries (the readiness
     * waits have one), the same app, account and region, and no other platform on it.
     */
    static void checkCluster(PlatformBase platform, ICluster eks) {
        SameApp.check(platform, "cluster", eks, "create the platform in the cluster's "
                + "app, account and region, or import the cluster there");
        checkKubectlProvider(platform, eks);
        checkAccessEntries(platform, eks);
    }

    /** Refuses a cluster without a kubectl provider: no chart or manifest could be applied to it. */
    static void checkKubectlProvider(Construct self, ICluster eks) {
        Validate.check(eks.getKubectlProvider() != null, self, "cluster", eks.getNode().getPath(),
                "has no kubectl provider, so no chart or manifest can be applied to it", "import it with "
                        + "Cluster.fromClusterAttributes(..., ClusterAttributes.builder().clusterName(...)"
                        + ".kubectlProvider(KubectlProvider.fromKubectlProviderAttributes(...)).build())");
    }

    /**
     * Refuses a cluster made in this app whose authentication mode is {@code CONFIG_MAP}: the readiness waits'
     * access entry cannot exist there. eks_v2 makes clusters with {@code API}; only an escape hatch changes it.
     */
    private static void checkAccessEntries(PlatformBase platform, ICluster eks) {
        if (eks.getNode().getDefaultChild() instanceof CfnCluster cfn
                && Stack.of(cfn).resolve(cfn.getAccessConfig()) instanceof Map<?, ?> access) {
            Validate.check(!"CONFIG_MAP".equals(access.get("authenticationMode")), platform, "cluster", named(eks),
                    "has authentication mode CONFIG_MAP, where the readiness waits' access entry cannot exist",
                    "keep eks_v2's authentication mode API, or use API_AND_CONFIG_MAP");
        }
    }

    /** @return the path of the cluster as the user made it: the KnativeCluster around it, or the cluster itself */
    static String named(ICluster eks) {
        return (eks.getNode().getScope() instanceof KnativeCluster owner ? owner : eks).getNode().getPath();
    }

    /**
     * Refuses {@code installPodIdentityAgent(true)} on a cluster that has the agent add-on in this app already (a
     * KnativeCluster's own, or one the user added): EKS takes one add-on of a name per cluster, so the second would
     * fail the deploy.
     */
    static void checkNoSecondPodIdentityAgent(PlatformBase platform, KnativePlatformProps props) {
        if (!props.installPodIdentityAgent) {
            return;
        }
        String clusterName = props.cluster.getClusterName();
        for (IConstruct c : platform.getNode().getRoot().getNode().findAll()) {
            if (c instanceof CfnAddon addon && POD_IDENTITY_AGENT.equals(addon.getAddonName())
                    && clusterName.equals(addon.getClusterName())) {
                Validate.check(false, platform, "installPodIdentityAgent", true, "would add a second "
                        + POD_IDENTITY_AGENT + " add-on to the cluster " + props.cluster.getNode().getPath()
                        + ", which has one already (" + addon.getNode().getScope().getNode().getPath() + "; EKS "
                        + "takes one add-on of a name per cluster)", "remove installPodIdentityAgent(true)");
            }
        }
    }

    /**
     * Checks that the Knative Operator installs {@code knativeVersion}, that it and {@code istioVersion} run on the
     * cluster's Kubernetes (when known), and that the Istio release is of the line Knative runs with.
     *
     * @param kubernetesMinor the cluster's Kubernetes 1.x minor, or null when unknown
     */
    static void checkVersions(PlatformBase platform, KnativePlatformProps props, Integer kubernetesMinor) {
        int knativeMinor = props.knativeVersion.getMinor();
        Validate.check(knativeMinor >= OPERATOR_MIN_KNATIVE_MINOR && knativeMinor <= OPERATOR_MAX_KNATIVE_MINOR,
                platform, "knativeVersion", props.knativeVersion, "must be 1." + OPERATOR_MIN_KNATIVE_MINOR + " to 1."
                        + OPERATOR_MAX_KNATIVE_MINOR + ", the releases Knative Operator "
                        + Versions.KNATIVE_OPERATOR + " installs",
                "use KnativeVersion.V" + Versions.KNATIVE.replace('.', '_'));
        if (kubernetesMinor != null) {
            Validate.check(kubernetesMinor >= props.knativeVersion.getMinKubernetesMinor(), platform,
                    "knativeVersion", props.knativeVersion, "needs Kubernetes 1."
                            + props.knativeVersion.getMinKubernetesMinor() + " or newer, but the cluster runs 1."
                            + kubernetesMinor, "raise the cluster's kubernetesVersion");
        }
        Validate.check(ISTIO_RELEASE.matcher(props.istioVersion).matches(), platform, "istioVersion",
                "\"" + props.istioVersion + "\"", "must be an Istio " + ISTIO_LINE + ".x release (the line Knative "
                        + Versions.KNATIVE + " runs with that supports Kubernetes up to 1."
                        + ISTIO_MAX_KUBERNETES_MINOR + ")",
                "use \"" + KnativePlatformProps.DEFAULT_ISTIO_VERSION + "\"");
        if (kubernetesMinor != null) {
            Validate.check(kubernetesMinor <= ISTIO_MAX_KUBERNETES_MINOR, platform, "istioVersion",
                    props.istioVersion, "supports Kubernetes up to 1." + ISTIO_MAX_KUBERNETES_MINOR
                            + ", but the cluster runs 1." + kubernetesMinor, "lower the cluster's kubernetesVersion");
        }
    }
}
