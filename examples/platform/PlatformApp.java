package platform;

import io.knativeoneks.KnativeCluster;
import io.knativeoneks.KnativePlatform;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;

/**
 * The default app ({@code cdk.json}): an EKS cluster with Istio and Knative Serving + Eventing, routes on
 * {@code <service>.<namespace>.example.com}, as in the 2019 walkthrough.
 *
 * <p>{@code cdk deploy -c adminPrincipalArn=arn:aws:iam::<account>:role/<name>} gives that role kubectl access.
 */
public final class PlatformApp {
    private PlatformApp() {
    }

    /** Builds the app's stack; tests synthesize it the way {@link #main} does. */
    public static Stack build(App app) {
        Stack stack = new Stack(app, "KnativeOnEks");
        KnativeCluster cluster = KnativeCluster.Builder.create(stack, "Cluster").build();
        KnativePlatform.Builder.create(stack, "Platform")
                .cluster(cluster)
                .domain("example.com")
                .build();
        return stack;
    }

    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }
}
