package rehearsal;

import io.knativeoneks.Autoscaler;
import io.knativeoneks.ImageSource;
import io.knativeoneks.KnativePlatform;
import io.knativeoneks.KnativeWorkload;
import java.util.Map;
import platform.PlatformApp;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;

/**
 * Rehearsal app (not part of the library, not compiled by Maven): the default app plus, with {@code -c extra=true},
 * one more workload built from {@code examples/hello-python}, whose settings come from the context:
 * {@code extraTarget} (its TARGET environment variable, default {@code v1}) and {@code extraMinScale} (the autoscaler's
 * minimum scale, default 0). test/rehearsal/run synthesizes it with different settings, and without the workload, to
 * rehearse CloudFormation updates.
 *
 * <pre>
 * SYNTH_EXTRA_SOURCES=test/rehearsal/RehearsalApp.java npx cdk synth -q --app "node bin/synth-app.js rehearsal.RehearsalApp" -c extra=true
 * </pre>
 */
public final class RehearsalApp {
    private RehearsalApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        Stack stack = PlatformApp.build(app);
        if (Boolean.parseBoolean(context(app, "extra", "false"))) {
            KnativePlatform platform = (KnativePlatform) stack.getNode().findChild("Platform");
            KnativeWorkload.Builder.create(stack, "Extra")
                    .platform(platform)
                    .name("extra")
                    .buildServiceAccount("extra-build-bot")
                    .env(Map.of("TARGET", context(app, "extraTarget", "v1")))
                    .scale(Autoscaler.builder().minScale(Integer.parseInt(context(app, "extraMinScale", "0"))).build())
                    .image(ImageSource.fromLocalDirectory("examples/hello-python"))
                    .build();
        }
        app.synth();
    }

    private static String context(App app, String key, String fallback) {
        Object value = app.getNode().tryGetContext(key);
        return value == null ? fallback : value.toString();
    }
}
