package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

/**
 * The platform's metrics and logs part: MetricsOptions and LogsOptions become a Prometheus stack and the CloudWatch
 * add-on under the platform's path; the deprecated flat props map onto the same options.
 */
class MetricsAndLogsOptionsTest {
    private static String prometheusValues(PlatformFixture f) {
        return (String) f.properties(f.chart(PrometheusStack.RELEASE)).get("Values");
    }

    @Test
    void nothingWithoutOptions() {
        PlatformFixture none = PlatformFixture.of(b -> b);
        assertThat(none.platform().getMetrics()).isNull();
        assertThat(none.platform().getLogs()).isNull();
        none.template().resourceCountIs("AWS::EKS::Addon", 0);
        assertThat(none.graph().manifest(none.graph().manifestContaining("\"kind\":\"KnativeServing\"")))
                .as("no metrics export without metrics").doesNotContain("\"observability\"");
    }

    @Test
    void metricsOptionsDefaultsAndValuesReachPrometheus() {
        MetricsOptions defaults = MetricsOptions.builder().build();
        assertThat(defaults.getRetention().toHours()).as("resolved when built").isEqualTo(24);
        assertThat(defaults.getRetentionSize().toGibibytes()).isEqualTo(4);
        PlatformFixture metrics = PlatformFixture.of(b -> b.metrics(MetricsOptions.builder()
                .retention(Duration.hours(36)).retentionSize(Size.gibibytes(8)).build()));
        assertThat(metrics.platform().getMetrics().getNode().getPath()).isEqualTo("Parts/Platform/Metrics");
        assertThat(prometheusValues(metrics)).contains("\"retention\":\"36h\"", "\"retentionSize\":\"8GB\"");
        assertThat(metrics.graph().manifest(metrics.graph().manifestContaining("\"kind\":\"KnativeServing\"")))
                .as("Knative exports its metrics").contains("\"observability\"");
    }

    @Test
    void logsOptionsInstallTheCloudWatchAddOn() {
        PlatformFixture logs = PlatformFixture.of(b -> b.logs(LogsOptions.builder().build()));
        assertThat(logs.platform().getLogs().getNode().getPath()).isEqualTo("Parts/Platform/Logs");
        logs.template().hasResourceProperties("AWS::EKS::Addon", Match.objectLike(Map.of(
                "AddonName", CloudWatchLogs.ADDON)));
    }

    @Test
    @SuppressWarnings("deprecation")
    void deprecatedFlatPropsMapOntoTheOptions() {
        KnativePlatformProps props = KnativePlatformProps.builder().metrics(true)
                .metricsRetention(Duration.days(7)).logs(true).build();
        assertThat(props.getMetrics().getRetention().toDays()).isEqualTo(7);
        assertThat(props.getMetrics().getRetentionSize().toGibibytes()).isEqualTo(4);
        assertThat(props.getLogs()).isNotNull();
        PlatformFixture bridged = PlatformFixture.of(b -> b.metrics(true).metricsRetention(Duration.days(7)));
        assertThat(prometheusValues(bridged)).contains("\"retention\":\"7d\"", "\"retentionSize\":\"4GB\"");
        assertThat(KnativePlatformProps.builder().metrics(true).metrics(false).build().getMetrics())
                .as("the last call wins").isNull();
    }

    @Test
    @SuppressWarnings("deprecation")
    void deprecatedSettingsWithoutMetricsWarn() {
        PlatformFixture ignored = PlatformFixture.of(b -> b.metricsRetention(Duration.days(7)));
        Annotations.fromStack(ignored.stack()).hasWarning("/Parts/Platform",
                Match.stringLikeRegexp(".*apply only with metrics\\(true\\); they are ignored.*"));
        ignored.template().resourceCountIs(PlatformFixture.HELM, 4);
    }
}
