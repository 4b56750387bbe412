package io.knativeoneks.k8s;

import io.knativeoneks.common.Versions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Knative Serving and Eventing release, as the Knative Operator's {@code spec.version} names it, and the oldest
 * Kubernetes minor it supports.
 */
public final class KnativeVersion {
    private static final Pattern ONE_DOT_MINOR = Pattern.compile("1\\.(\\d+)(\\.\\d+)?");

    /**
     * The release {@link Versions#KNATIVE} pins; it needs Kubernetes 1.{@value Versions#KNATIVE_MIN_KUBERNETES_MINOR}
     * or newer.
     */
    public static final KnativeVersion V1_23 = new KnativeVersion(Versions.KNATIVE,
            Versions.KNATIVE_MIN_KUBERNETES_MINOR);

    private final String version;
    private final int minKubernetesMinor;

    private KnativeVersion(String version, int minKubernetesMinor) {
        this.version = version;
        this.minKubernetesMinor = minKubernetesMinor;
    }

    /**
     * A release this library has no constant for yet; the Knative Operator pinned by the platform must be able to
     * install it.
     *
     * @param version "major.minor" or "major.minor.patch", e.g. "1.23"
     * @param minKubernetesMinor the oldest Kubernetes 1.x minor the release supports, e.g. 34 for 1.34
     * @return the release
     */
    public static KnativeVersion of(String version, int minKubernetesMinor) {
        return new KnativeVersion(version, minKubernetesMinor);
    }

    /** @return the version string given to the operator, e.g. "1.23" */
    public String getVersion() {
        return version;
    }

    /** @return the minor of the oldest supported Kubernetes 1.x release, e.g. 34 */
    public int getMinKubernetesMinor() {
        return minKubernetesMinor;
    }

    /** @return the minor of this Knative 1.x release, e.g. 23, or -1 where the version is not of the form 1.N[.P] */
    public int getMinor() {
        Matcher m = ONE_DOT_MINOR.matcher(version == null ? "" : version);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Override
    public String toString() {
        return version;
    }
}
