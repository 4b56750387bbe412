package platform;

import io.knativeoneks.ImageSource;
import io.knativeoneks.KnativeCluster;
import io.knativeoneks.KnativePlatform;
import io.knativeoneks.KnativeWorkload;
import io.knativeoneks.k8s.GitSource;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;

/**
 * The default app ({@code cdk.json}), the 2019 walkthrough in one stack: an EKS cluster with Istio and Knative
 * Serving + Eventing, routes on {@code <service>.<namespace>.example.com}, and {@code helloworld-python} built in the
 * cluster from git and served by Knative.
 *
 * <p>Context: {@code adminPrincipalArn} (the role that gets kubectl access), {@code gitUrl} and {@code gitBranch}
 * (the repository holding {@code examples/hello-python}; point them at your fork).
 */
public final class PlatformApp {
    /** The repository the example app is built from unless the context names another. */
    public static final String DEFAULT_GIT_URL = "https://github.com/knative-on-eks/knative-on-eks.git";

    private PlatformApp() {
    }

    /** Builds the app's stack; tests synthesize it the way {@link #main} does. */
    public static Stack build(App app) {
        Stack stack = new Stack(app, "KnativeOnEks");
        KnativeCluster cluster = KnativeCluster.Builder.create(stack, "Cluster").build();
        KnativePlatform platform = KnativePlatform.Builder.create(stack, "Platform")
                .cluster(cluster)
                .domain("example.com")
                .build();
        KnativeWorkload.Builder.create(stack, "HelloWorld")
                .platform(platform)
                .name("helloworld-python")
                .env(Map.of("TARGET", "Python Sample v1 with Knative on EKS"))
                .image(ImageSource.fromGit(GitSource.builder()
                        .url(context(app, "gitUrl", DEFAULT_GIT_URL))
                        .branch(context(app, "gitBranch", "main"))
                        .subDirectory("examples/hello-python")
                        .build()))
                .build();
        return stack;
    }

    private static String context(App app, String key, String fallback) {
        Object value = app.getNode().tryGetContext(key);
        return value == null ? fallback : value.toString();
    }

    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }
}
