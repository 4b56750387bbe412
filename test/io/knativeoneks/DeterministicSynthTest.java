package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Synth is byte-identical from one JVM to the next: CloudFormation compares properties as strings, so a value whose
 * keys came out in another order (a {@code Map.of}'s iteration order changes with every JVM) would make a redeploy
 * without a change run {@code helm upgrade} or {@code kubectl apply}. Two JVMs write the example apps' cloud
 * assemblies ({@link SynthExamples}), and every file of one must equal the other's, byte for byte.
 */
class DeterministicSynthTest {
    private static final int CONTEXT = 120;

    @Test
    void twoJvmsWriteTheSameCloudAssemblies(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        Process one = synth(first);
        Process two = synth(second);
        finish(one, first);
        finish(two, second);

        List<Path> files = files(first);
        assertThat(files).as("files of the second JVM's assemblies").isEqualTo(files(second));
        assertThat(files).as("files written").contains(Path.of("routing", "KnativeOnEks.template.json"),
                Path.of("routing-charts", "canary.json"), Path.of("routing-charts", "canary-www.example.net.json"),
                Path.of("gitops", "hello.k8s.yaml"));
        // Templates first: an asset manifest differs only because a template's hash does.
        List<Path> differing = new ArrayList<>();
        for (Path file : files) {
            if (Files.mismatch(first.resolve(file), second.resolve(file)) >= 0) {
                differing.add(file);
            }
        }
        differing.sort(Comparator.comparing((Path file) -> !file.toString().endsWith(".template.json")));
        if (!differing.isEmpty()) {
            Path file = differing.get(0);
            long offset = Files.mismatch(first.resolve(file), second.resolve(file));
            fail(differing.size() + " files differ, " + differing + "; " + file + " from byte " + offset
                    + ":\n  first JVM:  " + around(first.resolve(file), offset)
                    + "\n  second JVM: " + around(second.resolve(file), offset));
        }
    }

    /** Starts a JVM with the tests' class path that writes the example apps' assemblies into {@code out}. */
    private static Process synth(Path out) throws IOException {
        Files.createDirectories(out);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                SynthExamples.class.getName(), out.toString())
                .redirectErrorStream(true)
                .redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile())
                .start();
    }

    private static void finish(Process process, Path out) throws Exception {
        boolean done = process.waitFor(10, TimeUnit.MINUTES);
        if (!done) {
            process.destroyForcibly();
        }
        Path log = out.resolveSibling(out.getFileName() + ".log");
        assertThat(done && process.exitValue() == 0).as("synth into %s finished; its output:%n%s", out,
                Files.readString(log)).isTrue();
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    private static String around(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int from = (int) Math.max(0, offset - CONTEXT);
        int to = (int) Math.min(bytes.length, offset + CONTEXT);
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
}
