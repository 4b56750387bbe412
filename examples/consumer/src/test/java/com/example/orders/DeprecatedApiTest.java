package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.knativeoneks.ImageSource;
import io.knativeoneks.KnativePlatform;
import io.knativeoneks.KnativeWorkload;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.ClusterAttributes;
import software.amazon.awscdk.services.eks_v2.KubectlProvider;
import software.amazon.awscdk.services.eks_v2.KubectlProviderAttributes;

/**
 * Code written against 0.3.0 still compiles and works in 0.4.0 through the deprecated bridges (each goes in the next
 * minor version): the flat metrics and logs settings, and {@code ImageSource.fromDirectory}.
 */
class DeprecatedApiTest {
    private static final String KUBECTL = "arn:aws:lambda:eu-west-1:111111111111:function:shared-eks-kubectl-provider";

    @Test
    @SuppressWarnings("deprecation") // the point of the test
    void theBridgesOf030StillWork() {
        Stack stack = new Stack(new App(), "Old");
        KnativePlatform platform = KnativePlatform.Builder.create(stack, "Platform")
                .cluster(Cluster.fromClusterAttributes(stack, "Cluster", ClusterAttributes.builder()
                        .clusterName("shared-eks")
                        .kubectlProvider(KubectlProvider.fromKubectlProviderAttributes(stack, "Kubectl",
                                KubectlProviderAttributes.builder().serviceToken(KUBECTL).build()))
                        .build()))
                .installPodIdentityAgent(true)
                .metrics(true)
                .metricsRetention(Duration.days(2))
                .logs(true)
                .build();
        KnativeWorkload web = KnativeWorkload.Builder.create(stack, "Web")
                .platform(platform)
                .name("web")
                .image(ImageSource.fromDirectory("audit"))
                .build();

        assertNotNull(platform.getMetrics(), "metrics(true) still installs Prometheus");
        assertNotNull(platform.getLogs(), "logs(true) still installs the CloudWatch add-on");
        String values = Template.fromStack(stack).findResources("Custom::AWSCDK-EKS-HelmChart").values().stream()
                .map(chart -> String.valueOf(((Map<?, ?>) chart.get("Properties")).get("Values")))
                .filter(v -> v.contains("prometheusSpec")).findFirst().orElseThrow();
        assertTrue(values.contains("\"retention\":\"2d\""), "metricsRetention still sets the retention: " + values);
        assertNotNull(web.getRepository(), "fromDirectory still builds with Docker into an ECR asset repository");
    }
}
