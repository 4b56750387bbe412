package bench;

import io.knativeoneks.ImageSource;
import io.knativeoneks.KnativeCluster;
import io.knativeoneks.KnativePlatform;
import io.knativeoneks.KnativeWorkload;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;

/**
 * Benchmark app (not part of the library, not compiled by Maven): the platform of the example app plus N Knative
 * Services running existing images, N from the CDK context key {@code services} (default 1). bench/run has the app
 * command compile it with the app and synthesizes it with 1, 10 and 50 services to show how synth cost grows.
 *
 * <pre>
 * SYNTH_EXTRA_SOURCES=bench/ScaleApp.java npx cdk synth -q --app "node bin/synth-app.js bench.ScaleApp" -c services=10
 * </pre>
 */
public final class ScaleApp {
    private ScaleApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        Object value = app.getNode().tryGetContext("services");
        int services = value == null ? 1 : Integer.parseInt(value.toString());
        Stack stack = new Stack(app, "KnativeScale");
        KnativeCluster cluster = KnativeCluster.Builder.create(stack, "Cluster").build();
        KnativePlatform platform = KnativePlatform.Builder.create(stack, "Platform")
                .cluster(cluster)
                .domain("example.com")
                .build();
        for (int i = 1; i <= services; i++) {
            KnativeWorkload.Builder.create(stack, "Service" + i)
                    .platform(platform)
                    .name("svc-" + i)
                    .image(ImageSource.fromImage("ghcr.io/knative/helloworld-go:v1." + i))
                    .build();
        }
        app.synth();
    }
}
