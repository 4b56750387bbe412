package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Kubernetes side ({@code cdk8s/}) synthesizes plain manifests for any cluster: it never uses aws-cdk-lib. */
class ArchitectureTest {

    static List<String> awsImports(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(f -> {
                        try {
                            return Files.readAllLines(f).stream()
                                    .filter(line -> line.matches("\\s*import\\s+(static\\s+)?software\\.amazon\\.awscdk\\..*"))
                                    .map(line -> root.relativize(f) + ": " + line.trim());
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
    }

    @Test
    void cdk8sSideNeverImportsAwsCdkLib() throws IOException {
        assertThat(Files.isDirectory(Paths.get("cdk8s"))).isTrue();
        assertThat(awsImports(Paths.get("cdk8s"))).isEmpty();
    }

    @Test
    void theCheckFindsAnAwsImport(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("Leak.java"), "package x;\nimport software.amazon.awscdk.Stack;\nclass Leak {}\n");
        assertThat(awsImports(dir)).containsExactly("Leak.java: import software.amazon.awscdk.Stack;");
    }
}
