package io.knativeoneks.k8s;

import io.knativeoneks.internal.Tokens;
import io.knativeoneks.internal.Validate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.constructs.Construct;

/**
 * Revisions of a Knative Service and how requests split between them: the name of the revision this deploy
 * creates ({@code <service>-<revisionName>}), the revisions earlier deploys created that are still in the cluster,
 * and the traffic block, e.g. a canary:
 *
 * <pre>{@code
 * Traffic.builder()
 *         .revisionName("v2")
 *         .previousRevisions(List.of("v1"))
 *         .targets(List.of(TrafficTarget.revision("v1", 90).withTag("v1"),
 *                 TrafficTarget.latestRevision(10).withTag("canary")))
 *         .build()
 * }</pre>
 *
 * <p>Knative rejects a changed service whose revision name did not change: give every deploy that changes the image,
 * the environment or the scale a new {@code revisionName}.
 */
public final class Traffic {
    private static final int MAX_REVISION_NAME = DomainTemplate.MAX_LABEL;

    private final String revisionName;
    private final List<String> previousRevisions;
    private final List<TrafficTarget> targets;
    private final Validate.Nulls nulls;

    private Traffic(Builder b) {
        this.revisionName = b.revisionName;
        this.previousRevisions = b.previousRevisions != null ? List.copyOf(b.previousRevisions) : List.of();
        this.targets = b.targets != null ? List.copyOf(b.targets) : List.of();
        this.nulls = b.nulls;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the name of the revision this deploy creates, without the service prefix, or null */
    public String getRevisionName() {
        return revisionName;
    }

    /** @return the revisions of earlier deploys that targets may name, without the service prefix */
    public List<String> getPreviousRevisions() {
        return previousRevisions;
    }

    /** @return the traffic targets; empty means all requests go to the latest revision */
    public List<TrafficTarget> getTargets() {
        return targets;
    }

    /**
     * Checks the revision names and targets of service {@code service}: names make valid revision names, percentages
     * are 0 to 100 and sum to 100, targets name known revisions, tags are DNS-1035 labels and unique.
     *
     * @param scope the construct the error names
     * @param service the Knative Service's name
     */
    public void check(Construct scope, String service) {
        nulls.check(scope, "traffic.");
        Set<String> known = new HashSet<>();
        if (revisionName != null) {
            checkRevisionName(scope, "traffic.revisionName", service, revisionName);
            known.add(revisionName);
        }
        for (String previous : previousRevisions) {
            checkRevisionName(scope, "traffic.previousRevisions", service, previous);
            Validate.check(known.add(previous), scope, "traffic.previousRevisions", "\"" + previous + "\"",
                    "is listed twice or is also this deploy's revisionName",
                    "list each earlier revision once, and not the one this deploy creates");
        }
        if (targets.isEmpty()) {
            return;
        }
        int sum = 0;
        Set<String> tags = new HashSet<>();
        for (TrafficTarget target : targets) {
            Validate.check(target.getPercent() >= 0 && target.getPercent() <= 100, scope, "traffic", target,
                    "must have a percent from 0 to 100", "give each target a share from 0 to 100");
            sum += target.getPercent();
            String revision = target.getRevision();
            Validate.check(revision == null || known.contains(revision), scope, "traffic", target,
                    "names a revision that is neither this deploy's revisionName " + quoted(revisionName)
                            + " nor one of previousRevisions " + previousRevisions,
                    "add \"" + revision + "\" to previousRevisions if an earlier deploy created " + service + "-"
                            + revision + ", or name a known revision");
            if (target.getTag() != null) {
                // knative/serving pkg/apis/serving/v1/route_validation.go validateTrafficList: a tag is a DNS-1035
                // label (it names the tag's Kubernetes Service, <tag>-<service>); DomainTemplate checks its host
                Validate.dns1035Label(scope, "traffic tag", target.getTag(), "canary");
                Validate.check(tags.add(target.getTag()), scope, "traffic", target,
                        "repeats the tag \"" + target.getTag() + "\"", "give each tag to one target only");
            }
        }
        Validate.check(sum == 100, scope, "traffic", targets, "has percentages that sum to " + sum + ", not 100",
                "make the shares add up to 100");
    }

    private static void checkRevisionName(Construct scope, String property, String service, String name) {
        Validate.dnsLabel(scope, property, name);
        String full = service + "-" + name;
        Validate.check(Tokens.isUnresolved(full) || full.length() <= MAX_REVISION_NAME, scope, property,
                "\"" + name + "\"", "makes the revision name " + full + " of " + full.length()
                        + " characters, more than Kubernetes labels allow (" + MAX_REVISION_NAME + ")",
                "use a shorter name such as \"v2\"");
    }

    private static String quoted(String value) {
        return value == null ? "(none)" : "\"" + value + "\"";
    }

    /** Builds {@link Traffic}. */
    public static final class Builder {
        private String revisionName;
        private List<String> previousRevisions;
        private List<TrafficTarget> targets;
        private final Validate.Nulls nulls = new Validate.Nulls();

        private Builder() {
        }

        /**
         * Names the revision this deploy creates {@code <service>-<value>} (a DNS label, e.g. "v2"), so traffic can
         * name it now and in later deploys. Change it whenever the service changes.
         *
         * @param value the revision's name without the service prefix
         * @return this builder
         * @default Knative's generated names ({@code <service>-00001}, ...)
         */
        public Builder revisionName(String value) {
            this.revisionName = value;
            nulls.record("revisionName", value);
            return this;
        }

        /**
         * Revisions earlier deploys created that are still in the cluster (names without the service prefix), which
         * targets may name, e.g. {@code List.of("v1")}.
         *
         * @param value the revisions' names without the service prefix
         * @return this builder
         * @default none
         */
        public Builder previousRevisions(List<String> value) {
            this.previousRevisions = value;
            nulls.record("previousRevisions", value);
            return this;
        }

        /**
         * How requests split between revisions; percentages sum to 100, and each tag gets its own host.
         *
         * @param value the targets
         * @return this builder
         * @default all requests to the latest revision
         */
        public Builder targets(List<TrafficTarget> value) {
            this.targets = value;
            nulls.record("targets", value);
            return this;
        }

        /** @return the traffic settings */
        public Traffic build() {
            return new Traffic(this);
        }
    }
}
