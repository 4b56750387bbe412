package io.knativeoneks.k8s;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a Knative Service's traffic block: a share of the requests for a revision, and optionally a tag, a
 * name that reaches this revision alone on its own host ({@code <tag>-<service>...}).
 *
 * <pre>{@code
 * List.of(TrafficTarget.revision("v1", 90).withTag("stable"),
 *         TrafficTarget.latestRevision(10).withTag("canary"))
 * }</pre>
 */
public final class TrafficTarget {
    private final String revision;
    private final int percent;
    private final String tag;

    private TrafficTarget(String revision, int percent, String tag) {
        this.revision = revision;
        this.percent = percent;
        this.tag = tag;
    }

    /**
     * The newest ready revision gets {@code percent} of the requests, and follows every new deploy.
     *
     * @param percent the share of requests, 0 to 100
     * @return the target
     */
    public static TrafficTarget latestRevision(int percent) {
        return new TrafficTarget(null, percent, null);
    }

    /**
     * The revision {@code <service>-<name>} gets {@code percent} of the requests: the one this deploy names
     * ({@link Traffic.Builder#revisionName}) or one named in {@link Traffic.Builder#previousRevisions}.
     *
     * @param name the revision's name without the service prefix
     * @param percent the share of requests, 0 to 100
     * @return the target
     */
    public static TrafficTarget revision(String name, int percent) {
        return new TrafficTarget(name, percent, null);
    }

    /**
     * @param value the tag, a DNS-1035 label (lower-case letters, digits and '-', starting with a letter)
     * @return this target with a tag whose own host reaches this revision alone
     */
    public TrafficTarget withTag(String value) {
        return new TrafficTarget(revision, percent, value);
    }

    /** @return the revision's name without the service prefix, or null for the latest revision */
    public String getRevision() {
        return revision;
    }

    /** @return the share of requests, in percent */
    public int getPercent() {
        return percent;
    }

    /** @return the tag, or null */
    public String getTag() {
        return tag;
    }

    /** @return the entry of {@code spec.traffic} for the service {@code service} */
    Map<String, Object> toSpec(String service) {
        Map<String, Object> spec = new LinkedHashMap<>();
        if (revision == null) {
            spec.put("latestRevision", true);
        } else {
            spec.put("latestRevision", false);
            spec.put("revisionName", service + "-" + revision);
        }
        spec.put("percent", percent);
        if (tag != null) {
            spec.put("tag", tag);
        }
        return spec;
    }

    @Override
    public String toString() {
        return (revision == null ? "latest revision" : "revision " + revision) + " " + percent + "%"
                + (tag == null ? "" : " tag " + tag);
    }
}
