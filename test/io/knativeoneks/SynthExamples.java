package io.knativeoneks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.knativeoneks.k8s.Render;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.cdk8s.Chart;
import platform.PlatformApp;
import routing.RoutingApp;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

/**
 * Writes the cloud assemblies of the example apps, one folder each, into the directory given as the only argument:
 * the default app plain, over HTTPS and with metrics and logs, and the routing example; and beside each, its cdk8s
 * charts as cdk8s renders them (the platform's Knative chart, each workload's and its custom domains'); and what
 * {@link Render}'s example writes for a GitOps repository, in {@code gitops}. {@link DeterministicSynthTest}
 * runs it in two JVMs and compares what they write.
 */
final class SynthExamples {
    /** The hosted-zone context of the HTTPS examples, as the README's deploy command passes it. */
    static final Map<String, Object> HOSTED_ZONE = new TreeMap<>(Map.of("domain", "apps.example.org",
            "hostedZoneId", "Z0123456789ABCDEFGHIJ", "hostedZoneName", "example.org"));
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /**
     * A CDK token's placeholder in a chart rendered outside CDK (an image on an ECR repository of the stack): its
     * number counts the tokens jsii's kernel registered before it, which varies from one JVM to the next; it never
     * reaches a template, where CDK resolves it.
     */
    private static final Pattern TOKEN = Pattern.compile("\\$\\{Token\\[[^\\]]*\\]\\}");

    private SynthExamples() {
    }

    /**
     * @param args the directory to write into
     * @throws IOException when a chart cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        synth(out.resolve("platform"), Map.of(), PlatformApp::build);
        synth(out.resolve("platform-https"), HOSTED_ZONE, PlatformApp::build);
        synth(out.resolve("platform-metrics-logs"), new TreeMap<>(Map.of("metrics", "true", "logs", "true")),
                PlatformApp::build);
        synth(out.resolve("routing"), HOSTED_ZONE, RoutingApp::build);
        Render.main(new String[] {"--out", out.resolve("gitops").toString()});
    }

    private static void synth(Path outdir, Map<String, Object> context, Function<App, Stack> build)
            throws IOException {
        Map<String, Object> all = new TreeMap<>(CdkJson.context(Path.of("cdk.json")));
        // Metadata carries the stack traces of annotations and resources, which name the temporary directory of this
        // process's jsii kernel: the only difference between two JVMs that is not ours (and no template has it).
        all.put("aws:cdk:disable-stack-trace", true);
        all.put("aws:cdk:disable-creation-stack-traces", true);
        all.putAll(context);
        App app = new App(AppProps.builder().outdir(outdir.toString()).context(all).build());
        Stack stack = build.apply(app);
        app.synth();
        Path charts = outdir.resolveSibling(outdir.getFileName() + "-charts");
        Files.createDirectories(charts);
        List<Chart> rendered = new ArrayList<>();
        for (IConstruct c : stack.getNode().findAll()) {
            if (c instanceof KnativePlatform platform) {
                rendered.add(platform.getKnativeChart());
            } else if (c instanceof KnativeWorkload workload) {
                rendered.add(workload.getChart());
                workload.getDomainMappings().forEach(mapping -> rendered.add(Chart.of(mapping)));
            }
        }
        for (Chart chart : rendered) {
            Files.writeString(charts.resolve(chart.getNode().getId() + ".json"),
                    TOKEN.matcher(JSON.writeValueAsString(chart.toJson())).replaceAll("\\${Token}"));
        }
    }
}
