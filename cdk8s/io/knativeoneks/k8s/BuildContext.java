package io.knativeoneks.k8s;

import io.knativeoneks.internal.Validate;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * Where an {@link ImageBuild} reads its source: a {@link GitSource}, or an archive of a local directory in S3
 * ({@link #s3}).
 */
public interface BuildContext {
    /**
     * Checks the context; {@code scope} names it in error messages.
     *
     * @param scope the construct the error names
     */
    void validate(Construct scope);

    /** @return kaniko's arguments that select the context and the Dockerfile in it */
    List<String> kanikoArgs();

    /** @return environment variables kaniko needs to read the context */
    Map<String, String> env();

    /** @return annotations of the build Job; any change to them builds again */
    Map<String, String> annotations();

    /**
     * A gzipped tar archive in S3, read by kaniko with the AWS SDK's default credentials (EKS Pod Identity on the
     * build's service account).
     *
     * @param bucket the bucket (may be a CDK token)
     * @param key the object key
     * @param region the bucket's region (may be a CDK token)
     * @param dockerfile the Dockerfile's path inside the archive
     * @return the context
     */
    static BuildContext s3(String bucket, String key, String region, String dockerfile) {
        return new BuildContext() {
            @Override
            public void validate(Construct scope) {
                Validate.check(!key.isEmpty(), scope, "context.key", "\"\"", "must name an S3 object",
                        "pass the archive's object key");
            }

            @Override
            public List<String> kanikoArgs() {
                return List.of("--context=s3://" + bucket + "/" + key, "--dockerfile=" + dockerfile);
            }

            @Override
            public Map<String, String> env() {
                return Map.of("AWS_REGION", region);
            }

            @Override
            public Map<String, String> annotations() {
                return Map.of();
            }
        };
    }
}
