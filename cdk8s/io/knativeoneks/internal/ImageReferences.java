package io.knativeoneks.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of container image references, {@code [registry[:port]/]path[:tag][@sha256:digest]}: the
 * patterns that check them and the split into their parts. It is Docker's form, stricter than what Knative's webhook
 * takes (go-containerregistry's {@code name.ParseReference}, knative/serving pkg/apis/serving/k8s_validation.go).
 */
public final class ImageReferences {
    private static final String REGISTRY = "[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?";
    private static final String PATH = "[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*";
    private static final String TAG_TEXT = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    /** An image tag: at most 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'. */
    public static final Pattern TAG = Pattern.compile(TAG_TEXT);
    /** An image repository without tag or digest: {@code [registry[:port]/]path}. */
    public static final Pattern REPOSITORY = Pattern.compile("(" + REGISTRY + "/)?" + PATH);
    /** An image reference; its tag and digest are each optional here ({@link Parts#pinned} says whether one is). */
    public static final Pattern REFERENCE = Pattern.compile(REPOSITORY.pattern() + "(:" + TAG_TEXT + ")?"
            + "(@sha256:[0-9a-f]{64})?");

    private ImageReferences() {
    }

    /**
     * The parts of an image reference. CDK tokens stay whole inside the part they stand in.
     *
     * @param host what precedes the first '/' (the registry, when the reference names one), or null without '/'
     * @param path the repository's path in the registry (the whole name without {@code host})
     * @param tag what follows the ':' after the path, or null
     * @param digest what follows the '@', e.g. {@code sha256:...}, or null
     */
    public record Parts(String host, String path, String tag, String digest) {
        /** @return whether the reference names a tag or a digest */
        public boolean pinned() {
            return tag != null || digest != null;
        }
    }

    /**
     * Splits {@code reference} (one that {@link #REFERENCE} accepts, or one with CDK tokens) into its parts.
     *
     * @param reference the image reference
     * @return its parts
     */
    public static Parts split(String reference) {
        List<String> tokens = new ArrayList<>();
        Matcher token = Tokens.TOKEN.matcher(reference);
        StringBuilder text = new StringBuilder();
        while (token.find()) { // a token's text may hold '/', ':' or '@', which must not split it
            token.appendReplacement(text, "\u0000" + tokens.size() + "\u0000");
            tokens.add(token.group());
        }
        token.appendTail(text);
        String plain = text.toString();
        int slash = plain.indexOf('/');
        String host = slash < 0 ? null : plain.substring(0, slash);
        String rest = plain.substring(slash + 1);
        int at = rest.indexOf('@');
        String digest = at < 0 ? null : rest.substring(at + 1);
        String name = at < 0 ? rest : rest.substring(0, at);
        int colon = name.indexOf(':');
        String tag = colon < 0 ? null : name.substring(colon + 1);
        String path = colon < 0 ? name : name.substring(0, colon);
        return new Parts(restore(host, tokens), restore(path, tokens), restore(tag, tokens), restore(digest, tokens));
    }

    private static String restore(String part, List<String> tokens) {
        if (part == null) {
            return null;
        }
        Matcher placeholder = Pattern.compile("\u0000(\\d+)\u0000").matcher(part);
        StringBuilder restored = new StringBuilder();
        while (placeholder.find()) {
            placeholder.appendReplacement(restored,
                    Matcher.quoteReplacement(tokens.get(Integer.parseInt(placeholder.group(1)))));
        }
        placeholder.appendTail(restored);
        return restored.toString();
    }
}
