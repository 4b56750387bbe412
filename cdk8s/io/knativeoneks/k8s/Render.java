package io.knativeoneks.k8s;

import io.knativeoneks.internal.SortedKeys;
import io.knativeoneks.internal.Tokens;
import io.knativeoneks.internal.Validate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.Yaml;
import org.cdk8s.plus25.Secret;
import org.cdk8s.plus25.ServiceAccount;
import org.cdk8s.plus25.ServiceAccountProps;
import org.cdk8s.plus25.k8s.KubeServiceAccount;
import org.cdk8s.plus25.k8s.KubeServiceAccountProps;
import org.cdk8s.plus25.k8s.ObjectMeta;

/**
 * Renders cdk8s charts to plain YAML for a GitOps repository (Argo CD, Flux): one file per chart,
 * {@code <chart id>.k8s.yaml}, each object's keys sorted and the objects of a chart in dependency order, so the same
 * charts always give the same bytes. No CDK app and no AWS account are involved.
 *
 * <p>A GitOps manifest cannot carry values known only at deploy time: rendering fails with a
 * {@link io.knativeoneks.common.ValidationError} naming the object and the field where a CDK token
 * ({@code ${Token[...]}}) is left.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     Render.run(args, app -> {                            // --out <dir>, default "dist"
 *         new KnativeChart(app, "knative", KnativeServingProps.builder().domain("apps.example.org").build(), "apps");
 *         Chart hello = new Chart(app, "hello");
 *         new KnativeService(hello, "Service", KnativeServiceProps.builder()
 *                 .name("hello").namespace("apps").image("ghcr.io/knative/helloworld-go:v1").build());
 *     });
 * }
 * }</pre>
 */
public final class Render {
    /** The extension of the files written, as cdk8s's own {@code App.synth()} names them. */
    public static final String FILE_EXTENSION = ".k8s.yaml";
    /** A chart id that makes a portable file name. */
    private static final Pattern FILE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    /**
     * The example build's {@code inputsKey}: with no deploy-time value among its inputs any fixed text does; this is
     * the construct path a CDK app gives the same workload (stack {@code gitops}, workload {@code hello}), so that
     * both render the same Job name and image tag.
     */
    static final String EXAMPLE_BUILD_KEY = "gitops/hello";

    private Render() {
    }

    /**
     * Writes each chart of {@code app} to {@code directory} as {@code <chart id>.k8s.yaml}, creating the directory,
     * and deletes the other {@code *.k8s.yaml} files there, so that a chart removed from the app leaves the
     * repository (and the GitOps tool prunes its objects). Other files (a {@code kustomization.yaml}) are kept.
     * Nothing is written when a chart cannot be rendered.
     *
     * @param app the charts
     * @param directory where the files go, e.g. {@code Path.of("dist")}
     * @return the files written, sorted by name
     */
    public static List<Path> toDirectory(App app, Path directory) {
        Validate.required(app, "directory", directory, "pass the directory to write to, e.g. Path.of(\"dist\")");
        Map<Path, String> files = new TreeMap<>();
        for (Chart chart : app.getCharts()) {
            String id = chart.getNode().getId();
            Validate.matches(chart, "id", id, FILE_NAME, "a chart id that makes a portable file name (lower-case "
                    + "letters, digits, '-' and '.')", "hello");
            Path file = directory.resolve(id + FILE_EXTENSION);
            Validate.check(!files.containsKey(file), chart, "id", id, "is the id of another chart of the app too",
                    "give each chart an id of its own");
            files.put(file, toYaml(chart));
        }
        try {
            Files.createDirectories(directory);
            try (Stream<Path> existing = Files.list(directory)) {
                for (Path stale : existing.filter(f -> f.getFileName().toString().endsWith(FILE_EXTENSION))
                        .filter(f -> !files.containsKey(f)).toList()) {
                    Files.delete(stale);
                }
            }
            for (Map.Entry<Path, String> file : files.entrySet()) {
                Files.writeString(file.getKey(), file.getValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the rendered charts to " + directory, e);
        }
        return List.copyOf(files.keySet());
    }

    /**
     * The objects of one chart as multi-document YAML, in dependency order, each with its keys sorted.
     *
     * @param chart the chart
     * @return the YAML text; empty for a chart without objects
     */
    public static String toYaml(Chart chart) {
        List<Object> objects = new ArrayList<>();
        for (Object object : chart.toJson()) {
            checkNoTokens(chart, describe(object), "", object);
            objects.add(SortedKeys.of(object));
        }
        return objects.isEmpty() ? "" : Yaml.stringify(objects.toArray());
    }

    /**
     * Renders the charts {@code charts} adds to a new app into the directory {@code --out} names (default
     * {@code dist}), and prints the files written: the {@code main} of a render app.
     *
     * @param args the command line: {@code [--out <dir>]}
     * @param charts adds the charts to render to the app it is given
     * @return the files written, sorted by name
     */
    public static List<Path> run(String[] args, Consumer<App> charts) {
        Path out = Path.of("dist");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                out = Path.of(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument \"" + args[i] + "\"; usage: [--out <dir>]");
            }
        }
        App app = new App();
        charts.accept(app);
        List<Path> written = toDirectory(app, out);
        written.forEach(System.out::println);
        return written;
    }

    /**
     * Renders the example the README shows (Knative Serving and Eventing, a Service with its build from git, a
     * PingSource, a Broker, a Trigger and a DomainMapping) to {@code --out <dir>} (default {@code dist}).
     *
     * @param args the command line: {@code [--out <dir>]}
     */
    public static void main(String[] args) {
        run(args, Render::example);
    }

    /**
     * The example: the objects a {@code KnativePlatform} with a hosted zone for {@code apps.example.org} applies,
     * with a {@code KnativeWorkload} {@code hello} in {@code apps} built from git and pushed to
     * {@code registry.example.com}, answering on {@code www.example.net} too, and {@code ScheduledEvents}
     * {@code every-minute} for it; one chart per manifest, with the same ids.
     */
    static void example(App app) {
        String namespace = "apps";
        new KnativeChart(app, "knative", KnativeServingProps.builder()
                .domain("apps.example.org")
                .domainTemplate(DomainTemplate.ONE_LABEL)
                .externalHttps(true)
                .build(), null);
        KnativeChart.appNamespace(new Chart(app, "namespace-" + namespace), "Namespace", namespace);

        // The build: a Job that clones the repository and pushes with a dockerconfigjson Secret you provide
        // (e.g. a SealedSecret or an ExternalSecret) named hello-registry.
        Chart build = new Chart(app, "hello-build");
        new ServiceAccount(build, "BuildBot", ServiceAccountProps.builder()
                .metadata(ApiObjectMetadata.builder().name("build-bot").namespace(namespace).build())
                .secrets(List.of(Secret.fromSecretName(build, "RegistrySecret", "hello-registry")))
                .build());
        ImageBuild image = new ImageBuild(build, "Build", "hello", namespace, "build-bot",
                GitSource.builder().url("https://github.com/knative/docs.git").branch("main")
                        .subDirectory("code-samples/serving/hello-world/helloworld-go").build(),
                "registry.example.com/team/hello", ImageBuild.RegistryCredentials.dockerConfigSecret("hello-registry"),
                EXAMPLE_BUILD_KEY);

        Chart hello = new Chart(app, "hello");
        new KubeServiceAccount(hello, "ServiceAccount", KubeServiceAccountProps.builder()
                .metadata(ObjectMeta.builder().name("hello").namespace(namespace).build())
                .build());
        new KnativeService(hello, "Service", KnativeServiceProps.builder()
                .name("hello")
                .namespace(namespace)
                .image(image.getImage())
                .env(Map.of("TARGET", "GitOps"))
                .serviceAccountName("hello")
                .imagePullSecret("hello-registry")
                .build());
        new KnativeDomainMapping(new Chart(app, "hello-www.example.net"), "DomainMapping", "www.example.net",
                namespace, "hello");

        Chart events = new Chart(app, "every-minute-events");
        Broker broker = new Broker(events, "Broker", "every-minute", namespace);
        new PingSource(events, "Source", "every-minute", "* * * * *", "{\"message\": \"Hello from GitOps\"}", broker);
        new Trigger(events, "Trigger", "every-minute", broker, Map.of("type", "dev.knative.sources.ping"), "hello");
    }

    /** Refuses a CDK token anywhere in {@code value}, naming the object and the field. */
    private static void checkNoTokens(Chart chart, String object, String path, Object value) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> checkNoTokens(chart, object, path.isEmpty() ? String.valueOf(key)
                    : path + (String.valueOf(key).matches("[A-Za-z0-9_-]+") ? "." + key : "['" + key + "']"), item));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                checkNoTokens(chart, object, path + "[" + i + "]", list.get(i));
            }
        } else if (value instanceof String text) {
            Validate.check(!Tokens.isUnresolved(text), chart, object + " " + path, text,
                    "holds a CDK token, a value known only when a CDK app deploys, which a GitOps manifest cannot "
                            + "carry", "pass the literal value when rendering");
        }
    }

    /** @return e.g. {@code Service apps/hello} */
    private static String describe(Object object) {
        Map<?, ?> json = (Map<?, ?>) object;
        Map<?, ?> metadata = json.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        Object namespace = metadata.get("namespace");
        return json.get("kind") + " " + (namespace == null ? "" : namespace + "/") + metadata.get("name");
    }
}
