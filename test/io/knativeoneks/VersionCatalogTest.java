package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The version catalog is the one home of the library's pins: Renovate can update each, and the README and npm agree.
 * Every other pin of the repository (Maven, npm, Go modules, Dockerfiles, pip requirements, versions in scripts) is
 * read by a Renovate manager too, and the pins that follow a catalog pin (the rehearsal's stand-ins) agree with it.
 */
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
        int catalogManagers = 0;
        for (JsonNode manager : config.get("customManagers")) {
            if (!manager.get("managerFilePatterns").get(0).asText().equals(
                    "/^" + CATALOG.toString().replace(".", "\\.") + "$/")) {
                continue;
            }
            catalogManagers++;
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
        assertThat(catalogManagers).as("custom managers of the catalog").isEqualTo(1);
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

    // Every dependency file of the repository, whoever wrote it, is read by the Renovate manager of its kind.

    /** Dependency files by kind, found by their names whatever Renovate's patterns say, with the manager of each. */
    private static final Map<String, Predicate<String>> DEPENDENCY_FILES = Map.of(
            "gomod", f -> name(f).equals("go.mod"),
            "dockerfile", f -> name(f).toLowerCase(Locale.ROOT).matches(".*(docker|container)file.*"),
            "pip_requirements", f -> name(f).toLowerCase(Locale.ROOT).matches(".*requirements.*\\.(txt|pip|in)"),
            "maven", f -> name(f).equals("pom.xml") || name(f).endsWith(".pom.xml"),
            "npm", f -> name(f).equals("package.json"));

    /** Dependency files renovate.json's ignorePaths skip on purpose, each with the reason. */
    private static final Map<String, String> NOT_WATCHED = Map.of(
            "test/resources/cdk-init/pom.xml",
            "what cdk init writes, kept verbatim beside its cdk.json (FeatureFlagsTest)");

    /** A Go module version: a release, a pre-release or pseudo-version, or +incompatible. */
    private static final String GO_VERSION = "v\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+incompatible)?";

    private static String name(String file) {
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /** @return manager to the dependency files of its kind among {@code files} it does not read (but NOT_WATCHED) */
    static Map<String, List<String>> unwatched(Renovate renovate, List<String> files) {
        Map<String, List<String>> unwatched = new TreeMap<>();
        DEPENDENCY_FILES.forEach((manager, kind) -> {
            List<String> read = renovate.filesOf(manager, files);
            List<String> missed = files.stream().filter(kind)
                    .filter(f -> !read.contains(f) && !NOT_WATCHED.containsKey(f)).toList();
            if (!missed.isEmpty()) {
                unwatched.put(manager, missed);
            }
        });
        return unwatched;
    }

    @Test
    void everyDependencyFileIsReadByTheManagerOfItsKind() throws IOException {
        Renovate renovate = Renovate.load();
        List<String> files = Renovate.repositoryFiles();
        assertThat(unwatched(renovate, files)).isEmpty();
        assertThat(renovate.enabledManagers()).containsAll(DEPENDENCY_FILES.keySet());
        // The kinds find what the repository has (so that the check above is not vacuous).
        assertThat(files.stream().filter(DEPENDENCY_FILES.get("gomod"))).contains("test/upstream/go.mod",
                "test/rehearsal/go.mod", "test/rehearsal/controlplane/go.mod");
        assertThat(files.stream().filter(DEPENDENCY_FILES.get("dockerfile"))).contains(
                "examples/hello-python/Dockerfile", "examples/event-display/Dockerfile",
                "examples/consumer/audit/Dockerfile");
        assertThat(files.stream().filter(DEPENDENCY_FILES.get("pip_requirements"))).contains(
                "examples/hello-python/requirements.txt", "examples/event-display/requirements.txt");
        assertThat(files.stream().filter(DEPENDENCY_FILES.get("maven"))).contains("pom.xml",
                "examples/consumer/pom.xml");
        assertThat(files.stream().filter(DEPENDENCY_FILES.get("npm"))).contains("package.json",
                "examples/consumer/package.json");
        // config:recommended ignores **/test/** and **/examples/** (preset :ignoreModulesAndTests): overridden.
        assertThat(renovate.filesOf("gomod", files)).contains("test/upstream/go.mod");
        assertThat(renovate.filesOf("maven", files)).contains("examples/consumer/pom.xml");
        assertThat(NOT_WATCHED.keySet()).allSatisfy(f -> {
            assertThat(Path.of(f)).exists();
            assertThat(renovate.ignored(f)).as(f).isTrue();
        });
    }

    @Test
    void aDependencyFileNoManagerReadsIsFound() throws IOException {
        Renovate renovate = Renovate.load();
        List<String> files = new ArrayList<>(Renovate.repositoryFiles());
        files.addAll(List.of("test/resources/cdk-init/go.mod", "examples/hello-python/requirements.in",
                "tools/app.Dockerfile.j2"));
        assertThat(unwatched(renovate, files)).containsOnly(
                Map.entry("gomod", List.of("test/resources/cdk-init/go.mod")),
                Map.entry("pip_requirements", List.of("examples/hello-python/requirements.in")),
                Map.entry("dockerfile", List.of("tools/app.Dockerfile.j2")));

        ObjectNode config = (ObjectNode) JSON.readTree(Path.of("renovate.json").toFile());
        ArrayNode managers = (ArrayNode) config.get("enabledManagers");
        for (int i = managers.size() - 1; i >= 0; i--) {
            if (managers.get(i).asText().equals("gomod")) {
                managers.remove(i);
            }
        }
        assertThat(unwatched(new Renovate(config), Renovate.repositoryFiles())).containsOnlyKeys("gomod");
    }

    /** @return the lines of a go.mod that require a module without a version, or replace one without a target */
    static List<String> unpinnedGoModLines(String gomod) {
        List<String> bad = new ArrayList<>();
        String block = null;
        for (String raw : gomod.split("\n")) {
            String line = raw.replaceFirst("//.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.endsWith("(")) {
                block = line.substring(0, line.length() - 1).trim();
                continue;
            }
            if (line.equals(")")) {
                block = null;
                continue;
            }
            String directive = block;
            String rest = line;
            if (block == null) {
                String[] words = line.split("\\s+", 2);
                directive = words[0];
                rest = words.length > 1 ? words[1] : "";
            }
            String[] words = rest.trim().split("\\s+");
            boolean pinned = switch (directive) {
                case "require" -> words.length == 2 && words[1].matches(GO_VERSION);
                case "replace" -> rest.contains("=>") && (rest.substring(rest.indexOf("=>") + 2).trim()
                        .matches("\\S+\\s+" + GO_VERSION) || rest.substring(rest.indexOf("=>") + 2).trim()
                        .matches("\\.{1,2}/\\S*|/\\S*"));
                default -> true;
            };
            if (!pinned) {
                bad.add(raw.trim());
            }
        }
        return bad;
    }

    /** @return the entries of one directive of a go.mod ({@code tool x} or a {@code tool (...)} block), comments cut */
    static List<String> goEntries(String gomod, String directive) {
        List<String> entries = new ArrayList<>();
        boolean inBlock = false;
        for (String raw : gomod.split("\n")) {
            String line = raw.replaceFirst("//.*", "").trim();
            if (inBlock && line.equals(")")) {
                inBlock = false;
            } else if (inBlock && !line.isEmpty()) {
                entries.add(line);
            } else if (line.matches(Pattern.quote(directive) + "\\s*\\(")) {
                inBlock = true;
            } else if (line.startsWith(directive + " ")) {
                entries.add(line.substring(directive.length()).trim());
            }
        }
        return entries;
    }

    /** @return the modules a go.mod requires, to their versions */
    static Map<String, String> goRequires(String gomod) {
        Map<String, String> requires = new TreeMap<>();
        for (String entry : goEntries(gomod, "require")) {
            String[] words = entry.split("\\s+");
            requires.put(words[0], words.length > 1 ? words[1] : "");
        }
        return requires;
    }

    /** @return the FROM lines of a Dockerfile whose image has no tag (or :latest) and no digest */
    static List<String> unpinnedFromLines(String dockerfile) {
        List<String> bad = new ArrayList<>();
        List<String> stages = new ArrayList<>();
        for (String raw : dockerfile.split("\n")) {
            String[] words = raw.trim().split("\\s+");
            if (!words[0].equalsIgnoreCase("FROM")) {
                continue;
            }
            List<String> args = Arrays.stream(words).skip(1).filter(w -> !w.startsWith("--")).toList();
            String image = args.isEmpty() ? "" : args.get(0);
            String last = image.substring(image.lastIndexOf('/') + 1);
            boolean pinned = image.equals("scratch") || stages.contains(image.toLowerCase(Locale.ROOT))
                    || !image.contains("$") && (image.contains("@sha256:")
                    || last.matches("[^:]+:[^:]+") && !last.endsWith(":latest"));
            if (!pinned) {
                bad.add(raw.trim());
            }
            if (args.size() == 3 && args.get(1).equalsIgnoreCase("AS")) {
                stages.add(args.get(2).toLowerCase(Locale.ROOT));
            }
        }
        return bad;
    }

    /** @return the requirement lines that do not pin one version ({@code name==version}) */
    static List<String> unpinnedRequirements(String requirements) {
        return Arrays.stream(requirements.split("\n")).map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("-"))
                .filter(l -> !l.replaceFirst("\\s+#.*", "")
                        .matches("[A-Za-z0-9][A-Za-z0-9._-]*(\\[[^]]*])?\\s*==\\s*\\d[^\\s;,*]*(\\s*;.*)?"))
                .toList();
    }

    @Test
    void everyPinnedLineOfTheDependencyFilesHasAVersion() throws IOException {
        Renovate renovate = Renovate.load();
        List<String> files = Renovate.repositoryFiles();
        Map<String, List<String>> unpinned = new TreeMap<>();
        for (String f : renovate.filesOf("gomod", files)) {
            String gomod = Renovate.read(f);
            List<String> bad = new ArrayList<>(unpinnedGoModLines(gomod));
            for (String tool : goEntries(gomod, "tool")) {
                if (goRequires(gomod).keySet().stream().noneMatch(m -> tool.equals(m) || tool.startsWith(m + "/"))) {
                    bad.add("tool " + tool + " (no require of its module)");
                }
            }
            assertThat(gomod).as(f + " names its Go version").containsPattern("(?m)^go \\d+\\.\\d+");
            unpinned.put(f, bad);
        }
        for (String f : renovate.filesOf("dockerfile", files)) {
            assertThat(Renovate.read(f)).as(f).containsPattern("(?m)^FROM ");
            unpinned.put(f, unpinnedFromLines(Renovate.read(f)));
        }
        for (String f : renovate.filesOf("pip_requirements", files)) {
            unpinned.put(f, unpinnedRequirements(Renovate.read(f)));
        }
        assertThat(unpinned).hasSizeGreaterThanOrEqualTo(8).allSatisfy((f, bad) -> assertThat(bad).as(f).isEmpty());
    }

    @Test
    void anUnpinnedLineIsFound() {
        assertThat(unpinnedGoModLines("module x\n\ngo 1.25.0\n\nrequire (\n\ta.io/b v1.2.3\n\tc.io/d\n)\n"
                + "require e.io/f latest\nreplace g.io/h => g.io/h\nreplace i.io/j => ../j\ntool a.io/b/cmd\n"))
                .containsExactly("c.io/d", "require e.io/f latest", "replace g.io/h => g.io/h");
        assertThat(unpinnedFromLines("FROM python:3.12-slim AS build\nFROM python\nFROM nginx:latest\n"
                + "FROM --platform=linux/amd64 registry:5000/team/app\nFROM build\nFROM x@sha256:" + "0".repeat(64)
                + "\nFROM scratch\nFROM $BASE\n"))
                .containsExactly("FROM python", "FROM nginx:latest",
                        "FROM --platform=linux/amd64 registry:5000/team/app", "FROM $BASE");
        assertThat(unpinnedRequirements("# comment\nFlask==3.1.1\ngunicorn>=23\nrequests\n-r other.txt\n"
                + "uvicorn[standard]==0.30.0 ; python_version >= \"3.9\"\n"))
                .containsExactly("gunicorn>=23", "requests");
    }

    // Versions in scripts: each is captured by a custom regex manager (a # renovate: comment above it).

    /** A line that pins a version: NAME_VERSION=1.2, pkg==1.2 or module@v1.2.3. */
    private static final Pattern SCRIPT_PIN = Pattern.compile(
            "^\\s*(?:export\\s+|local\\s+|readonly\\s+)?[A-Za-z_][A-Za-z0-9_]*VERSION=[\"']?v?\\d.*"
                    + "|.*[\\w.-]==v?\\d.*|.*@v\\d+\\.\\d+\\.\\d+.*",
            Pattern.CASE_INSENSITIVE);

    /** @return whether a file is a shell script: a {@code .sh} name or a {@code #!} line naming a shell */
    static boolean shellScript(String file) throws IOException {
        if (file.endsWith(".sh")) {
            return true;
        }
        byte[] head = Files.readAllBytes(Path.of(file));
        String first = new String(head, 0, Math.min(head.length, 100), java.nio.charset.StandardCharsets.ISO_8859_1)
                .split("\n", 2)[0];
        return first.matches("#!.*\\b(ba|da|k|z)?sh\\b.*");
    }

    /** @return the lines of {@code content} that pin a version no custom manager captures with that version */
    static List<String> uncapturedScriptPins(Renovate renovate, String file, String content) {
        List<Renovate.Capture> captures = renovate.captures(file, content);
        List<String> bad = new ArrayList<>();
        int offset = 0;
        for (String line : content.split("\n", -1)) {
            int start = offset;
            offset += line.length() + 1;
            if (line.trim().startsWith("#") || !SCRIPT_PIN.matcher(line).matches()) {
                continue;
            }
            boolean captured = captures.stream().anyMatch(c -> c.start() <= start && start + line.length() <= c.end()
                    && c.groups().containsKey("currentValue") && line.contains(c.groups().get("currentValue")));
            if (!captured) {
                bad.add(file + ": " + line.trim());
            }
        }
        return bad;
    }

    @Test
    void everyVersionAScriptPinsIsCapturedByACustomManager() throws IOException {
        Renovate renovate = Renovate.load();
        List<String> scripts = new ArrayList<>();
        for (String f : Renovate.repositoryFiles()) {
            if (shellScript(f)) {
                scripts.add(f);
            }
        }
        assertThat(scripts).contains("test/upstream/run", "test/rehearsal/run", ".ci/run",
                "examples/run-python-tests.sh");
        List<String> bad = new ArrayList<>();
        for (String f : scripts) {
            bad.addAll(uncapturedScriptPins(renovate, f, Renovate.read(f)));
        }
        assertThat(bad).isEmpty();
        assertThat(renovate.captures("test/upstream/run", Renovate.read("test/upstream/run")))
                .extracting(Renovate.Capture::groups)
                .anySatisfy(g -> assertThat(g).containsEntry("datasource", "pypi").containsEntry("depName", "cfn-lint")
                        .containsKey("currentValue"));
    }

    @Test
    void aScriptPinWithoutItsRenovateCommentIsFound() throws IOException {
        Renovate renovate = Renovate.load();
        String run = Renovate.read("test/upstream/run");
        assertThat(uncapturedScriptPins(renovate, "test/upstream/run", run)).isEmpty();
        assertThat(uncapturedScriptPins(renovate, "test/upstream/run",
                run.replaceFirst("# renovate: datasource=pypi depName=cfn-lint\\n", "")))
                .singleElement().asString().startsWith("test/upstream/run: CFN_LINT_VERSION=");
        assertThat(uncapturedScriptPins(renovate, "test/rehearsal/run",
                "go mod download istio.io/api@v1.31.1\npip install cfn-lint==1.58.0\nETCD_VERSION=3.6.8\n"))
                .hasSize(3);
    }

    // Pins that follow a catalog pin rather than stand alone: the deploy rehearsal's chart stand-ins.

    @Test
    void theRehearsalStandsInForTheChartsOfTheCatalogAndRunsItsKubernetes() throws IOException {
        String charts = Files.readString(Path.of("test/rehearsal/charts.go"));
        Set<String> simulated = new TreeSet<>();
        Matcher key = Pattern.compile("(?m)^\\t\"(\\S+ \\S+ \\S+)\": \\{").matcher(charts);
        while (key.find()) {
            simulated.add(key.group(1));
        }
        assertThat(simulated).as("a new chart pin needs its stand-in in test/rehearsal/charts.go").contains(
                Versions.ISTIO_REPOSITORY + " base " + Versions.ISTIO,
                Versions.ISTIO_REPOSITORY + " istiod " + Versions.ISTIO,
                Versions.ISTIO_REPOSITORY + " gateway " + Versions.ISTIO,
                Versions.KNATIVE_OPERATOR_REPOSITORY + " knative-operator " + Versions.KNATIVE_OPERATOR,
                Versions.KUBE_PROMETHEUS_STACK_REPOSITORY + " kube-prometheus-stack " + Versions.KUBE_PROMETHEUS_STACK);

        Map<String, String> crdSources = new TreeMap<>();
        Matcher source = Pattern.compile("crdSource\\{\\{\"([^\"]+)\", \"([^\"]+)\"").matcher(charts);
        while (source.find()) {
            crdSources.put(source.group(1), source.group(2));
        }
        String operator = goRequires(Files.readString(Path.of("test/upstream/go.mod"))).get("knative.dev/operator");
        assertThat(crdSources).containsEntry("istio.io/api", "v" + Versions.ISTIO)
                .containsEntry("knative.dev/operator", operator)
                .containsKey("github.com/prometheus-operator/prometheus-operator");
        assertThat(Files.readString(Path.of("test/rehearsal/main.go")))
                .contains("moduleDir(\"knative.dev/operator\", \"" + operator + "\")");
        assertThat(Files.readString(Path.of("test/rehearsal/run"))).doesNotContainPattern("@v\\d");

        String controlPlane = Files.readString(Path.of("test/rehearsal/controlplane/go.mod"));
        String kubernetes = goRequires(controlPlane).get("k8s.io/kubernetes");
        assertThat(kubernetes).startsWith("v" + Versions.KUBERNETES + ".");
        Matcher replace = Pattern.compile("(?m)^\\t(k8s\\.io/\\S+) => (\\S+) (\\S+)$").matcher(controlPlane);
        int staging = 0;
        while (replace.find()) {
            assertThat(replace.group(2)).isEqualTo(replace.group(1));
            assertThat(replace.group(3)).as(replace.group(1)).isEqualTo("v0." + kubernetes.substring("v1.".length()));
            staging++;
        }
        assertThat(staging).isGreaterThan(20);
    }
}
