package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rooms import downwards only: the shared packages ({@code common}, {@code internal}) use neither side, and the
 * Kubernetes side ({@code cdk8s/}) synthesizes plain manifests for any cluster, so it never uses aws-cdk-lib or the
 * AWS constructs. Within the AWS side, the in-cluster build is owned by {@link InClusterBuild}, and the classes
 * depend on each other one way only: no cycles.
 */
class ArchitectureTest {
    private static final Pattern AWS_CDK = Pattern.compile("software\\.amazon\\.awscdk\\..*");
    /** The AWS side's package (its classes, not its sub-packages). */
    private static final Pattern AWS_SIDE = Pattern.compile("io\\.knativeoneks\\.[A-Z].*");
    private static final Pattern K8S_SIDE = Pattern.compile("io\\.knativeoneks\\.k8s\\..*");
    private static final Pattern CDK8S = Pattern.compile("org\\.cdk8s\\..*|imports\\..*");
    private static final Path AWS_SOURCES = Path.of("src/io/knativeoneks");
    /** A comment, or a string or character literal (whatever comes first wins, so "//" in a string stays a string). */
    private static final Pattern COMMENT_OR_STRING =
            Pattern.compile("(?s)/\\*.*?\\*/|//[^\n]*|\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'");
    /**
     * The code of each class of {@code dir} (one top-level class a file), without comments and string literals.
     *
     * @return class name to code, sorted by name
     */
    static Map<String, String> code(Path dir) throws IOException {
        Map<String, String> code = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String name = f.getFileName().toString().replace(".java", "");
                if (!name.equals("package-info")) {
                    code.put(name, COMMENT_OR_STRING.matcher(Files.readString(f))
                            .replaceAll(m -> m.group().startsWith("/") ? "" : "\"\""));
                }
            }
        }
        return code;
    }

    /** @return each class of {@code code} to the other classes of it that its code names */
    static Map<String, Set<String>> references(Map<String, String> code) {
        Map<String, Set<String>> graph = new TreeMap<>();
        code.forEach((from, text) -> {
            Set<String> to = new TreeSet<>();
            for (String other : code.keySet()) {
                if (!other.equals(from) && Pattern.compile("\\b" + other + "\\b").matcher(text).find()) {
                    to.add(other);
                }
            }
            graph.put(from, to);
        });
        return graph;
    }

    /** @return the cycles of {@code graph}: its strongly connected components of two or more classes (Tarjan) */
    static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        List<Set<String>> cycles = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        for (String start : graph.keySet()) {
            if (!index.containsKey(start)) {
                connect(start, graph, index, low, stack, cycles);
            }
        }
        return cycles;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, List<Set<String>> cycles) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        for (String w : graph.get(v)) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, cycles);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                cycles.add(component);
            }
        }
    }

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

    @Test
    void theInClusterBuildOwnsTheBuild() throws IOException {
        Map<String, String> code = code(AWS_SOURCES);
        assertThat(code).containsKeys("InClusterBuild", "ImageSource", "ImageRegistry", "KnativeWorkload");
        for (String part : List.of("new ImageBuild(", "ReadinessWait.Kind.JOB", "new ServiceAccount(")) {
            assertThat(code.entrySet().stream().filter(e -> e.getValue().contains(part)).map(Map.Entry::getKey))
                    .as("who makes %s", part).containsExactly("InClusterBuild");
        }
        Map<String, Set<String>> graph = references(code);
        assertThat(graph.get("ImageSource")).as("ImageSource only describes where an image comes from")
                .doesNotContain("KnativeWorkload", "KnativePlatform", "InClusterBuild", "PodIdentityRole",
                        "ReadinessWait");
        assertThat(graph.get("ImageRegistry")).as("ImageRegistry").doesNotContain("KnativeWorkload", "InClusterBuild");
        assertThat(graph.get("ImageReference")).as("ImageReference").doesNotContain("KnativeWorkload",
                "KnativePlatform");
        assertThat(graph.get("InClusterBuild")).as("the build knows no workload").doesNotContain("KnativeWorkload");
        assertThat(graph.get("ClusterContext")).as("imported clusters need no KnativeCluster")
                .doesNotContain("KnativeCluster");
    }

    @Test
    void theAwsSideHasNoCycles() throws IOException {
        assertThat(cycles(references(code(AWS_SOURCES)))).as("cycles between src/io/knativeoneks classes").isEmpty();
    }

    @Test
    void theGraphFindsReferencesAndCycles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("A.java"), "class A { B b; /* C */ String s = \"C // D\"; }\n");
        Files.writeString(dir.resolve("B.java"), "class B { C c; // A\n}\n");
        Files.writeString(dir.resolve("C.java"), "class C { A a; }\n");
        Files.writeString(dir.resolve("D.java"), "class D { A a; }\n");
        Map<String, Set<String>> graph = references(code(dir));
        assertThat(graph).containsEntry("A", Set.of("B")).containsEntry("B", Set.of("C"))
                .containsEntry("D", Set.of("A"));
        assertThat(cycles(graph)).containsExactly(Set.of("A", "B", "C"));
    }
}
