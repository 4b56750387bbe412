package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.knativeoneks.common.Versions;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The version catalog is the one home of every pin: Renovate can update each, and the README and npm agree. */
class VersionCatalogTest {
    private static final Path CATALOG = Path.of("cdk8s/io/knativeoneks/common/Versions.java");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @return the pinned versions: the catalog's String constants that are not repositories, packages or images */
    private static Map<String, String> pins() throws IllegalAccessException {
        Map<String, String> pins = new HashMap<>();
        for (Field f : Versions.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
                    && !f.getName().matches(".*_(REPOSITORY|PACKAGE|IMAGE)")) {
                pins.put(f.getName(), (String) f.get(null));
            }
        }
        return pins;
    }

    /** @return constant name to the value Renovate's regex managers capture for it in {@code source} */
    private static Map<String, String> renovated(String source) throws IOException {
        JsonNode config = JSON.readTree(Path.of("renovate.json").toFile());
        Map<String, String> found = new HashMap<>();
        for (JsonNode manager : config.get("customManagers")) {
            assertThat(manager.get("managerFilePatterns").get(0).asText()).isEqualTo(
                    "/^" + CATALOG.toString().replace(".", "\\.") + "$/");
            for (JsonNode pattern : manager.get("matchStrings")) {
                Matcher m = Pattern.compile(pattern.asText() + "|(?<never>x)").matcher(source);
                Matcher name = Pattern.compile("public static final String (\\w+) = ").matcher("");
                while (m.find()) {
                    if (m.group("never") != null) {
                        continue;
                    }
                    name.reset(m.group());
                    assertThat(name.find()).isTrue();
                    String value = pattern.asText().contains("currentDigest") ? m.group("currentDigest")
                            : m.group("currentValue");
                    found.put(name.group(1), value);
                }
            }
        }
        return found;
    }

    @Test
    void everyPinIsFoundByAnUpdateManagerWithItsCurrentValue() throws Exception {
        assertThat(renovated(Files.readString(CATALOG))).isEqualTo(pins());
        assertThat(pins()).containsKeys("KUBERNETES", "KUBECTL_LAYER", "ISTIO", "KNATIVE_OPERATOR", "KNATIVE",
                "KANIKO", "EXTERNAL_SECRETS", "KUBE_PROMETHEUS_STACK", "KNATIVE_DASHBOARDS_COMMIT");
    }

    @Test
    void aPinWithoutItsRenovateCommentIsNotFound() throws Exception {
        String source = Files.readString(CATALOG)
                .replaceFirst("// renovate: datasource=helm depName=external-secrets .*\\n", "");
        assertThat(renovated(source)).doesNotContainKey("EXTERNAL_SECRETS").containsKey("ISTIO");
    }

    @Test
    void packageJsonPinsTheKubectlLayerOfTheCatalog() throws IOException {
        JsonNode dev = JSON.readTree(Path.of("package.json").toFile()).get("devDependencies");
        assertThat(dev.get(Versions.KUBECTL_LAYER_PACKAGE).asText()).isEqualTo(Versions.KUBECTL_LAYER);
        List<String> layers = new ArrayList<>();
        dev.fieldNames().forEachRemaining(n -> {
            if (n.startsWith("@aws-cdk/lambda-layer-kubectl")) {
                layers.add(n);
            }
        });
        assertThat(layers).containsExactly(Versions.KUBECTL_LAYER_PACKAGE);
        assertThat(Versions.KUBECTL_LAYER_PACKAGE).endsWith("-v" + Versions.KUBECTL_LAYER_MINOR);
    }

    @Test
    void theReadmeVersionTableSaysWhatTheCatalogPins() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String table = readme.substring(readme.indexOf("### Pinned versions"));
        table = table.substring(0, table.indexOf("\n\n", table.indexOf("|---")));
        Map<String, String> rows = new HashMap<>();
        for (String row : table.split("\n")) {
            String[] cells = row.split("\\|");
            if (cells.length > 2 && !cells[1].isBlank() && !cells[1].contains("---")) {
                rows.put(cells[1].trim(), cells[2].trim());
            }
        }
        assertThat(rows).containsEntry("Kubernetes", Versions.KUBERNETES)
                .containsEntry("kubectl layer", "`" + Versions.KUBECTL_LAYER_PACKAGE + "` " + Versions.KUBECTL_LAYER)
                .containsEntry("Istio charts", Versions.ISTIO + " from `" + Versions.ISTIO_REPOSITORY + "`")
                .containsEntry("Knative Operator chart", Versions.KNATIVE_OPERATOR + " from `"
                        + Versions.KNATIVE_OPERATOR_REPOSITORY + "`")
                .containsEntry("Knative Serving/Eventing", Versions.KNATIVE)
                .containsEntry("kaniko", "`" + Versions.KANIKO_IMAGE + "`")
                .containsEntry("External Secrets Operator chart", Versions.EXTERNAL_SECRETS + " from `"
                        + Versions.EXTERNAL_SECRETS_REPOSITORY + "`")
                .containsEntry("kube-prometheus-stack chart", Versions.KUBE_PROMETHEUS_STACK + " from `"
                        + Versions.KUBE_PROMETHEUS_STACK_REPOSITORY + "`")
                .containsEntry("Knative dashboards", "knative-extensions/monitoring at commit `"
                        + Versions.KNATIVE_DASHBOARDS_COMMIT.substring(0, 8) + "`");
        assertThat(Arrays.stream(table.split("\n")).filter(r -> r.startsWith("| ")).count())
                .as("one row a pin, plus the header and the CDK libraries").isEqualTo(11);
    }
}
