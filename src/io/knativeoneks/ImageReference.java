package io.knativeoneks;

import io.knativeoneks.internal.Tokens;
import io.knativeoneks.internal.Validate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.RepositoryAttributes;

/**
 * An existing image a workload runs, read at synth: it must name a tag or a digest, {@code :latest} warns, and an
 * Amazon ECR image gets Knative Serving's controller pull on its repository (the controller resolves tags to digests
 * itself: without the grant, the 401 of 2019). ECR references are read in every partition ({@code aws},
 * {@code aws-cn}, {@code aws-us-gov}), at FIPS and dual-stack endpoints, and with CDK tokens in them, as
 * {@code repository.repositoryUriForTag("1.0")} gives; a reference whose registry is hidden in a token fails, so no
 * grant is ever skipped silently.
 */
final class ImageReference {
    /** Where a token stood: {@code <index>}. */
    private static final String PLACEHOLDER = "<(\\d+)>";
    /**
     * ECR registry hosts: {@code <account>.dkr.ecr.<region>.amazonaws.com[.cn]}, FIPS
     * {@code <account>.dkr.ecr-fips.<region>.amazonaws.com}, dual-stack
     * {@code <account>.dkr-ecr[-fips].<region>.on.aws} (Amazon ECR User Guide, "Making requests to Amazon ECR
     * registries"; AWS General Reference, "Amazon ECR endpoints and quotas"); any part may be a token.
     */
    private static final Pattern ECR_HOST = Pattern.compile("(?<account>\\d{12}|" + PLACEHOLDER + ")\\."
            + "(dkr\\.ecr|dkr\\.ecr-fips|dkr-ecr|dkr-ecr-fips)\\."
            + "(?<region>[a-z]{2}(-[a-z]+)+-\\d|" + PLACEHOLDER + ")\\."
            + "(?<suffix>amazonaws\\.com|amazonaws\\.com\\.cn|on\\.aws|" + PLACEHOLDER + ")");
    /** What a host that is meant to be a private ECR registry contains (ECR Public, public.ecr.aws, needs no grant). */
    private static final Pattern ECR_LIKE = Pattern.compile(".*dkr[.-]ecr.*");

    private ImageReference() {
    }

    /**
     * Checks {@code reference} (the workload's {@code image}) and grants what running it needs.
     *
     * @return the ECR repository of the image, or null for another registry
     */
    static IRepository bind(KnativeWorkload workload, String reference) {
        Validate.imageReference(workload, "image", reference);
        List<String> tokens = new ArrayList<>();
        Matcher token = Tokens.TOKEN.matcher(reference);
        StringBuilder text = new StringBuilder();
        while (token.find()) {
            token.appendReplacement(text, "<" + tokens.size() + ">");
            tokens.add(token.group());
        }
        token.appendTail(text);
        String plain = text.toString();
        int slash = plain.indexOf('/');
        String host = slash < 0 ? "" : plain.substring(0, slash);
        String rest = plain.substring(slash + 1);
        int end = firstIndexOf(rest, ':', '@');
        String repository = rest.substring(0, end);
        String version = rest.substring(end);
        warnIfLatest(workload, reference, version.isEmpty() ? "" : version.substring(1));
        Matcher ecr = ECR_HOST.matcher(host);
        if (ecr.matches()) {
            Validate.check(!version.isEmpty(), workload, "image", "\"" + reference + "\"",
                    "must name a tag or a digest, or the deployment would drift with :latest",
                    "use repository.repositoryUriForTag(\"<tag>\") or add @sha256:<digest>");
            return grantPull(workload, ecr, restore(repository, tokens), tokens);
        }
        boolean hidden = tokens.size() > 0 && (slash < 0 || host.matches(".*" + PLACEHOLDER + ".*"));
        Validate.check(!hidden, workload, "image", "\"" + reference + "\"",
                "hides its registry in a CDK token, so it is unknown at synth whether Knative Serving's controller "
                        + "needs pull on an ECR repository",
                "pass a literal reference, or repository.repositoryUriForTag(\"<tag>\") for an ECR repository");
        Validate.check(!ECR_LIKE.matcher(host).matches(), workload, "image", "\"" + reference + "\"",
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
     * @param tag the tag (what follows the ':' of the reference)
     */
    static void warnIfLatest(KnativeWorkload workload, String image, String tag) {
        if (tag.equals("latest")) {
            Annotations.of(workload).addWarningV2("knative-on-eks:latestImage", "The image " + image
                    + " is tagged :latest: each new revision may run another image. Pin a version tag or a digest.");
        }
    }

    private static IRepository grantPull(KnativeWorkload workload, Matcher ecr, String repositoryName,
            List<String> tokens) {
        String account = restore(ecr.group("account"), tokens);
        String region = restore(ecr.group("region"), tokens);
        String suffix = ecr.group("suffix");
        String partition;
        if (suffix.endsWith(".cn") || region.startsWith("cn-")) {
            partition = "aws-cn";
        } else if (region.startsWith("us-gov-")) {
            partition = "aws-us-gov";
        } else if (Tokens.isUnresolved(region) || suffix.startsWith("<")) {
            partition = Aws.PARTITION;
        } else {
            partition = "aws";
        }
        IRepository repository = Repository.fromRepositoryAttributes(workload, "Repository",
                RepositoryAttributes.builder()
                        .repositoryArn("arn:" + partition + ":ecr:" + region + ":" + account + ":repository/"
                                + repositoryName)
                        .repositoryName(repositoryName)
                        .build());
        // A policy of the workload's stack, so the platform may live in another stack (see PodIdentityRole#grantee).
        workload.platformBase().grantImagePull(workload, repository);
        return repository;
    }

    private static String restore(String text, List<String> tokens) {
        Matcher placeholder = Pattern.compile(PLACEHOLDER).matcher(text);
        StringBuilder restored = new StringBuilder();
        while (placeholder.find()) {
            placeholder.appendReplacement(restored,
                    Matcher.quoteReplacement(tokens.get(Integer.parseInt(placeholder.group(1)))));
        }
        placeholder.appendTail(restored);
        return restored.toString();
    }

    private static int firstIndexOf(String text, char... characters) {
        int first = text.length();
        for (char c : characters) {
            int i = text.indexOf(c);
            if (i >= 0 && i < first) {
                first = i;
            }
        }
        return first;
    }
}
