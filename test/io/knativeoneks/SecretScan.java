package io.knativeoneks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Scans a cloud assembly ({@code cdk.out}) for planted credential values and references that resolve a secret's value
 * at deploy time, in every file and asset, and for Kubernetes {@code Secret} objects that carry data in a manifest.
 */
final class SecretScan {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** CloudFormation dynamic references that resolve a secret's value into the template at deploy time. */
    private static final Pattern SECRET_VALUE_REFERENCE = Pattern.compile("\\{\\{resolve:(secretsmanager|ssm-secure):");

    private SecretScan() {
    }

    static List<String> findings(Path cdkOut, List<String> planted) throws IOException {
        List<String> findings = new ArrayList<>();
        try (Stream<Path> files = Files.walk(cdkOut)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String value : planted) {
                    if (text.contains(value)) {
                        findings.add(cdkOut.relativize(file) + ": planted value " + value);
                    }
                }
                if (SECRET_VALUE_REFERENCE.matcher(text).find()) {
                    findings.add(cdkOut.relativize(file) + ": reference to a secret value");
                }
                if (file.getFileName().toString().endsWith(".template.json")) {
                    findings.addAll(secretsWithData(cdkOut.relativize(file).toString(), JSON.readTree(text)));
                }
            }
        }
        return findings;
    }

    private static List<String> secretsWithData(String file, JsonNode template) {
        List<String> findings = new ArrayList<>();
        for (KnativeManifests.KubernetesObject secret : KnativeManifests.fromJson(JSON.convertValue(template,
                new TypeReference<Map<String, Object>>() { })).ofKind("Secret")) {
            for (String field : List.of("data", "stringData")) {
                if (secret.at(field) != null) {
                    findings.add(file + ": Secret " + secret.getName() + " carries " + field);
                }
            }
        }
        return findings;
    }
}
