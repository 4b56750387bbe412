package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import software.constructs.Construct;

/**
 * A local directory packed as a Docker build context: a gzipped tar of its files and symbolic links whose bytes
 * depend only on their paths, contents, executable bits and link targets (sorted entries, no timestamps, owners or
 * directory entries; kaniko creates the directories), so an unchanged directory gives the same archive and the same
 * asset hash. It holds what {@code docker build} sends: the paths the directory's {@code .dockerignore} does not
 * exclude, and always the Dockerfile and the {@code .dockerignore} itself (Docker's CLI adds them back as exceptions;
 * kaniko applies the {@code .dockerignore} it finds in the context to {@code COPY} as Docker's builder does). Paths
 * over 100 bytes get a PAX extended header, which kaniko's reader (Go's archive/tar) reads.
 *
 * <p>Symbolic links stay links, as Docker sends them, when they resolve inside the directory: kaniko extracts them as
 * links, and {@code COPY} of a directory keeps them as links, as Docker does (a link named in {@code COPY} itself is
 * copied as a link by kaniko where Docker copies its file: kaniko issue 1382). A link that resolves outside the
 * directory, or to nothing, is refused with its path: Docker's builder resolves links within the context, while kaniko
 * resolves them on its own container's file system (where its registry credentials are), so the image would get a
 * dangling link or the executor's files.
 */
final class ContextArchive {
    private static final int BLOCK = 512;
    /**
     * The archive's file extension, which CDK keeps in the asset's S3 key ({@code <hash>.knative-build-context}): a
     * build role may read every object with it, a grant that stays the same when the context changes (kaniko reads
     * any key as a gzipped tar).
     */
    static final String EXTENSION = ".knative-build-context";
    /** The length of a ustar header's name and link name fields. */
    private static final int NAME_FIELD = 100;
    /** Docker always sends it, as it always sends the Dockerfile. */
    private static final String DOCKERIGNORE = ".dockerignore";

    private ContextArchive() {
    }

    /**
     * A packed context.
     *
     * @param file the gzipped tar, a temporary file deleted when the JVM exits (after synth has copied it)
     * @param hash the SHA-256 of the uncompressed tar: the same on every machine, whatever its zlib
     * @param dockerfile the Dockerfile's path in the archive (normalized, '/'-separated), for kaniko
     */
    record Packed(Path file, String hash, String dockerfile) {
    }

    /**
     * Packs {@code directory}.
     *
     * @param scope names the property in error messages
     * @param dockerfile the Dockerfile's path inside the directory
     * @param maxBytes the most the included files may add up to
     */
    static Packed pack(Construct scope, Path directory, String dockerfile, long maxBytes) {
        Path absolute = directory.toAbsolutePath().normalize();
        Validate.check(Files.isDirectory(absolute), scope, "image.directory", "\"" + directory + "\"",
                "must be a directory (resolved to " + absolute + ")",
                "give the app's folder relative to where cdk runs, e.g. examples/hello-python");
        String dockerfileName = dockerfileName(scope, absolute, dockerfile);
        try {
            DockerIgnore ignore = DockerIgnore.read(absolute.resolve(DOCKERIGNORE));
            Path realRoot = absolute.toRealPath();
            List<Path> entries = new ArrayList<>();
            long total = 0;
            try (Stream<Path> walk = Files.walk(absolute)) {
                for (Path path : walk.sorted().toList()) {
                    String name = relative(absolute, path);
                    boolean alwaysSent = name.equals(dockerfileName) || name.equals(DOCKERIGNORE);
                    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) || (ignore.excludes(name) && !alwaysSent)) {
                        continue;
                    }
                    if (Files.isSymbolicLink(path)) {
                        checkLink(scope, directory, realRoot, name, path);
                    }
                    entries.add(path);
                    if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                        total += Files.size(path);
                        Validate.check(total <= maxBytes, scope, "image.maxContextSize", mib(maxBytes),
                                "is exceeded by " + absolute + " (more than " + mib(total) + " after .dockerignore)",
                                "list what the build does not need in " + absolute.resolve(".dockerignore")
                                        + ", or raise maxContextSize");
                    }
                }
            }
            Path archive = Files.createTempFile("knative-on-eks-context", EXTENSION);
            archive.toFile().deleteOnExit();
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (OutputStream out = new DigestOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)),
                    sha256)) {
                for (Path path : entries) {
                    write(out, relative(absolute, path), path);
                }
                out.write(new byte[2 * BLOCK]);
            }
            return new Packed(archive, HexFormat.of().formatHex(sha256.digest()), dockerfileName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks that the Dockerfile is a regular file inside the directory, reached through no symbolic link (the archive
     * holds links as links, and kaniko reads the Dockerfile from the archive).
     *
     * @return its path relative to the directory, '/'-separated
     */
    private static String dockerfileName(Construct scope, Path absolute, String dockerfile) {
        Path path = absolute.resolve(dockerfile).normalize();
        Validate.check(path.startsWith(absolute) && !path.equals(absolute), scope, "image.dockerfile",
                "\"" + dockerfile + "\"", "must be inside " + absolute + " (resolved to " + path + "): the build "
                        + "context is that directory, and the Dockerfile is read from it",
                "move the Dockerfile into the directory, or build a directory that holds it");
        Path walked = absolute;
        for (Path part : absolute.relativize(path)) {
            walked = walked.resolve(part);
            Validate.check(!Files.isSymbolicLink(walked), scope, "image.dockerfile", "\"" + dockerfile + "\"",
                    "is reached through the symbolic link " + walked + ", which the build context holds as a link, "
                            + "not as the file", "name the Dockerfile by its real path inside the directory");
        }
        Validate.check(Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS), scope, "image.dockerfile",
                "\"" + dockerfile + "\"", "must be a file in " + absolute,
                "add a Dockerfile to the directory or name the one it has");
        return relative(absolute, path);
    }

    /** Refuses a symbolic link that resolves outside the directory, or to nothing (see the class comment). */
    private static void checkLink(Construct scope, Path directory, Path realRoot, String name, Path link)
            throws IOException {
        Path target = Files.readSymbolicLink(link);
        boolean inside;
        try {
            inside = link.toRealPath().startsWith(realRoot);
        } catch (NoSuchFileException | FileSystemLoopException dangling) {
            inside = false;
        }
        Validate.check(inside, scope, "image.directory", "\"" + directory + "\"", "holds the symbolic link " + name
                        + " -> " + target + ", which resolves outside the directory or to nothing (kaniko would "
                        + "follow it in its own container)",
                "replace the link with a copy of what it points to, or list " + name + " in .dockerignore");
    }

    private static String relative(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    private static String mib(long bytes) {
        return (bytes / (1024 * 1024)) + " MiB";
    }

    private static void write(OutputStream out, String name, Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            String link = Files.readSymbolicLink(path).toString().replace('\\', '/');
            writePaxIfLong(out, name, link);
            out.write(header(name, 0777, 0, '2', link));
        } else if (Files.isRegularFile(path)) {
            byte[] content = Files.readAllBytes(path);
            writePaxIfLong(out, name, "");
            out.write(header(name, executable(path) ? 0755 : 0644, content.length, '0', ""));
            writeContent(out, content);
        }
    }

    private static void writeContent(OutputStream out, byte[] content) throws IOException {
        out.write(content);
        out.write(new byte[(BLOCK - content.length % BLOCK) % BLOCK]);
    }

    /**
     * Writes a PAX extended header (POSIX.1-2001 pax format, typeflag 'x') with the entry's {@code path} and
     * {@code linkpath} when either is longer than its ustar field (100 bytes); the ustar header that follows holds
     * them cut short, and readers take the PAX values.
     */
    private static void writePaxIfLong(OutputStream out, String name, String link) throws IOException {
        StringBuilder records = new StringBuilder();
        if (utf8(name).length > NAME_FIELD) {
            records.append(paxRecord("path", name));
        }
        if (utf8(link).length > NAME_FIELD) {
            records.append(paxRecord("linkpath", link));
        }
        if (records.length() > 0) {
            byte[] content = utf8(records.toString());
            out.write(header("PaxHeaders/" + name, 0644, content.length, 'x', ""));
            writeContent(out, content);
        }
    }

    /** A PAX record, {@code "<length> <key>=<value>\n"}, whose length counts its own digits. */
    private static String paxRecord(String key, String value) {
        int rest = utf8(" " + key + "=" + value + "\n").length;
        int length = rest + String.valueOf(rest).length();
        if (String.valueOf(length).length() != String.valueOf(rest).length()) {
            length++;
        }
        return length + " " + key + "=" + value + "\n";
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean executable(Path path) throws IOException {
        try {
            return Files.getPosixFilePermissions(path).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException windows) {
            return false;
        }
    }

    /** A ustar header; a name or link over 100 bytes is cut short (a PAX header before it holds it whole). */
    private static byte[] header(String name, int mode, long size, char type, String link) {
        byte[] h = new byte[BLOCK];
        put(h, 0, NAME_FIELD, name);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        put(h, 157, NAME_FIELD, link);
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        return h;
    }

    /** Puts {@code value} in a header field, cut to its length (only names are ever cut: a PAX header has them). */
    private static void put(byte[] h, int offset, int length, String value) {
        byte[] bytes = utf8(value);
        System.arraycopy(bytes, 0, h, offset, Math.min(bytes.length, length));
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        String digits = String.format("%0" + (length - 1) + "o", value);
        put(h, offset, length - 1, digits);
    }

    /** The patterns of a {@code .dockerignore}, matched as Docker matches them: the last matching pattern wins. */
    record DockerIgnore(List<Pattern> patterns, List<Boolean> exclusions) {
        static DockerIgnore read(Path file) throws IOException {
            List<Pattern> patterns = new ArrayList<>();
            List<Boolean> exclusions = new ArrayList<>();
            if (Files.isRegularFile(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String pattern = line.trim();
                    if (pattern.isEmpty() || pattern.startsWith("#")) {
                        continue;
                    }
                    boolean exception = pattern.startsWith("!");
                    pattern = pattern.substring(exception ? 1 : 0).trim()
                            .replaceAll("^(\\./|/)+", "").replaceAll("/+$", "");
                    patterns.add(Pattern.compile(regex(pattern)));
                    exclusions.add(!exception);
                }
            }
            return new DockerIgnore(patterns, exclusions);
        }

        /** @return true if {@code path} (with '/' separators) or a directory above it is excluded */
        boolean excludes(String path) {
            boolean excluded = false;
            for (int i = 0; i < patterns.size(); i++) {
                if (matchesOrParentMatches(patterns.get(i), path)) {
                    excluded = exclusions.get(i);
                }
            }
            return excluded;
        }

        private static boolean matchesOrParentMatches(Pattern pattern, String path) {
            for (String p = path; !p.isEmpty(); p = p.contains("/") ? p.substring(0, p.lastIndexOf('/')) : "") {
                if (pattern.matcher(p).matches()) {
                    return true;
                }
            }
            return false;
        }

        /** Docker's pattern syntax: {@code **} any path, {@code *} and {@code ?} within one segment, classes. */
        private static String regex(String pattern) {
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                        i++;
                        re.append("(.*/)?");
                    } else {
                        re.append(".*");
                    }
                } else if (c == '*') {
                    re.append("[^/]*");
                } else if (c == '?') {
                    re.append("[^/]");
                } else if (c == '[') {
                    int end = pattern.indexOf(']', i);
                    re.append(end < 0 ? "\\[" : pattern.substring(i, end + 1).replace("[!", "[^"));
                    i = end < 0 ? i : end;
                } else if (c == '\\' && i + 1 < pattern.length()) {
                    re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                } else {
                    re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return re.toString();
        }
    }
}
