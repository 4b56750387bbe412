package io.knativeoneks.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gitops.GitOpsApp;
import io.knativeoneks.common.ValidationError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.JsonPatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Render}: file names, the same bytes every time, stale files, and no CDK token in a GitOps manifest. */
class RenderTest {
    private static App example() {
        App app = new App();
        Render.example(app);
        return app;
    }

    /** A chart with one ConfigMap holding {@code value}. */
    private static App configMap(String chartId, String value) {
        App app = new App();
        ApiObject map = new ApiObject(new Chart(app, chartId), "Map", ApiObjectProps.builder().apiVersion("v1")
                .kind("ConfigMap").metadata(ApiObjectMetadata.builder().name("settings").namespace("apps").build())
                .build());
        map.addJsonPatch(JsonPatch.add("/data", Map.of("greeting", value)));
        return app;
    }

    @Test
    void writesOneFilePerChartNamedAfterItsId(@TempDir Path dir) {
        List<Path> files = Render.toDirectory(example(), dir);
        assertThat(files).extracting(f -> f.getFileName().toString()).containsExactly(
                "every-minute-events.k8s.yaml", "hello-build.k8s.yaml", "hello-www.example.net.k8s.yaml",
                "hello.k8s.yaml", "knative.k8s.yaml", "namespace-apps.k8s.yaml");
        assertThat(files).allSatisfy(f -> assertThat(f).isRegularFile().hasParent(dir));
    }

    @Test
    void rendersTheSameBytesEveryTime(@TempDir Path first, @TempDir Path second) throws IOException {
        List<Path> once = Render.toDirectory(example(), first);
        List<Path> again = Render.toDirectory(example(), second);
        assertThat(again).hasSameSizeAs(once);
        for (int i = 0; i < once.size(); i++) {
            assertThat(Files.readString(again.get(i))).as(once.get(i).getFileName().toString())
                    .isEqualTo(Files.readString(once.get(i)));
        }
    }

    @Test
    void writesKeysSortedAndObjectsInDependencyOrder(@TempDir Path dir) throws IOException {
        Render.toDirectory(example(), dir);
        String knative = Files.readString(dir.resolve("knative.k8s.yaml"));
        assertThat(knative).startsWith("apiVersion: v1\nkind: Namespace\nmetadata:\n");
        assertThat(knative.indexOf("name: knative-serving\nspec: {}")).as("the namespace before the object in it")
                .isLessThan(knative.indexOf("kind: KnativeServing"));
        assertThat(Files.readString(dir.resolve("hello.k8s.yaml"))).contains(
                "        - env:\n            - name: TARGET\n              value: GitOps\n          image: ");
    }

    @Test
    void removesTheFileOfAChartThatIsGoneAndKeepsOtherFiles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\n");
        Render.toDirectory(configMap("old", "hi"), dir);
        assertThat(dir.resolve("old.k8s.yaml")).isRegularFile();
        Render.toDirectory(configMap("new", "hi"), dir);
        assertThat(dir.resolve("old.k8s.yaml")).doesNotExist();
        assertThat(dir.resolve("new.k8s.yaml")).isRegularFile();
        assertThat(dir.resolve("kustomization.yaml")).hasContent("resources: []");
    }

    @Test
    void refusesACdkTokenNamingTheObjectAndTheField(@TempDir Path dir) {
        assertThatThrownBy(() -> Render.toDirectory(configMap("settings", "hello ${Token[TOKEN.123]}"), dir))
                .isInstanceOf(ValidationError.class)
                .hasMessageContaining("[settings] ConfigMap apps/settings data.greeting (hello ${Token[TOKEN.123]})")
                .hasMessageContaining("GitOps manifest cannot carry");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void refusesAChartIdThatIsNoPortableFileName(@TempDir Path dir) {
        assertThatThrownBy(() -> Render.toDirectory(configMap("My Chart", "hi"), dir))
                .isInstanceOf(ValidationError.class)
                .hasMessageContaining("[My Chart] id (\"My Chart\") must be a chart id that makes a portable file "
                        + "name");
    }

    @Test
    void theReadmesRenderAppIsTheExampleThatRuns(@TempDir Path dir) throws IOException {
        GitOpsApp.main(new String[] {"--out", dir.toString()});
        assertThat(dir.resolve("hello.k8s.yaml")).content().contains("kind: Service", "value: GitOps");
        assertThat(dir.resolve("events.k8s.yaml")).content().contains("kind: PingSource", "kind: Trigger");
        assertThat(dir.resolve("knative.k8s.yaml")).content().contains("kind: KnativeServing", "name: apps");
        String app = Files.readString(Path.of("examples/gitops/GitOpsApp.java"));
        String main = app.substring(app.indexOf("    public static void main"), app.lastIndexOf('}'));
        assertThat(Files.readString(Path.of("README.md"))).as("the README shows examples/gitops/GitOpsApp.java")
                .contains("public final class GitOpsApp {\n" + main + "}\n```");
    }

    @Test
    void runTakesTheOutputDirectoryFromTheCommandLine(@TempDir Path dir) {
        Path out = dir.resolve("dist");
        assertThat(Render.run(new String[] {"--out", out.toString()}, app -> new Chart(app, "empty")))
                .containsExactly(out.resolve("empty.k8s.yaml"));
        assertThat(out.resolve("empty.k8s.yaml")).isEmptyFile();
        assertThatThrownBy(() -> Render.run(new String[] {"--output", "x"}, app -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("usage: [--out <dir>]");
    }
}
