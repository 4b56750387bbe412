package io.knativeoneks;

import io.knativeoneks.k8s.BuildContext;
import io.knativeoneks.internal.Validate;
import java.nio.file.Paths;
import java.util.List;
import software.amazon.awscdk.AssetHashType;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.SizeConversionOptions;
import software.amazon.awscdk.SizeRoundingBehavior;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * A directory of this checkout to build in the cluster: packed at synth into a deterministic archive (an unchanged
 * directory is never rebuilt; {@code .dockerignore} is honoured), uploaded by {@code cdk deploy} as a file asset, and
 * read from S3 by kaniko with the build's own EKS Pod Identity, which may read that one object. No Docker and no git
 * push on the workstation.
 *
 * <pre>{@code
 * ImageSource image = ImageSource.fromLocalSource(LocalSource.builder()
 *         .directory("services/api")
 *         .dockerfile("docker/Dockerfile")
 *         .maxContextSize(Size.mebibytes(100))
 *         .build());
 * }</pre>
 */
public final class LocalSource {
    /** The default largest context: more usually means a {@code .dockerignore} is missing. */
    public static final Size DEFAULT_MAX_CONTEXT_SIZE = Size.mebibytes(500);

    private final String directory;
    private final String dockerfile;
    private final Size maxContextSize;
    private final Validate.Nulls nulls;

    private LocalSource(Builder b) {
        this.directory = b.directory;
        this.dockerfile = b.dockerfile != null ? b.dockerfile : "Dockerfile";
        this.maxContextSize = b.maxContextSize != null ? b.maxContextSize : DEFAULT_MAX_CONTEXT_SIZE;
        this.nulls = b.nulls;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Packs the directory and uploads it as a file asset of {@code scope} (which errors name); a build's identity
     * reads it once {@link #grantRead} lets it.
     */
    Upload upload(Construct scope) {
        Validate.check(directory != null, scope, "image.directory", null, "is required",
                "give the app's folder relative to where cdk runs, e.g. examples/hello-python");
        nulls.check(scope, "image.");
        double maxMiB = maxContextSize.toMebibytes(SizeConversionOptions.builder()
                .rounding(SizeRoundingBehavior.NONE).build()).doubleValue();
        Validate.check(maxMiB >= 1, scope, "image.maxContextSize", maxMiB + " MiB", "must be at least 1 MiB",
                "leave it unset for " + DEFAULT_MAX_CONTEXT_SIZE.toMebibytes() + " MiB, or pass e.g. "
                        + "Size.mebibytes(100)");
        ContextArchive.Packed packed = ContextArchive.pack(scope, Paths.get(directory), dockerfile,
                maxContextSize.toBytes().longValue());
        Asset asset = Asset.Builder.create(scope, "BuildContext")
                .path(packed.file().toString())
                .assetHash(packed.hash())
                .assetHashType(AssetHashType.CUSTOM)
                .build();
        return new Upload(asset, BuildContext.s3(asset.getS3BucketName(), asset.getS3ObjectKey(),
                Stack.of(scope).getRegion(), packed.dockerfile()));
    }

    /**
     * An uploaded directory.
     *
     * @param archive the file asset
     * @param context where kaniko finds it
     */
    record Upload(Asset archive, BuildContext context) {
    }

    /** Lets {@code reader} read build contexts such as {@code archive} from the assets bucket. */
    static void grantRead(Asset archive, IGrantable reader) {
        // Read on every build context of the assets bucket rather than on this one object: the policy stays the same
        // when the context changes, so a build right after an edit never meets IAM's propagation delay (an
        // AccessDenied with backoffLimit 0 would fail the deploy). The Job still runs once, so a broken build fails
        // at once rather than after retries.
        reader.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject"))
                .resources(List.of(archive.getBucket().arnForObjects("*" + ContextArchive.EXTENSION)))
                .build());
        NagSuppressions.suppressOnPolicy((IConstruct) reader.getGrantPrincipal(), "AwsSolutions-IAM5",
                "read on the assets bucket's build contexts, a grant that does not change with each edit",
                NagSuppressions.regex("^Resource::arn:<AWS::Partition>:s3:::.*/\\*\\" + ContextArchive.EXTENSION
                        + "$"));
    }

    /** Builds a {@link LocalSource}. */
    public static final class Builder {
        private String directory;
        private String dockerfile;
        private Size maxContextSize;
        private final Validate.Nulls nulls = new Validate.Nulls();

        private Builder() {
        }

        /**
         * The directory to build, relative to where {@code cdk} runs (or absolute). Required. Its symbolic links are
         * sent as links, as Docker sends them, and must resolve inside it.
         *
         * @param value the directory
         * @return this builder
         */
        public Builder directory(String value) {
            this.directory = value;
            nulls.record("directory", value);
            return this;
        }

        /**
         * The Dockerfile, relative to the directory: a regular file inside it, not reached through a symbolic link
         * (the build context is the directory, as {@code docker build} sends it). It is sent even when
         * {@code .dockerignore} excludes it, as Docker sends it.
         *
         * @param value the Dockerfile's path
         * @return this builder
         * @default "Dockerfile"
         */
        public Builder dockerfile(String value) {
            this.dockerfile = value;
            nulls.record("dockerfile", value);
            return this;
        }

        /**
         * The most the directory's files may add up to after {@code .dockerignore}; synth fails above it.
         *
         * @param value the largest context, at least 1 MiB
         * @return this builder
         * @default 500 MiB
         */
        public Builder maxContextSize(Size value) {
            this.maxContextSize = value;
            nulls.record("maxContextSize", value);
            return this;
        }

        /** @return the source; it is checked when a build uses it */
        public LocalSource build() {
            return new LocalSource(this);
        }
    }
}
