package io.knativeoneks.k8s;

import io.knativeoneks.internal.Validate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.constructs.Construct;

/**
 * Where an in-cluster build gets its source: a git repository over HTTPS at a branch or tag (optionally pinned to a
 * commit), an optional sub-directory, and the Dockerfile in it.
 *
 * <pre>{@code
 * GitSource source = GitSource.builder()
 *         .url("https://github.com/org/repo.git")
 *         .branch("release")
 *         .subDirectory("services/hello")
 *         .build();
 * }</pre>
 *
 * <p>On the AWS side, {@code ImageSource.fromGit(source)} builds it for a workload.
 */
public final class GitSource implements BuildContext {
    /** The build Job's annotation that holds {@link Builder#rebuildKey}. */
    public static final String REBUILD_KEY_ANNOTATION = "knative-on-eks.io/rebuild-key";

    private static final Pattern HTTPS_URL = Pattern.compile("https://([a-zA-Z0-9.-]+(:[0-9]+)?)(/[A-Za-z0-9._~/-]+)");
    /**
     * A branch or tag name {@code git check-ref-format --branch} accepts (git-check-ref-format(1)), in letters,
     * digits, '.', '_', '-' and '/' only (which keeps out spaces, control characters, the characters ~ ^ : ? * [ and
     * backslash, and the sequence "@{"): no '..' or '//', no component that starts with '.' or ends with ".lock",
     * not starting with '-' or '/', not ending with '/' or '.', and not "HEAD".
     */
    private static final Pattern REF_NAME = Pattern.compile("(?!-)(?!/)(?!.*\\.\\.)(?!.*//)(?!(.*/)?\\.)"
            + "(?!.*\\.lock(/|$))(?!HEAD$)[A-Za-z0-9._/-]+(?<![/.])");
    private static final String REF_NAME_RULES = "a git branch or tag name (letters, digits, '.', '_', '-' and '/'; "
            + "no '..' or '//', no part starting with '.' or ending with .lock, not starting with '-' or '/', not "
            + "ending with '/' or '.')";
    /** A full ref name, which the build would prefix again. */
    private static final Pattern FULL_REF = Pattern.compile("refs/(heads|tags)/(.*)");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern RELATIVE_PATH = Pattern.compile("(?!/)(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9._/-]+");

    private final String url;
    private final String ref;
    private final String commit;
    private final String subDirectory;
    private final String dockerfile;
    private final String rebuildKey;
    private final boolean tagAndBranch;
    private final Validate.Nulls nulls;

    private GitSource(Builder b) {
        this.url = b.url;
        this.ref = b.tag != null ? "refs/tags/" + b.tag : "refs/heads/" + (b.branch != null ? b.branch : "main");
        this.commit = b.commit;
        this.subDirectory = b.subDirectory;
        this.dockerfile = b.dockerfile != null ? b.dockerfile : "Dockerfile";
        this.rebuildKey = b.rebuildKey;
        this.tagAndBranch = b.tag != null && b.branch != null;
        this.nulls = b.nulls;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks the source; {@code scope} names it in error messages. A URL with credentials is rejected without being
     * echoed.
     *
     * @param scope the construct the error names
     */
    @Override
    public void validate(Construct scope) {
        Validate.check(url != null, scope, "git.url", null, "is required",
                "pass the repository's HTTPS URL, e.g. https://github.com/org/repo.git");
        nulls.check(scope, "git.");
        Validate.noCredentials(scope, "git.url", url,
                "use the repository's plain https:// URL; the build needs a repository it can read without "
                        + "credentials");
        Validate.matches(scope, "git.url", url, HTTPS_URL, "an https:// git repository URL",
                "https://github.com/org/repo.git");
        String refName = ref.substring(ref.indexOf('/', 5) + 1);
        String refProperty = ref.startsWith("refs/tags/") ? "git.tag" : "git.branch";
        Matcher full = FULL_REF.matcher(refName);
        Validate.check(!full.matches(), scope, refProperty, "\"" + refName + "\"",
                "is a full ref name, and the build adds " + ref.substring(0, ref.indexOf('/', 5) + 1) + " itself",
                "drop the prefix: use \"" + (full.matches() ? full.group(2) : "") + "\"");
        Validate.matches(scope, refProperty, refName, REF_NAME, REF_NAME_RULES, "main");
        if (rebuildKey != null) {
            Validate.literal(scope, "git.rebuildKey", rebuildKey, "the build's name and image tag are a hash of the "
                    + "build taken at synth, where a token has no value, so a new value would never start a build",
                    "pass the text itself, e.g. the date \"2026-11-27\"");
        }
        if (commit != null) {
            Validate.matches(scope, "git.commit", commit, COMMIT, "a full 40-character commit id",
                    "0123456789abcdef0123456789abcdef01234567");
        }
        if (subDirectory != null) {
            Validate.matches(scope, "git.subDirectory", subDirectory, RELATIVE_PATH,
                    "a relative path inside the repository, without '..'", "examples/hello-python");
        }
        Validate.matches(scope, "git.dockerfile", dockerfile, RELATIVE_PATH,
                "a relative path inside the build context, without '..'", "Dockerfile");
    }

    /** @return warnings about settings that have no effect, by warning id; empty when there are none */
    public Map<String, String> warnings() {
        return tagAndBranch ? Map.of("knative-on-eks:gitTagAndBranch",
                "Both a git tag and a branch are set; the tag is built and the branch is ignored. Set only one.")
                : Map.of();
    }

    /** @return kaniko's context ({@code git://host/path#ref[#commit]}), sub-directory and Dockerfile */
    @Override
    public List<String> kanikoArgs() {
        List<String> args = new ArrayList<>(List.of(
                "--context=" + url.replaceFirst("^https://", "git://") + "#" + ref + (commit != null ? "#" + commit : ""),
                "--dockerfile=" + dockerfile));
        if (subDirectory != null) {
            args.add("--context-sub-path=" + subDirectory);
        }
        return args;
    }

    @Override
    public Map<String, String> env() {
        return Map.of();
    }

    @Override
    public Map<String, String> annotations() {
        return rebuildKey == null ? Map.of() : Map.of(REBUILD_KEY_ANNOTATION, rebuildKey);
    }

    /** Builds a {@link GitSource}. */
    public static final class Builder {
        private String url;
        private String branch;
        private String tag;
        private String commit;
        private String subDirectory;
        private String dockerfile;
        private String rebuildKey;
        private final Validate.Nulls nulls = new Validate.Nulls();

        private Builder() {
        }

        /**
         * The repository's HTTPS URL. Required.
         *
         * @param value the URL, e.g. {@code https://github.com/org/repo.git}
         * @return this builder
         */
        public Builder url(String value) {
            this.url = value;
            return this;
        }

        /**
         * The branch to build: its name as {@code git check-ref-format --branch} accepts it, without
         * {@code refs/heads/}.
         *
         * @param value the branch name, e.g. {@code release/1.2}
         * @return this builder
         * @default "main" (ignored when a tag is set)
         */
        public Builder branch(String value) {
            this.branch = value;
            nulls.record("branch", value);
            return this;
        }

        /**
         * The tag to build instead of a branch, without {@code refs/tags/}.
         *
         * @param value the tag name
         * @return this builder
         * @default none
         */
        public Builder tag(String value) {
            this.tag = value;
            nulls.record("tag", value);
            return this;
        }

        /**
         * A commit on that branch or tag to pin the build to.
         *
         * @param value the full 40-character commit id
         * @return this builder
         * @default the tip of the branch or tag
         */
        public Builder commit(String value) {
            this.commit = value;
            nulls.record("commit", value);
            return this;
        }

        /**
         * The build context inside the repository.
         *
         * @param value the directory's path in the repository
         * @return this builder
         * @default the repository root
         */
        public Builder subDirectory(String value) {
            this.subDirectory = value;
            nulls.record("subDirectory", value);
            return this;
        }

        /**
         * The Dockerfile, relative to the build context.
         *
         * @param value the Dockerfile's path
         * @return this builder
         * @default "Dockerfile"
         */
        public Builder dockerfile(String value) {
            this.dockerfile = value;
            nulls.record("dockerfile", value);
            return this;
        }

        /**
         * Any text; a new value builds the same branch or tag again. Synth cannot see new commits on a moving
         * branch, so an unchanged source is not rebuilt; change this (for example to the date) to pick them up. It
         * must be known at synth: a CDK token (a parameter, an attribute) is refused, since it would never change the
         * build.
         *
         * @param value any text, not a token
         * @return this builder
         * @default none: the build reruns only when the source or the build itself changes
         */
        public Builder rebuildKey(String value) {
            this.rebuildKey = value;
            nulls.record("rebuildKey", value);
            return this;
        }

        /** @return the source; it is checked when a build uses it */
        public GitSource build() {
            return new GitSource(this);
        }
    }
}
