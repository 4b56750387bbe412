package gitops;

import io.knativeoneks.k8s.Broker;
import io.knativeoneks.k8s.KnativeChart;
import io.knativeoneks.k8s.KnativeService;
import io.knativeoneks.k8s.KnativeServiceProps;
import io.knativeoneks.k8s.KnativeServingProps;
import io.knativeoneks.k8s.PingSource;
import io.knativeoneks.k8s.Render;
import io.knativeoneks.k8s.Trigger;
import java.util.Map;
import org.cdk8s.Chart;

/**
 * A GitOps team's render app: Knative, a service and scheduled events for it, written as YAML for Argo CD or Flux
 * with cdk8s alone ({@code node bin/synth-app.js gitops.GitOpsApp --out dist/}). Uses only the public API.
 */
public final class GitOpsApp {
    private GitOpsApp() {
    }

    /**
     * Renders the charts.
     *
     * @param args {@code [--out <dir>]}, default {@code dist}
     */
    public static void main(String[] args) {
        Render.run(args, app -> {
            new KnativeChart(app, "knative", KnativeServingProps.builder()
                    .domain("apps.example.org")
                    .build(), "apps");                       // and the namespace apps, labelled for injection
            Chart hello = new Chart(app, "hello");           // hello.k8s.yaml
            new KnativeService(hello, "Service", KnativeServiceProps.builder()
                    .name("hello")
                    .namespace("apps")
                    .image("ghcr.io/knative/helloworld-go:v1")
                    .env(Map.of("TARGET", "GitOps"))
                    .build());
            Chart events = new Chart(app, "events");
            Broker broker = new Broker(events, "Broker", "default", "apps");
            new PingSource(events, "Ping", "every-minute", "* * * * *", "{}", broker);
            new Trigger(events, "Trigger", "to-hello", broker, Map.of("type", "dev.knative.sources.ping"), "hello");
        });
    }
}
