package io.knativeoneks;

import io.knativeoneks.common.Versions;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.knativeoneks.internal.SortedKeys;
import io.knativeoneks.k8s.KnativeMonitors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdk8s.App;
import org.cdk8s.Chart;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.services.eks_v2.HelmChart;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.constructs.Construct;

/**
 * Metrics for Knative, the modern form of 2019's monitoring.yaml: {@code kube-prometheus-stack} (Prometheus
 * Operator, Prometheus, Grafana), monitors for the Knative control planes and revisions, and Knative's Grafana
 * dashboards, which Grafana downloads from the knative-extensions/monitoring repository at a pinned commit when it
 * starts. Grafana's admin password is generated in the cluster, never in the template.
 *
 * <pre>{@code
 * KnativePlatform platform = KnativePlatform.Builder.create(this, "Platform")
 *         .cluster(cluster)
 *         .metrics(MetricsOptions.builder().retention(Duration.days(7)).build())
 *         .build();
 * PrometheusStack metrics = platform.getMetrics();
 * }</pre>
 */
public final class PrometheusStack extends Construct {
    /** The chart repository. */
    public static final String REPOSITORY = Versions.KUBE_PROMETHEUS_STACK_REPOSITORY;
    /** The pinned chart version. */
    public static final String CHART_VERSION = Versions.KUBE_PROMETHEUS_STACK;
    /** The namespace. */
    public static final String NAMESPACE = "monitoring";
    /** The release name. */
    public static final String RELEASE = "kube-prometheus-stack";
    /** knative-extensions/monitoring at a pinned commit: where Grafana fetches Knative's dashboards. */
    public static final String DASHBOARDS = "https://raw.githubusercontent.com/knative-extensions/monitoring/"
            + Versions.KNATIVE_DASHBOARDS_COMMIT + "/grafana/";
    private static final List<String> DASHBOARD_FILES = List.of("knative-serving-http-requests",
            "knative-scaling", "knative-control-plane-efficiency", "knative-reconciler", "knative-eventing-broker",
            "knative-eventing-source");

    private final HelmChart chart;
    private final KubernetesManifest monitors;

    PrometheusStack(Construct scope, String id, ClusterContext cluster, String retention, String retentionSize) {
        super(scope, id);
        chart = cluster.addHelmChart(this, "PrometheusStack", REPOSITORY, "kube-prometheus-stack", CHART_VERSION,
                NAMESPACE, RELEASE, Map.of());
        // Grafana's admin password is set to null, so no chart version's default (85.x had a well-known one) can reach
        // the cluster: Grafana generates one into its Secret. jsii drops nulls from Java maps, hence the values
        // written as JSON text.
        CfnResource resource = (CfnResource) chart.getNode().findChild("Resource").getNode().getDefaultChild();
        resource.addPropertyOverride("Values", values(retention, retentionSize));

        Chart manifests = new Chart(new App(), "knative-monitors");
        new KnativeMonitors(manifests, "Monitors", NAMESPACE);
        monitors = cluster.applyChart(this, "Monitors", manifests);
        monitors.getNode().addDependency(chart);

        CfnOutput.Builder.create(this, "GrafanaCommand")
                .description("Open Grafana on http://localhost:3000 (user admin)")
                .value("kubectl port-forward -n " + NAMESPACE + " svc/" + RELEASE + "-grafana 3000:80")
                .build();
        CfnOutput.Builder.create(this, "GrafanaPasswordCommand")
                .description("Print Grafana's generated admin password")
                .value("kubectl get secret -n " + NAMESPACE + " " + RELEASE
                        + "-grafana -o jsonpath='{.data.admin-password}' | base64 -d")
                .build();
    }

    private static String values(String retention, String retentionSize) {
        Map<String, Object> prometheusSpec = new LinkedHashMap<>();
        prometheusSpec.put("serviceMonitorSelectorNilUsesHelmValues", false);
        prometheusSpec.put("podMonitorSelectorNilUsesHelmValues", false);
        prometheusSpec.put("retention", retention);
        prometheusSpec.put("retentionSize", retentionSize);
        Map<String, Object> dashboards = new LinkedHashMap<>();
        DASHBOARD_FILES.forEach(name -> dashboards.put(name, Map.of("url", DASHBOARDS + name + ".json")));
        Map<String, Object> provider = new LinkedHashMap<>();
        provider.put("name", "knative");
        provider.put("folder", "Knative");
        provider.put("type", "file");
        provider.put("options", Map.of("path", "/var/lib/grafana/dashboards/knative"));
        Map<String, Object> grafana = new LinkedHashMap<>();
        grafana.put("adminPassword", null);
        grafana.put("dashboardProviders", Map.of("dashboardproviders.yaml",
                Map.of("apiVersion", 1, "providers", List.of(provider))));
        grafana.put("dashboards", Map.of("knative", dashboards));
        Map<String, Object> values = new LinkedHashMap<>();
        // Helm never upgrades CRDs; the chart's upgrade job applies the Prometheus Operator CRDs of the new version
        // before the operator, as each major since 86 needs (its UPGRADE.md), so upgrading our pin needs no kubectl.
        values.put("crds", Map.of("upgradeJob", Map.of("enabled", true)));
        values.put("prometheus", Map.of("prometheusSpec", prometheusSpec));
        values.put("grafana", grafana);
        try {
            return new ObjectMapper().writeValueAsString(SortedKeys.of(values));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the kube-prometheus-stack chart */
    public HelmChart getChart() {
        return chart;
    }

    /** @return the manifest with Knative's monitors */
    public KubernetesManifest getMonitors() {
        return monitors;
    }
}
