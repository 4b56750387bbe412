package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.knativeoneks.common.ValidationError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;

/** The build context packed from a local directory: deterministic, .dockerignore honoured, bounded. */
class ContextArchiveTest {
    private static Stack scope;

    @TempDir
    Path dir;

    @BeforeAll
    static void scope() {
        scope = new Stack(new App(), "Test");
    }

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private void app() throws IOException {
        write("Dockerfile", "FROM python:3.12-slim\nCOPY app.py ./\n");
        write("app.py", "print('hello')\n");
        write(".dockerignore", "# tests stay out\ntest_*.py\n**/__pycache__\nnotes/\n!notes/keep.md\n");
    }

    private ContextArchive.Packed pack() {
        return ContextArchive.pack(scope, dir, "Dockerfile", 1024 * 1024);
    }

    /**
     * @return the archive's entries: name to content (links map to "link" and their target, other types to their
     *     type), read as POSIX readers do: a PAX extended header's path and linkpath replace the next entry's
     */
    private static Map<String, String> entries(ContextArchive.Packed packed) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        Map<String, String> pax = new HashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(packed.file()))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                long size = Long.parseLong(field(header, 124, 12).trim(), 8);
                String mode = field(header, 100, 8);
                byte[] content = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                if (header[156] == 'x') {
                    pax = paxRecords(new String(content, StandardCharsets.UTF_8));
                    continue;
                }
                String path = pax.getOrDefault("path", (prefix.isEmpty() ? "" : prefix + "/") + name);
                String link = pax.getOrDefault("linkpath", field(header, 157, 100));
                pax = new HashMap<>();
                entries.put(path, header[156] == '0' ? mode.substring(4) + " " + new String(content,
                        StandardCharsets.UTF_8) : header[156] == '2' ? "link " + link : "type " + (char) header[156]);
            }
        }
        return entries;
    }

    /** PAX records, {@code "<length> <key>=<value>\n"}, whose lengths must count their own bytes. */
    private static Map<String, String> paxRecords(String records) {
        Map<String, String> values = new HashMap<>();
        byte[] bytes = records.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at < bytes.length;) {
            int space = records.indexOf(' ', at);
            int length = Integer.parseInt(new String(bytes, at, space - at, StandardCharsets.US_ASCII));
            String record = new String(bytes, space + 1, length - (space - at) - 2, StandardCharsets.UTF_8);
            assertThat(bytes[at + length - 1]).as("record ends where its length says").isEqualTo((byte) '\n');
            values.put(record.substring(0, record.indexOf('=')), record.substring(record.indexOf('=') + 1));
            at += length;
        }
        return values;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    @Test
    void theSameFilesGiveTheSameBytes() throws IOException {
        app();
        ContextArchive.Packed first = pack();
        ContextArchive.Packed second = pack();
        assertThat(Files.mismatch(first.file(), second.file())).isEqualTo(-1);
        assertThat(second.hash()).isEqualTo(first.hash()).matches("[0-9a-f]{64}");
    }

    @Test
    void aChangedFileChangesTheHashAndIgnoredFilesDoNot() throws IOException {
        app();
        String before = pack().hash();
        write("test_app.py", "def test(): pass\n");
        write("pkg/__pycache__/app.cpython-312.pyc", "bytecode");
        write("notes/todo.md", "later");
        assertThat(pack().hash()).as("ignored files").isEqualTo(before);
        write("app.py", "print('hello, world')\n");
        assertThat(pack().hash()).as("a changed file").isNotEqualTo(before);
    }

    @Test
    void entriesAreSortedWithModesAndDockerignoreExceptions() throws IOException {
        app();
        write("test_app.py", "def test(): pass\n");
        write("notes/todo.md", "later");
        write("notes/keep.md", "kept");
        write("run.sh", "#!/bin/sh\n");
        Files.setPosixFilePermissions(dir.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> entries = entries(pack());
        assertThat(entries.keySet()).containsExactly(".dockerignore", "Dockerfile", "app.py", "notes/keep.md",
                "run.sh");
        assertThat(entries).containsEntry("app.py", "644 print('hello')\n").containsEntry("run.sh", "755 #!/bin/sh\n");
    }

    @Test
    void theDockerfileAndTheDockerignoreAreSentEvenWhenIgnoredAsDockerSendsThem() throws IOException {
        app();
        write(".dockerignore", "*\n");
        assertThat(entries(pack()).keySet()).containsExactly(".dockerignore", "Dockerfile");
        write("docker/Dockerfile", "FROM scratch\n");
        write(".dockerignore", "docker/\n.dockerignore\n");
        ContextArchive.Packed packed = ContextArchive.pack(scope, dir, "./docker/../docker/Dockerfile", 1024 * 1024);
        assertThat(packed.dockerfile()).as("the name kaniko is given").isEqualTo("docker/Dockerfile");
        assertThat(entries(packed).keySet()).containsExactly(".dockerignore", "Dockerfile", "app.py",
                "docker/Dockerfile");
    }

    @Test
    void namesAndLinksOver100BytesAreStoredWhole() throws IOException {
        app();
        String deep = "a".repeat(60) + "/" + "b".repeat(60) + "/" + "c".repeat(28);
        String flat = "f".repeat(150);
        String unicode = "d/" + "\u00e9".repeat(60); // 122 bytes in UTF-8, 62 characters
        write(deep, "deep");
        write(flat, "flat");
        write(unicode, "accent");
        Files.createSymbolicLink(dir.resolve("link"), Path.of(deep));
        assertThat(deep.getBytes(StandardCharsets.UTF_8)).hasSize(150);
        Map<String, String> entries = entries(pack());
        assertThat(entries).containsEntry(deep, "644 deep").containsEntry(flat, "644 flat")
                .containsEntry(unicode, "644 accent").containsEntry("link", "link " + deep);
        assertThat(entries.keySet()).as("no PAX header reads as an entry of its own").hasSize(7);
    }

    /** An app in {@code dir/app}, so that links may point out of it and stay in the temporary directory. */
    private Path nestedApp() throws IOException {
        write("app/Dockerfile", "FROM python:3.12-slim\n");
        write("app/lib/util.py", "x = 1\n");
        write("outside.txt", "secret");
        return dir.resolve("app");
    }

    @Test
    void linksInsideTheDirectoryStayLinksAndLinksOutOfItFailWithTheirPath() throws IOException {
        Path app = nestedApp();
        Files.createSymbolicLink(app.resolve("util.py"), Path.of("lib/util.py"));
        Files.createSymbolicLink(app.resolve("shared"), Path.of("lib"));
        assertThat(entries(ContextArchive.pack(scope, app, "Dockerfile", 1024 * 1024)))
                .containsEntry("util.py", "link lib/util.py").containsEntry("shared", "link lib")
                .doesNotContainKey("shared/util.py");
        Files.createSymbolicLink(app.resolve("escape"), Path.of("../outside.txt"));
        ValidationError e = catchThrowableOfType(ValidationError.class,
                () -> ContextArchive.pack(scope, app, "Dockerfile", 1024 * 1024));
        assertThat(e.getMessage()).contains("[Test] image.directory (\"" + app + "\") holds the symbolic link escape "
                + "-> ../outside.txt, which resolves outside the directory", "list escape in .dockerignore");
        write("app/.dockerignore", "escape\n");
        assertThat(entries(ContextArchive.pack(scope, app, "Dockerfile", 1024 * 1024))).doesNotContainKey("escape");
        Files.createSymbolicLink(app.resolve("dangling"), Path.of("/kaniko/.docker/config.json"));
        assertThat(catchThrowableOfType(ValidationError.class,
                () -> ContextArchive.pack(scope, app, "Dockerfile", 1024 * 1024)).getMessage())
                .contains("holds the symbolic link dangling -> /kaniko/.docker/config.json");
    }

    @Test
    void aDockerfileOutsideTheDirectoryOrBehindALinkFailsWithItsPath() throws IOException {
        Path app = nestedApp();
        write("Dockerfile", "FROM scratch\n");
        assertThat(catchThrowableOfType(ValidationError.class, () -> ContextArchive.pack(scope, app, "../Dockerfile",
                1024 * 1024)).getMessage()).contains("image.dockerfile (\"../Dockerfile\") must be inside " + app
                        + " (resolved to " + dir.resolve("Dockerfile") + ")");
        Files.createSymbolicLink(app.resolve("Dockerfile.link"), Path.of("Dockerfile"));
        assertThat(catchThrowableOfType(ValidationError.class, () -> ContextArchive.pack(scope, app,
                "Dockerfile.link", 1024 * 1024)).getMessage()).contains("image.dockerfile (\"Dockerfile.link\") is "
                        + "reached through the symbolic link " + app.resolve("Dockerfile.link"));
        Files.createSymbolicLink(app.resolve("docker"), Path.of("."));
        assertThat(catchThrowableOfType(ValidationError.class, () -> ContextArchive.pack(scope, app,
                "docker/Dockerfile", 1024 * 1024)).getMessage()).contains("is reached through the symbolic link "
                        + app.resolve("docker") + ",");
    }

    @Test
    void aMissingDirectoryFailsAtSynthWithThePath() {
        ValidationError e = catchThrowableOfType(ValidationError.class,
                () -> ContextArchive.pack(scope, dir.resolve("nope"), "Dockerfile", 1024));
        assertThat(e.getMessage()).contains("[Test] image.directory", "nope", "must be a directory",
                "relative to where cdk runs");
    }

    @Test
    void aDirectoryWithoutItsDockerfileFailsAtSynth() throws IOException {
        write("app.py", "print('hello')\n");
        ValidationError e = catchThrowableOfType(ValidationError.class, this::pack);
        assertThat(e.getMessage()).contains("[Test] image.dockerfile (\"Dockerfile\") must be a file in " + dir,
                "add a Dockerfile");
    }

    @Test
    void aContextOverTheLimitFailsAndSaysHowToFixIt() throws IOException {
        app();
        write("data.bin", "x".repeat(2 * 1024 * 1024));
        ValidationError e = catchThrowableOfType(ValidationError.class, this::pack);
        assertThat(e.getMessage()).contains("[Test] image.maxContextSize (1 MiB) is exceeded by " + dir,
                ".dockerignore", "raise maxContextSize");
        write(".dockerignore", "*.bin\n");
        assertThat(pack().hash()).hasSize(64);
    }

    /** @return the S3 context the build Job of a workload built from {@code dir} reads */
    private String contextOfAWorkloadBuiltFromIt() {
        Stack stack = new Stack(new App(), "Local");
        KnativePlatform platform = KnativePlatform.Builder.create(stack, "Platform")
                .cluster(KnativeCluster.Builder.create(stack, "Cluster").build()).build();
        KnativeWorkload.Builder.create(stack, "App").platform(platform).name("app")
                .image(ImageSource.fromLocalSource(LocalSource.builder().directory(dir.toString()).build()))
                .build();
        KnativeManifests.KubernetesObject job = KnativeManifests.of(stack).ofKind("Job").get(0);
        assertThat(job.at("spec.template.spec.containers[0].env[0].name")).isEqualTo("AWS_REGION");
        return ((List<?>) job.at("spec.template.spec.containers[0].args")).stream().map(String::valueOf)
                .filter(a -> a.startsWith("--context=")).findFirst().orElseThrow().substring("--context=".length());
    }

    @Test
    void anUnchangedDirectoryIsTheSameObjectOnEverySynthAndAChangedOneIsNot() throws IOException {
        app();
        String first = contextOfAWorkloadBuiltFromIt();
        assertThat(first).matches("s3://.*/[0-9a-f]{64}\\.knative-build-context");
        assertThat(contextOfAWorkloadBuiltFromIt()).isEqualTo(first);
        write("test_app.py", "def test(): pass\n");
        assertThat(contextOfAWorkloadBuiltFromIt()).as("an ignored file").isEqualTo(first);
        write("app.py", "print('changed')\n");
        assertThat(contextOfAWorkloadBuiltFromIt()).isNotEqualTo(first);
    }
}
