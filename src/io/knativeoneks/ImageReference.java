package io.knativeoneks;

import io.knativeoneks.internal.ImageReferences;
import io.knativeoneks.internal.Tokens;
import io.knativeoneks.internal.Validate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.RepositoryAttributes;
import software.constructs.Construct;

/**
 * An existing image a workload runs, read at synth with the grammar of {@link ImageReferences}: it must name a tag or
 * a digest, {@code :latest} warns, and an Amazon ECR image names its repository, on which the workload grants Knative
 * Serving's controller pull (the controller resolves tags to digests itself: without the grant, the 401 of 2019). ECR references are read in every partition ({@code aws},
 * {@code aws-cn}, {@code aws-us-gov}), at FIPS and dual-stack endpoints, and with CDK tokens in them, as
 * {@code repository.repositoryUriForTag("1.0")} gives; a reference whose registry is hidden in a token fails, so no
 * grant is ever skipped silently.
 */
final class ImageReference {
    /**
     * ECR registry hosts: {@code <account>.dkr.ecr.<region>.amazonaws.com[.cn]}, FIPS
     * {@code <account>.dkr.ecr-fips.<region>.amazonaws.com}, dual-stack
     * {@code <account>.dkr-ecr[-fips].<region>.on.aws} (Amazon ECR User Guide, "Making requests to Amazon ECR
     * registries"; AWS General Reference, "Amazon ECR endpoints and quotas"); any part may be a token.
     */
    private static final Pattern ECR_HOST = Pattern.compile("(?<account>\\d{12}|" + Tokens.TOKEN + ")\\."
            + "(dkr\\.ecr|dkr\\.ecr-fips|dkr-ecr|dkr-ecr-fips)\\."
            + "(?<region>[a-z]{2}(-[a-z]+)+-\\d|" + Tokens.TOKEN + ")\\."
            + "(?<suffix>amazonaws\\.com|amazonaws\\.com\\.cn|on\\.aws|" + Tokens.TOKEN + ")");
    /** What a host that is meant to be a private ECR registry contains (ECR Public, public.ecr.aws, needs no grant). */
    private static final Pattern ECR_LIKE = Pattern.compile(".*dkr[.-]ecr.*");

    private ImageReference() {
    }

    /**
     * Checks {@code reference} (the {@code image} of {@code scope}, which errors name) and imports its ECR
     * repository under {@code scope}.
     *
     * @return the ECR repository of the image, or null for another registry
     */
    static IRepository bind(Construct scope, String reference) {
        Validate.imageReference(scope, "image", reference);
        ImageReferences.Parts parts = ImageReferences.split(reference);
        if (parts.digest() == null) {
            warnIfLatest(scope, reference, parts.tag());
        }
        String host = parts.host() != null ? parts.host() : "";
        Matcher ecr = ECR_HOST.matcher(host);
        if (ecr.matches()) {
            Validate.check(parts.pinned(), scope, "image", "\"" + reference + "\"",
                    "must name a tag or a digest, or the deployment would drift with :latest",
                    "use repository.repositoryUriForTag(\"<tag>\") or add @sha256:<digest>");
            return importRepository(scope, ecr, parts.path());
        }
        boolean hidden = Tokens.isUnresolved(reference) && (parts.host() == null || Tokens.isUnresolved(host));
        Validate.check(!hidden, scope, "image", "\"" + reference + "\"",
                "hides its registry in a CDK token, so it is unknown at synth whether Knative Serving's controller "
                        + "needs pull on an ECR repository",
                "pass a literal reference, or repository.repositoryUriForTag(\"<tag>\") for an ECR repository");
        Validate.check(!ECR_LIKE.matcher(host).matches(), scope, "image", "\"" + reference + "\"",
                "names a registry that looks like Amazon ECR but is none of its forms "
                        + "(<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn], "
                        + "<account>.dkr-ecr[-fips].<region>.on.aws)",
                "copy the repository URI from the ECR console, e.g. "
                        + "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1");
        return null;
    }

    /**
     * Warns when {@code tag} is {@code latest}: the tag moves, so each new revision may run another image.
     *
     * @param image the image as the warning names it
     * @param tag the tag (what follows the ':' of the reference), or null
     */
    static void warnIfLatest(Construct scope, String image, String tag) {
        if ("latest".equals(tag)) {
            Annotations.of(scope).addWarningV2("knative-on-eks:latestImage", "The image " + image
                    + " is tagged :latest: each new revision may run another image. Pin a version tag or a digest.");
        }
    }

    private static IRepository importRepository(Construct scope, Matcher ecr, String repositoryName) {
        String account = ecr.group("account");
        String region = ecr.group("region");
        String suffix = ecr.group("suffix");
        String partition;
        if (suffix.endsWith(".cn") || region.startsWith("cn-")) {
            partition = "aws-cn";
        } else if (region.startsWith("us-gov-")) {
            partition = "aws-us-gov";
        } else if (Tokens.isUnresolved(region) || Tokens.isUnresolved(suffix)) {
            partition = Aws.PARTITION;
        } else {
            partition = "aws";
        }
        return Repository.fromRepositoryAttributes(scope, "Repository", RepositoryAttributes.builder()
                .repositoryArn("arn:" + partition + ":ecr:" + region + ":" + account + ":repository/" + repositoryName)
                .repositoryName(repositoryName)
                .build());
    }
}
