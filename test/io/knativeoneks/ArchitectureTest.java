package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rooms import downwards only: the shared packages ({@code common}, {@code internal}) use neither side, and the
 * Kubernetes side ({@code cdk8s/}) synthesizes plain manifests for any cluster, so it never uses aws-cdk-lib or the
 * AWS constructs.
 */
class ArchitectureTest {
    private static final Pattern AWS_CDK = Pattern.compile("software\\.amazon\\.awscdk\\..*");
    /** The AWS side's package (its classes, not its sub-packages). */
    private static final Pattern AWS_SIDE = Pattern.compile("io\\.knativeoneks\\.[A-Z].*");
    private static final Pattern K8S_SIDE = Pattern.compile("io\\.knativeoneks\\.k8s\\..*");
    private static final Pattern CDK8S = Pattern.compile("org\\.cdk8s\\..*|imports\\..*");

    /** @return {@code file: import} for each import under {@code root} that {@code forbidden} matches */
    static List<String> imports(Path root, Pattern forbidden) throws IOException {
        Pattern statement = Pattern.compile("\\s*import\\s+(static\\s+)?([\\w.]+(\\.\\*)?)\\s*;.*");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream()
                            .map(statement::matcher)
                            .filter(m -> m.matches() && forbidden.matcher(m.group(2)).matches())
                            .map(m -> root.relativize(f) + ": " + m.group(2));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void cdk8sSideNeverImportsAwsCdkLibOrTheAwsSide() throws IOException {
        assertThat(Files.isDirectory(Path.of("cdk8s/io/knativeoneks/k8s"))).isTrue();
        assertThat(imports(Path.of("cdk8s"), AWS_CDK)).isEmpty();
        assertThat(imports(Path.of("cdk8s"), AWS_SIDE)).isEmpty();
    }

    @Test
    void sharedPackagesUseNeitherSide() throws IOException {
        for (String room : List.of("common", "internal")) {
            Path dir = Path.of("cdk8s/io/knativeoneks", room);
            assertThat(dir).isDirectory();
            assertThat(imports(dir, K8S_SIDE)).as(room).isEmpty();
            assertThat(imports(dir, CDK8S)).as(room).isEmpty();
        }
        assertThat(imports(Path.of("cdk8s/io/knativeoneks/common"), Pattern.compile("(?!java\\.).*")))
                .as("common imports the JDK only").isEmpty();
    }

    @Test
    void theChecksFindAForbiddenImport(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("Leak.java"), "package x;\nimport software.amazon.awscdk.Stack;\n"
                + "import io.knativeoneks.KnativePlatform;\nimport io.knativeoneks.k8s.KnativeService;\nclass Leak {}\n");
        assertThat(imports(dir, AWS_CDK)).containsExactly("Leak.java: software.amazon.awscdk.Stack");
        assertThat(imports(dir, AWS_SIDE)).containsExactly("Leak.java: io.knativeoneks.KnativePlatform");
        assertThat(imports(dir, K8S_SIDE)).containsExactly("Leak.java: io.knativeoneks.k8s.KnativeService");
    }
}
