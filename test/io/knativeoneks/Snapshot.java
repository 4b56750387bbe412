package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Snapshot files under {@code test/snapshots}. Asset hashes (64 hex digits) are replaced by {@code <hash>} so that
 * snapshots do not churn when an asset's bytes change. Run {@code mvn test -Dsnapshot.update=true} to rewrite them
 * after an intended change, then review the diff.
 */
public final class Snapshot {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Snapshot() {
    }

    /** Compares {@code actual} (any JSON-like value) with the named snapshot, or rewrites it when asked. */
    public static void matches(String name, Object actual) {
        String rendered = normalize(render(actual));
        Path file = Paths.get("test", "snapshots", name + ".json");
        try {
            if (Boolean.getBoolean("snapshot.update")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, rendered);
            }
            assertThat(file).as("snapshot missing; run mvn test -Dsnapshot.update=true to create it").exists();
            assertThat(rendered)
                    .as("snapshot %s differs; if the change is intended, run mvn test -Dsnapshot.update=true", file)
                    .isEqualTo(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String normalize(String json) {
        return json.replaceAll("[0-9a-f]{64}", "<hash>");
    }

    private static String render(Object value) {
        try {
            return JSON.writeValueAsString(JSON.readTree(JSON.writeValueAsString(value))) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
