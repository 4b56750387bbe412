package io.knativeoneks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * The {@code context} of a {@code cdk.json}, for unit tests that should synthesize what {@code cdk synth} does: the
 * CLI hands {@code cdk.json}'s feature flags to the app, but {@code new App()} in a test sees none of them.
 *
 * <pre>{@code
 * App app = CdkJson.app(Path.of("cdk.json"));   // an App with cdk.json's feature flags and context
 * OrdersStack stack = new OrdersStack(app, "Orders");
 * Template template = Template.fromStack(stack);
 * }</pre>
 */
public final class CdkJson {
    private CdkJson() {
    }

    /**
     * @param cdkJson the path of a {@code cdk.json}
     * @return its {@code context} object, in file order (empty when it has none)
     * @throws IllegalArgumentException when the file cannot be read or is not a JSON object
     */
    public static Map<String, Object> context(Path cdkJson) {
        Map<String, Object> file;
        try {
            file = new ObjectMapper().readValue(Files.readString(cdkJson), new TypeReference<LinkedHashMap<String,
                    Object>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("cdk.json (" + cdkJson.toAbsolutePath() + ") cannot be read as a JSON "
                    + "object: " + e.getMessage() + "; pass the path of your app's cdk.json", e);
        }
        Object context = file.get("context");
        if (context == null) {
            return new LinkedHashMap<>();
        }
        if (!(context instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("cdk.json (" + cdkJson.toAbsolutePath() + ") has a context that is "
                    + "not a JSON object: " + context + "; write it as {\"key\": value, ...}");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((k, v) -> result.put(String.valueOf(k), v));
        return result;
    }

    /**
     * @param cdkJson the path of a {@code cdk.json}
     * @return a new {@link App} with that file's context, as the CDK CLI would create it
     */
    public static App app(Path cdkJson) {
        return new App(AppProps.builder().context(context(cdkJson)).build());
    }
}
