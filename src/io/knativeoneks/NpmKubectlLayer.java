package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import io.knativeoneks.common.Versions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.AssetHashType;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.lambda.LayerVersionProps;
import software.amazon.awscdk.services.s3.assets.AssetOptions;
import software.constructs.Construct;

/**
 * The kubectl and helm Lambda layer that AWS publishes in the npm package
 * {@value #PACKAGE}, read from the {@code node_modules} folder of the CDK app's working directory or one of its
 * parents. Maven Central serves kubectl layers only up to v32, three minors behind a cluster in standard support;
 * the project's {@code package.json} pins this package, so {@code npm ci} installs it.
 *
 * <p>Nothing is downloaded at synth time. The asset hash comes from the package's Dockerfile, which pins the kubectl
 * and helm versions, so the 36 MB zip is not hashed on every synth.
 */
public final class NpmKubectlLayer extends LayerVersion {
    /** The npm package that carries the layer. */
    public static final String PACKAGE = Versions.KUBECTL_LAYER_PACKAGE;
    /** The kubectl minor version in the layer: it serves clusters within one minor of it. */
    public static final int KUBECTL_MINOR = Versions.KUBECTL_LAYER_MINOR;

    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");

    /**
     * The layer from the installed npm package; synth fails, saying so, when it is not installed.
     *
     * @param scope the construct's parent
     * @param id the construct's id
     */
    public NpmKubectlLayer(Construct scope, String id) {
        this(scope, id, find(scope, Paths.get(System.getProperty("user.dir"))));
    }

    private NpmKubectlLayer(Construct scope, String id, Path packageDir) {
        super(scope, id, LayerVersionProps.builder()
                .code(Code.fromAsset(packageDir.resolve("lib/layer.zip").toString(), AssetOptions.builder()
                        .assetHashType(AssetHashType.CUSTOM)
                        .assetHash(sha256(packageDir.resolve("layer/Dockerfile")))
                        .build()))
                .description("kubectl 1." + KUBECTL_MINOR + " and helm from " + PACKAGE + " "
                        + packageVersion(packageDir))
                .license("Apache-2.0")
                .build());
    }

    /** Finds the installed package in {@code start/node_modules} or the nearest parent that has it. */
    static Path find(Construct scope, Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("node_modules").resolve(PACKAGE);
            if (Files.isRegularFile(candidate.resolve("lib/layer.zip"))) {
                return candidate;
            }
        }
        Validate.check(false, scope, "kubectlLayer", "not set",
                "defaults to the npm package " + PACKAGE + ", which is not installed in node_modules of "
                        + start.toAbsolutePath() + " or its parents",
                "run `npm ci` where package.json pins it, or pass kubectlLayer");
        return null;
    }

    private static String packageVersion(Path packageDir) {
        Matcher m = VERSION.matcher(read(packageDir.resolve("package.json")));
        return m.find() ? m.group(1) : "unknown";
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
