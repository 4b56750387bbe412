package io.knativeoneks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Renovate reads with {@code renovate.json}: which files each manager reads and what the custom regex managers
 * capture, worked out the way Renovate does it, so that a test can show every pin of the repository is watched.
 */
final class Renovate {
    /**
     * The default {@code managerFilePatterns} of the managers {@code renovate.json} enables, which a manager's own
     * {@code managerFilePatterns} add to. Source: {@code defaultConfig} in renovatebot/renovate
     * {@code lib/modules/manager/<manager>/index.ts} (main of 2026-08-22), also shown on
     * {@code https://docs.renovatebot.com/modules/manager/<manager>/} under "File Matching". Custom managers have none.
     */
    static final Map<String, List<String>> DEFAULT_FILE_PATTERNS = Map.of(
            "maven", List.of("/(^|/|\\.)pom\\.xml$/", "/(^|/)pom\\.template\\.xml$/",
                    "/^(((\\.mvn)|(\\.m2))/)?settings\\.xml$/", "/(^|/)\\.mvn/extensions\\.xml$/"),
            "npm", List.of("/(^|/)package\\.json$/", "/(^|/)pnpm-workspace\\.yaml$/", "/(^|/)\\.yarnrc\\.yml$/"),
            "gomod", List.of("/(^|/)go\\.mod$/"),
            "dockerfile", List.of("/(^|/|\\.)([Dd]ocker|[Cc]ontainer)file$/",
                    "/(^|/)([Dd]ocker|[Cc]ontainer)file[^/]*$/"),
            "pip_requirements", List.of("/(^|/)[\\w-]*requirements([-._]\\w+)?\\.(txt|pip)$/"));

    /** Directories Renovate never sees: git ignores them (.gitignore) or they are git's own. */
    private static final Set<String> NOT_IN_GIT = Set.of(".git", "target", "node_modules", "cdk.out", ".idea",
            "__pycache__", ".venv");

    private final JsonNode config;

    Renovate(JsonNode config) {
        this.config = config;
    }

    /** @return the repository's {@code renovate.json} */
    static Renovate load() throws IOException {
        return new Renovate(new ObjectMapper().readTree(Path.of("renovate.json").toFile()));
    }

    /** @return every file of the working tree that git would hold, relative, with {@code /} */
    static List<String> repositoryFiles() throws IOException {
        Path base = Path.of("").toAbsolutePath();
        List<String> files = new ArrayList<>();
        Files.walkFileTree(base, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return !dir.equals(base) && NOT_IN_GIT.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile()) {
                    files.add(base.relativize(file).toString().replace('\\', '/'));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files.stream().sorted().toList();
    }

    /** @return the managers {@code enabledManagers} lists */
    List<String> enabledManagers() {
        List<String> names = new ArrayList<>();
        config.path("enabledManagers").forEach(n -> names.add(n.asText()));
        return names;
    }

    /** @return the file patterns of a (non-custom) manager: its defaults and those of renovate.json */
    List<String> filePatterns(String manager) {
        List<String> patterns = new ArrayList<>(DEFAULT_FILE_PATTERNS.getOrDefault(manager, List.of()));
        config.path(manager).path("managerFilePatterns").forEach(n -> patterns.add(n.asText()));
        return patterns;
    }

    /**
     * Renovate's {@code filterIgnoredFiles} (lib/workers/repository/extract/file-match.ts): a file is ignored when
     * its path contains an entry of {@code ignorePaths} or matches it as a glob.
     *
     * @param file a repository path
     * @return whether Renovate skips it
     */
    boolean ignored(String file) {
        for (JsonNode entry : config.path("ignorePaths")) {
            String ignore = entry.asText();
            if (file.contains(ignore) || glob(ignore).matcher(file).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param manager an enabled manager, e.g. {@code gomod}
     * @param files the repository's files
     * @return those the manager reads: not ignored, matched by one of its file patterns
     */
    List<String> filesOf(String manager, Collection<String> files) {
        if (!enabledManagers().contains(manager)) {
            return List.of();
        }
        List<Pattern> patterns = filePatterns(manager).stream().map(Renovate::filePattern).toList();
        return files.stream().filter(f -> !ignored(f) && patterns.stream().anyMatch(p -> p.matcher(f).find()))
                .toList();
    }

    /** One match of a custom regex manager: where it is in the file and its named groups. */
    record Capture(int start, int end, Map<String, String> groups) {
    }

    /**
     * @param file a repository path
     * @param content the file's text
     * @return every match of the enabled custom regex managers whose patterns take the file (strategy "any")
     */
    List<Capture> captures(String file, String content) {
        List<Capture> captures = new ArrayList<>();
        if (!enabledManagers().contains("custom.regex") || ignored(file)) {
            return captures;
        }
        for (JsonNode manager : config.path("customManagers")) {
            boolean takes = false;
            for (JsonNode p : manager.path("managerFilePatterns")) {
                takes |= filePattern(p.asText()).matcher(file).find();
            }
            if (!takes || !"regex".equals(manager.path("customType").asText())) {
                continue;
            }
            for (JsonNode matchString : manager.path("matchStrings")) {
                Pattern pattern = Pattern.compile(matchString.asText());
                List<String> names = new ArrayList<>();
                Matcher name = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(matchString.asText());
                while (name.find()) {
                    names.add(name.group(1));
                }
                Matcher m = pattern.matcher(content);
                while (m.find()) {
                    Map<String, String> groups = new HashMap<>();
                    for (String n : names) {
                        if (m.group(n) != null) {
                            groups.put(n, m.group(n));
                        }
                    }
                    captures.add(new Capture(m.start(), m.end(), groups));
                }
            }
        }
        return captures;
    }

    /**
     * Renovate's {@code matchRegexOrGlob}: {@code /.../} (flags after the last slash) is a regular expression that
     * may match anywhere, anything else a glob.
     */
    static Pattern filePattern(String pattern) {
        Matcher regex = Pattern.compile("^/(.*)/([a-z]*)$").matcher(pattern);
        if (regex.matches()) {
            return Pattern.compile(regex.group(1), regex.group(2).contains("i") ? Pattern.CASE_INSENSITIVE : 0);
        }
        return glob(pattern);
    }

    /** @return a minimatch glob as a whole-path expression: {@code **} any directories, {@code *} and {@code ?} one */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (glob.startsWith("**/", i)) {
                re.append("(?:.*/)?");
                i += 2;
            } else if (glob.startsWith("/**", i) && i + 3 == glob.length()) {
                re.append("(?:/.*)?");
                i += 2;
            } else if (glob.startsWith("**", i)) {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /** @return the file's text */
    static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
