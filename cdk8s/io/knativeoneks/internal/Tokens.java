package io.knativeoneks.internal;

import java.util.regex.Pattern;

/**
 * The one grammar for CDK tokens in strings: {@code ${Token[...]}} (a string token) and {@code #{Token[...]}} (a
 * token in a list), whose values are only known at deploy time.
 */
public final class Tokens {
    /** One token in a string. */
    public static final Pattern TOKEN = Pattern.compile("[$#]\\{Token\\[[^\\]]*]}");

    private Tokens() {
    }

    /**
     * Whether a string carries an unresolved CDK token.
     *
     * @param value the string, or null
     * @return true where it carries a token
     */
    public static boolean isUnresolved(String value) {
        return value != null && TOKEN.matcher(value).find();
    }

    /**
     * The string with each token replaced, for text that must not change with a token's synth-time number.
     *
     * @param value the string
     * @param replacement what stands where a token stood
     * @return the masked string
     */
    public static String mask(String value, String replacement) {
        return TOKEN.matcher(value).replaceAll(java.util.regex.Matcher.quoteReplacement(replacement));
    }
}
