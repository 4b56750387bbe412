package io.knativeoneks;

import io.knativeoneks.k8s.Validate;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
 * asset hash. Paths the directory's {@code .dockerignore} excludes are left out,
 * as {@code docker build} leaves them out; the Dockerfile is always in.
 */
final class ContextArchive {
    private static final int BLOCK = 512;
    /**
     * The archive's file extension, which CDK keeps in the asset's S3 key ({@code <hash>.knative-build-context}): a
     * build role may read every object with it, a grant that stays the same when the context changes (kaniko reads
     * any key as a gzipped tar).
     */
    static final String EXTENSION = ".knative-build-context";

    private ContextArchive() {
    }

    /**
     * A packed context.
     *
     * @param file the gzipped tar, a temporary file deleted when the JVM exits (after synth has copied it)
     * @param hash the SHA-256 of the uncompressed tar: the same on every machine, whatever its zlib
     */
    record Packed(Path file, String hash) {
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
        Validate.check(Files.isRegularFile(absolute.resolve(dockerfile)), scope, "image.dockerfile",
                "\"" + dockerfile + "\"", "must be a file in " + absolute,
                "add a Dockerfile to the directory or name the one it has");
        try {
            DockerIgnore ignore = DockerIgnore.read(absolute.resolve(".dockerignore"));
            List<Path> entries = new ArrayList<>();
            long total = 0;
            try (Stream<Path> walk = Files.walk(absolute)) {
                for (Path path : walk.sorted().toList()) {
                    String name = relative(absolute, path);
                    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                            || (ignore.excludes(name) && !name.equals(dockerfile))) {
                        continue;
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
            return new Packed(archive, HexFormat.of().formatHex(sha256.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String relative(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    private static String mib(long bytes) {
        return (bytes / (1024 * 1024)) + " MiB";
    }

    private static void write(OutputStream out, String name, Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            out.write(header(name, 0777, 0, '2', Files.readSymbolicLink(path).toString().replace('\\', '/')));
        } else if (Files.isRegularFile(path)) {
            byte[] content = Files.readAllBytes(path);
            out.write(header(name, executable(path) ? 0755 : 0644, content.length, '0', ""));
            out.write(content);
            out.write(new byte[(BLOCK - content.length % BLOCK) % BLOCK]);
        }
    }

    private static boolean executable(Path path) throws IOException {
        try {
            return Files.getPosixFilePermissions(path).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException windows) {
            return false;
        }
    }

    /** A ustar header; names over 100 bytes are split into prefix and name at a '/'. */
    private static byte[] header(String name, int mode, long size, char type, String link) {
        byte[] h = new byte[BLOCK];
        byte[] full = name.getBytes(StandardCharsets.UTF_8);
        int split = full.length <= 100 ? -1 : name.lastIndexOf('/', name.length() - 2);
        if (split >= 0) {
            put(h, 345, 155, name.substring(0, split));
            put(h, 0, 100, name.substring(split + 1));
        } else {
            put(h, 0, 100, name);
        }
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        put(h, 157, 100, link);
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

    private static void put(byte[] h, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > length) {
            throw new IllegalArgumentException("tar header field too long (" + bytes.length + " > " + length
                    + " bytes): " + value);
        }
        System.arraycopy(bytes, 0, h, offset, bytes.length);
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
