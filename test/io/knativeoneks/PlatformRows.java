package io.knativeoneks;

import static io.knativeoneks.ValidationRows.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.knativeoneks.common.Versions;
import io.knativeoneks.k8s.KnativeVersion;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.eks.CfnCluster;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubernetesVersion;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.route53.HostedZone;

/**
 * Validation rows of KnativePlatform and KnativePlatformProps: the cluster, versions, domain, namespace, metrics, and
 * which stacks the platform may reference. Run by {@link ValidationTest}.
 */
final class PlatformRows {
    private PlatformRows() {
    }

    @SuppressWarnings("deprecation") // rows for the deprecated bridges, which must keep working
    static Stream<Arguments> badRows() {
        return Stream.of(
                bad("KnativePlatformProps.hostedZone", "hosted zone in the workloads' stack", s -> {
                    Stack apps = stackBeside(s, "Apps");
                    KnativePlatform p = platform(s).domain("apps.example.org").hostedZone(HostedZone.Builder
                            .create(apps, "Zone").zoneName("example.org").build()).build();
                    workloadOn(apps, p).build();
                }, "[Apps/Workload] platform (Test/Platform) would make stacks Test and Apps depend on each other: the "
                        + "platform references its hostedZone Apps/Zone in Apps, and Apps/Workload in Apps depends on "
                        + "the platform: move Apps/Zone to stack Test or to a stack of its own, or Apps/Workload to "
                        + "another stack"),
                bad("KnativePlatformProps.cluster", "cluster in the workloads' stack", s -> {
                    Stack apps = stackBeside(s, "Apps");
                    KnativePlatform p = KnativePlatform.Builder.create(s, "Platform")
                            .cluster(KnativeCluster.Builder.create(apps, "Cluster").build()).build();
                    ScheduledEvents.Builder.create(apps, "Events").platform(p).name("tick")
                            .subscriber(workloadOn(s, p).build()).build();
                }, "[Apps/Events] platform (Test/Platform) would make stacks Test and Apps depend on each other: the "
                        + "platform references its cluster Apps/Cluster in Apps, and Apps/Events in Apps depends on "
                        + "the platform: move Apps/Cluster to stack Test or to a stack of its own, or Apps/Events to "
                        + "another stack"),
                bad("KnativeWorkloadProps.customDomains", "custom domain's zone in the workload's stack", s -> {
                    Stack apps = stackBeside(s, "Apps");
                    KnativePlatform p = platform(s).domain("apps.example.org").hostedZone(zone(s, "example.org"))
                            .build();
                    workloadOn(apps, p).customDomains(List.of(CustomDomain.of("www.example.net", HostedZone.Builder
                            .create(apps, "Net").zoneName("example.net").build()))).build();
                }, "[Apps/Workload] customDomains (\"www.example.net\") would make stacks Test and Apps depend on "
                        + "each other: the platform references the custom domain's zone Apps/Net in Apps, and "
                        + "Apps/Workload in Apps depends on the platform: move Apps/Net to stack Test or to a stack of "
                        + "its own, or Apps/Workload to another stack"),
                bad("KnativePlatformProps.removalPolicy", "platform removal policy SNAPSHOT",
                        s -> platform(s).removalPolicy(RemovalPolicy.SNAPSHOT).build(), "[Test/Platform] "
                                + "removalPolicy (SNAPSHOT) " + REMOVAL),
                bad("KnativePlatformProps.cluster", "platform without cluster",
                        s -> KnativePlatform.Builder.create(s, "Platform").build(),
                        "[Test/Platform] cluster (null) is required: pass the KnativeCluster to install on, or any "
                                + "eks_v2 ICluster (e.g. Cluster.fromClusterAttributes(...) with its kubectlProvider)"),
                bad("KnativePlatformProps.installPodIdentityAgent", "agent add-on on a KnativeCluster",
                        s -> platform(s).installPodIdentityAgent(true).build(), "[Test/Platform] "
                                + "installPodIdentityAgent (true) would add a second eks-pod-identity-agent add-on to the cluster "
                                + "Test/Cluster/Cluster, which has one already (Test/Cluster/Cluster/"
                                + "EksPodIdentityAgentAddon; EKS takes one add-on of a name per cluster): remove "
                                + "installPodIdentityAgent(true)"),
                bad("KnativePlatformProps.installPodIdentityAgent", "agent add-on on a cluster that has one",
                        s -> KnativePlatform.Builder.create(s, "Platform").cluster((ICluster) clusterBuilder(s).build()
                                .getCluster()).installPodIdentityAgent(true).build(), "[Test/Platform] "
                                + "installPodIdentityAgent (true) would add a second eks-pod-identity-agent add-on to "
                                + "the cluster Test/Cluster/Cluster, which has one already (Test/Cluster/Cluster/"
                                + "EksPodIdentityAgentAddon; EKS takes one add-on of a name per cluster): remove "
                                + "installPodIdentityAgent(true)"),
                bad("KnativePlatformProps.removalPolicy", "platform removal policy null",
                        s -> platform(s).removalPolicy(null).build(),
                        "[Test/Platform] removalPolicy" + NOT_NULL + "removalPolicy unset for its default, or pass "
                                + "a value"),
                bad("KnativePlatformProps.logRetention", "platform log retention null",
                        s -> platform(s).logRetention(null).build(),
                        "[Test/Platform] logRetention" + NOT_NULL + "logRetention unset for its default, or pass "
                                + "a value"),
                bad("KnativePlatformProps.cluster", "two platforms on one cluster", s -> {
                    KnativeCluster c = clusterBuilder(s).build();
                    KnativePlatform.Builder.create(s, "Platform").cluster(c).build();
                    KnativePlatform.Builder.create(s, "Second").cluster(c).build();
                }, "[Test/Second] cluster (Test/Cluster) already runs the platform Test/Platform; one cluster takes "
                        + "one KnativePlatform (Istio, the Knative Operator and their namespaces are cluster-wide): "
                        + "use that platform, or give this one its own KnativeCluster"),
                bad("KnativePlatformProps.cluster", "cluster without access entries", s -> {
                    KnativeCluster c = clusterBuilder(s).build();
                    ((CfnCluster) c.getCluster().getNode().getDefaultChild()).setAccessConfig(
                            CfnCluster.AccessConfigProperty.builder().authenticationMode("CONFIG_MAP").build());
                    KnativePlatform.Builder.create(s, "Platform").cluster(c).build();
                }, "[Test/Platform] cluster (Test/Cluster) has authentication mode CONFIG_MAP, where the readiness "
                        + "waits' access entry cannot exist: keep eks_v2's authentication mode API, or use "
                        + "API_AND_CONFIG_MAP"),
                bad("KnativePlatformProps.knativeVersion", "knative older than operator supports",
                        s -> platform(s).knativeVersion(KnativeVersion.of("1.19", 32)).build(),
                        "[Test/Platform] knativeVersion (1.19) must be 1.20 to 1.23, the releases Knative Operator "
                                + "v1.23.0 installs: use KnativeVersion.V1_23"),
                bad("KnativePlatformProps.knativeVersion", "knative needs newer kubernetes",
                        s -> KnativePlatform.Builder.create(s, "Platform").cluster(clusterBuilder(s)
                                .kubernetesVersion(KubernetesVersion.V1_33).kubectlLayer(LayerVersion
                                        .fromLayerVersionArn(s, "Layer", "arn:aws:lambda:us-east-1:" + NINE
                                                + ":layer:kubectl133:1")).build()).build(),
                        "[Test/Platform] knativeVersion (1.23) needs Kubernetes 1.34 or newer, but the cluster runs "
                                + "1.33: raise the cluster's kubernetesVersion"),
                bad("KnativePlatformProps.knativeVersion", "knative version null",
                        s -> platform(s).knativeVersion(null).build(),
                        "[Test/Platform] knativeVersion" + NOT_NULL + "knativeVersion unset for its default, or pass "
                                + "a value"),
                bad("KnativeVersion.of", "knative version malformed",
                        s -> platform(s).knativeVersion(KnativeVersion.of("latest", 34)).build(),
                        "[Test/Platform] knativeVersion (latest) must be 1.20 to 1.23, the releases Knative Operator "
                                + "v1.23.0 installs: use KnativeVersion.V1_23"),
                bad("KnativeVersion.of", "knative version string null",
                        s -> platform(s).knativeVersion(KnativeVersion.of(null, 34)).build(),
                        "[Test/Platform] knativeVersion (null) must be 1.20 to 1.23, the releases Knative Operator "
                                + "v1.23.0 installs: use KnativeVersion.V1_23"),
                bad("KnativePlatformProps.istioVersion", "istio older line",
                        s -> platform(s).istioVersion("1.30.3").build(),
                        "[Test/Platform] istioVersion (\"1.30.3\") must be an Istio 1.31.x release (the line Knative "
                                + "1.23 runs with that supports Kubernetes up to 1.37): use \"1.31.1\""),
                bad("KnativePlatformProps.istioVersion", "istio too old for kubernetes",
                        s -> KnativePlatform.Builder.create(s, "Platform").cluster(clusterBuilder(s)
                                .kubernetesVersion(KubernetesVersion.of("1.38")).kubectlLayer(LayerVersion
                                        .fromLayerVersionArn(s, "Layer", "arn:aws:lambda:us-east-1:" + NINE
                                                + ":layer:kubectl138:1")).build()).build(),
                        "[Test/Platform] istioVersion (1.31.1) supports Kubernetes up to 1.37, but the cluster runs "
                                + "1.38: lower the cluster's kubernetesVersion"),
                bad("KnativePlatformProps.istioVersion", "istio null", s -> platform(s).istioVersion(null).build(),
                        "[Test/Platform] istioVersion" + NOT_NULL + "istioVersion unset for its default, or pass a "
                                + "value"),
                bad("KnativePlatformProps.domain", "domain upper case", s -> platform(s).domain("Example.COM").build(),
                        "[Test/Platform] domain (\"Example.COM\") must be a DNS domain name of two or more lower-case "
                                + "labels: use a value such as \"example.com\""),
                bad("KnativePlatformProps.domain", "domain single label", s -> platform(s).domain("localhost").build(),
                        "[Test/Platform] domain (\"localhost\") must be a DNS domain name of two or more lower-case "
                                + "labels: use a value such as \"example.com\""),
                bad("KnativePlatformProps.domain", "domain null", s -> platform(s).domain(null).build(),
                        "[Test/Platform] domain" + NOT_NULL + "domain unset for its default, or pass a value"),
                bad("KnativePlatformProps.autoscaler", "platform autoscaler null",
                        s -> platform(s).autoscaler(null).build(),
                        "[Test/Platform] autoscaler" + NOT_NULL + "autoscaler unset for its default, or pass a value"),
                bad("KnativePlatformProps.autoscaler", "platform autoscaler checked at the platform's path",
                        s -> platformScale(s, Autoscaler.builder().minScale(5).maxScale(3)),
                        "[Test/Platform] autoscaler.minScale (5) must not exceed autoscaler.maxScale (3): raise "
                                + "maxScale or lower minScale"),
                bad("KnativePlatformProps.appNamespace", "namespace not DNS-1123",
                        s -> platform(s).appNamespace("My_Apps").build(),
                        "[Test/Platform] appNamespace (\"My_Apps\") must be a DNS-1123 label (lower-case letters, "
                                + "digits and '-', starting and ending with a letter or digit, at most 63 characters): "
                                + "use a value such as \"my-name\""),
                bad("KnativePlatformProps.appNamespace", "namespace 64 characters",
                        s -> platform(s).appNamespace("a".repeat(64)).build(),
                        "[Test/Platform] appNamespace (\"" + "a".repeat(64) + "\") must be a DNS-1123 label "
                                + "(lower-case letters, digits and '-', starting and ending with a letter or digit, at "
                                + "most 63 characters): use a value such as \"my-name\""),
                bad("KnativePlatformProps.appNamespace", "namespace is kube-system",
                        s -> platform(s).appNamespace("kube-system").build(),
                        "[Test/Platform] appNamespace (\"kube-system\") must not be a namespace of Kubernetes "
                                + "(kube-*), Knative (knative-*) or Istio (istio-system): use \"default\" or a "
                                + "namespace of your own"),
                bad("KnativePlatformProps.appNamespace", "namespace is knative-serving",
                        s -> platform(s).appNamespace("knative-serving").build(),
                        "[Test/Platform] appNamespace (\"knative-serving\") must not be a namespace of Kubernetes "
                                + "(kube-*), Knative (knative-*) or Istio (istio-system): use \"default\" or a "
                                + "namespace of your own"),
                bad("KnativePlatformProps.appNamespace", "namespace is an add-on's",
                        s -> platform(s).appNamespace("monitoring").build(),
                        "[Test/Platform] appNamespace (\"monitoring\") must not be the namespace of an add-on this "
                                + "library installs [amazon-cloudwatch, external-secrets, monitoring]: use "
                                + "\"default\" or a "
                                + "namespace of your own"),
                bad("KnativePlatformProps.appNamespace", "namespace is a token", s -> platform(s)
                        .appNamespace(token(s, "Ns")).build(), "[Test/Platform] appNamespace (\"" + "${Token[TOKEN."
                                + "]}\") must be a literal string, not a CDK token (it names Kubernetes objects and "
                                + "outputs, and is checked for clashes at synth): pass the value itself"),
                bad("KnativePlatformProps.appNamespace", "namespace null", s -> platform(s).appNamespace(null).build(),
                        "[Test/Platform] appNamespace" + NOT_NULL + "appNamespace unset for its default, or pass a "
                                + "value"),
                bad("KnativePlatformProps.metricsRetention", "retention too short",
                        s -> platform(s).metrics(true).metricsRetention(Duration.minutes(30))
                                .build(),
                        "[Test/Platform] metricsRetention (30 minutes) must be whole hours from 1 hour to 365 days: "
                                + "use e.g. Duration.days(7)"),
                bad("KnativePlatformProps.metricsRetention", "retention too long",
                        s -> platform(s).metrics(true).metricsRetention(Duration.days(400))
                                .build(),
                        "[Test/Platform] metricsRetention (400 days) must be whole hours from 1 hour to 365 days: "
                                + "use e.g. Duration.days(7)"),
                bad("KnativePlatformProps.metricsRetention", "retention null",
                        s -> platform(s).metrics(true).metricsRetention(null).build(),
                        "[Test/Platform] metricsRetention" + NOT_NULL + "metricsRetention unset for its default, or "
                                + "pass a value"),
                bad("KnativePlatformProps.metricsRetentionSize", "retention size too big",
                        s -> platform(s).metrics(true).metricsRetentionSize(Size.gibibytes(100)).build(),
                        "[Test/Platform] metricsRetentionSize (100 GiB) must be whole GiB from 1 to 64 (Prometheus "
                                + "keeps its data on the node's disk): use e.g. Size.gibibytes(4)"),
                bad("KnativePlatformProps.metricsRetentionSize", "retention size fractional",
                        s -> platform(s).metrics(true).metricsRetentionSize(Size.mebibytes(1536)).build(),
                        "[Test/Platform] metricsRetentionSize (1.5 GiB) must be whole GiB from 1 to 64 (Prometheus "
                                + "keeps its data on the node's disk): use e.g. Size.gibibytes(4)"),
                bad("KnativePlatformProps.metricsRetentionSize", "retention size null",
                        s -> platform(s).metricsRetentionSize(null).build(),
                        "[Test/Platform] metricsRetentionSize" + NOT_NULL + "metricsRetentionSize unset for its "
                                + "default, or pass a value"),
                bad("MetricsOptions.Builder.retention", "metrics options retention too short",
                        s -> platform(s).metrics(MetricsOptions.builder().retention(Duration.minutes(90)).build())
                                .build(),
                        "[Test/Platform] metrics.retention (1 hour 30 minutes) must be whole hours from 1 hour to 365 days: "
                                + "use e.g. Duration.days(7)"),
                bad("MetricsOptions.Builder.retention", "metrics options retention null",
                        s -> platform(s).metrics(MetricsOptions.builder().retention(null).build()).build(),
                        "[Test/Platform] metrics.retention" + NOT_NULL + "metrics.retention unset for its default, "
                                + "or pass a value"),
                bad("MetricsOptions.Builder.retentionSize", "metrics options retention size too small",
                        s -> platform(s).metrics(MetricsOptions.builder().retentionSize(Size.mebibytes(512)).build())
                                .build(),
                        "[Test/Platform] metrics.retentionSize (0.5 GiB) must be whole GiB from 1 to 64 (Prometheus "
                                + "keeps its data on the node's disk): use e.g. Size.gibibytes(4)"),
                bad("KnativePlatformProps.metrics", "metrics options null",
                        s -> platform(s).metrics((MetricsOptions) null).build(),
                        "[Test/Platform] metrics" + NOT_NULL + "metrics unset for its default, or pass a value"),
                bad("KnativePlatformProps.logs", "logs options null",
                        s -> platform(s).logs((LogsOptions) null).build(),
                        "[Test/Platform] logs" + NOT_NULL + "logs unset for its default, or pass a value"),

                // KnativePlatform.fromPlatformAttributes
                bad("KnativePlatformAttributes.Builder.cluster", "imported platform without cluster",
                        s -> imported(s, KnativePlatformAttributes.builder().servingControllerRoleArn(
                                "arn:aws:iam::" + NINE + ":role/serving-controller")),
                        "[Test/Platform] cluster (null) is required: pass the platform's cluster, imported with "
                                + "Cluster.fromClusterAttributes(...) and its kubectlProvider"),
                bad("KnativePlatformAttributes.Builder.cluster", "imported platform's cluster without kubectl",
                        s -> imported(s, KnativePlatformAttributes.builder().cluster(AnyClusterTest.imported(s, false))
                                .servingControllerRoleArn("arn:aws:iam::" + NINE + ":role/serving-controller")),
                        "[Test/Platform] cluster (Test/TeamCluster) has no kubectl provider, so no chart or manifest "
                                + "can be applied to it: import it with Cluster.fromClusterAttributes(..., "
                                + "ClusterAttributes.builder().clusterName(...).kubectlProvider(KubectlProvider"
                                + ".fromKubectlProviderAttributes(...)).build())"),
                bad("KnativePlatformAttributes.Builder.servingControllerRoleArn", "imported platform without serving role",
                        s -> imported(s, KnativePlatformAttributes.builder().cluster(AnyClusterTest.imported(s, true))),
                        "[Test/Platform] servingControllerRoleArn (null) is required: pass "
                                + "platform.getServingControllerRole().getRole().getRoleArn() of the platform's app"),
                bad("KnativePlatformAttributes.Builder.servingControllerRoleArn", "serving role not an ARN",
                        s -> imported(s, attributes(s).servingControllerRoleArn("serving-controller")),
                        "[Test/Platform] servingControllerRoleArn (\"serving-controller\") must be an IAM role ARN: "
                                + "use arn:<partition>:iam::<account>:role/<name>, the role's ARN in the platform's app"),
                bad("KnativePlatformAttributes.Builder.externalSecretsRoleArn", "external secrets role is a user",
                        s -> imported(s, attributes(s).externalSecretsRoleArn("arn:aws:iam::" + NINE + ":user/eso")),
                        "[Test/Platform] externalSecretsRoleArn (\"arn:aws:iam::" + NINE + ":user/eso\") must be an "
                                + "IAM role ARN: use arn:<partition>:iam::<account>:role/<name>, the role's ARN in the "
                                + "platform's app"),
                bad("KnativePlatformAttributes.Builder.appNamespace", "imported platform in a system namespace",
                        s -> imported(s, attributes(s).appNamespace("kube-system")),
                        "[Test/Platform] appNamespace (\"kube-system\") must not be a namespace of Kubernetes "
                                + "(kube-*), Knative (knative-*) or Istio (istio-system): use \"default\" or a "
                                + "namespace of your own"),
                bad("KnativePlatformAttributes.Builder.domain", "imported platform domain upper case",
                        s -> imported(s, attributes(s).domain("Apps.Example.org")),
                        "[Test/Platform] domain (\"Apps.Example.org\") must be a DNS domain name of two or more "
                                + "lower-case labels: use a value such as \"example.com\""),
                bad("KnativePlatformAttributes.Builder.ingressHostname", "imported ingress hostname blank",
                        s -> imported(s, attributes(s).ingressHostname(" ")),
                        "[Test/Platform] ingressHostname (\" \") is blank: pass the platform's IngressLoadBalancer "
                                + "output, or leave it unset to read it from the cluster"),
                bad("KnativePlatformAttributes.Builder.removalPolicy", "imported platform removal policy SNAPSHOT",
                        s -> imported(s, attributes(s).removalPolicy(RemovalPolicy.SNAPSHOT)), "[Test/Platform] "
                                + "removalPolicy (SNAPSHOT) " + REMOVAL),
                bad("new PodIdentityRole", "pull grant without repository", s -> platform(s).build()
                        .getServingControllerRole().grantEcrPull(null),
                        "[Test/Platform/ServingController] repository (null) is required: pass the ECR repository to "
                                + "pull from"));
    }

    @SuppressWarnings("deprecation") // rows for the deprecated bridges, which must keep working
    static Stream<Arguments> goodRows() {
        return Stream.of(
                good(List.of("KnativePlatformAttributes.Builder.cluster",
                        "KnativePlatformAttributes.Builder.servingControllerRoleArn",
                        "KnativePlatformAttributes.Builder.appNamespace", "KnativePlatformAttributes.Builder.domain",
                        "KnativePlatformAttributes.Builder.ingressHostname",
                        "KnativePlatformAttributes.Builder.externalSecretsRoleArn",
                        "KnativePlatformAttributes.Builder.removalPolicy", "KnativeWorkloadProps.platform"),
                        "a platform of another app, its role ARNs as tokens, a workload starting at zero pods",
                        s -> {
                            IKnativePlatform p = imported(s, attributes(s)
                                    .servingControllerRoleArn(software.amazon.awscdk.services.ssm.StringParameter
                                            .valueForStringParameter(s, "/platform/serving-controller-role"))
                                    .externalSecretsRoleArn("arn:aws-cn:iam::" + NINE + ":role/platform/eso")
                                    .appNamespace("apps").domain("apps.example.org").https(true)
                                    .ingressHostname("lb-1.elb.eu-west-1.amazonaws.com").zeroInitialScale(true)
                                    .removalPolicy(RemovalPolicy.RETAIN));
                            return KnativeWorkload.Builder.create(s, "Workload").platform(p)
                                    .name("hello").image(ImageSource.fromImage("nginx:1"))
                                    .scale(Autoscaler.builder().initialScale(0).build()).build();
                        },
                        w -> {
                            assertThat(w.getPlatform()).isSameAs(child(Stack.of(w), "Platform"));
                            assertThat(w.getHost()).isEqualTo("hello-apps.apps.example.org");
                            KnativeManifests m = manifests(Stack.of(w));
                            assertThat(m.get("Service", "apps", "hello")
                                    .at("spec.template.metadata.annotations['autoscaling.knative.dev/initial-scale']"))
                                    .isEqualTo("0");
                            Template t = template(Stack.of(w));
                            t.resourceCountIs("Custom::AWSCDK-EKS-HelmChart", 0);
                            assertThat(t.findOutputs("*").toString()).contains("https://hello-apps.apps.example.org");
                        }),
                good(List.of("KnativePlatformProps.cluster"), "defaults", s -> platform(s).build(), p -> {
                    assertThat(p.getCluster()).isSameAs(((KnativeCluster) child(Stack.of(p), "Cluster")).getCluster());
                    assertThat(List.of(p.getDomain(), p.getAppNamespace())).containsExactly("example.com", "default");
                    KnativeManifests.KubernetesObject serving = manifests(Stack.of(p))
                            .get("KnativeServing", "knative-serving", "knative-serving");
                    assertThat(serving.at("spec.version")).isEqualTo(Versions.KNATIVE);
                    assertThat(serving.at("spec.config.domain")).isEqualTo(Map.of("example.com", ""));
                    assertThat(p.getMetrics()).isNull();
                    assertThat(p.getLogs()).isNull();
                }),
                good(List.of("KnativePlatformProps.cluster", "KnativePlatformProps.installPodIdentityAgent",
                        "KnativePlatformProps.removalPolicy", "KnativePlatformProps.logRetention"),
                        "an imported cluster, the agent add-on, retained data, logs kept 10 years",
                        s -> KnativePlatform.Builder.create(s, "Platform").cluster(AnyClusterTest.imported(s, true))
                                .installPodIdentityAgent(true).removalPolicy(RemovalPolicy.RETAIN)
                                .logRetention(RetentionDays.TEN_YEARS).build(),
                        p -> {
                            Stack s = Stack.of(p);
                            assertThat(s.getNode().findAll()).filteredOn(c -> c instanceof
                                    software.amazon.awscdk.services.eks.CfnAddon).extracting(c -> c.getNode()
                                    .getPath()).containsExactly("Test/Platform/PodIdentityAgent/Resource");
                            Template t = template(s);
                            t.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 3653));
                            t.allResources("AWS::Logs::LogGroup", Match.objectLike(Map.of("DeletionPolicy",
                                    "Retain")));
                            t.hasResourceProperties("AWS::EKS::Addon", Match.objectLike(Map.of("AddonName",
                                    "eks-pod-identity-agent")));
                        }),
                good(List.of("KnativePlatformProps.appNamespace", "KnativePlatformProps.domain",
                        "KnativePlatformProps.knativeVersion", "KnativePlatformProps.istioVersion",
                        "KnativeVersion.of"),
                        "own namespace (63 characters), the oldest Knative, another Istio patch, a domain",
                        s -> platform(s).appNamespace("a".repeat(63)).domain("knative.example.org")
                                .knativeVersion(KnativeVersion.of("1.20", 32)).istioVersion("1.31.0").build(),
                        p -> {
                            KnativeManifests m = manifests(Stack.of(p));
                            KnativeManifests.KubernetesObject serving = m.get("KnativeServing", "knative-serving");
                            assertThat(serving.at("spec.version")).isEqualTo("1.20");
                            assertThat(serving.at("spec.config.domain")).isEqualTo(Map.of("knative.example.org", ""));
                            assertThat(m.get("KnativeEventing", "knative-eventing").at("spec.version"))
                                    .isEqualTo("1.20");
                            assertThat(m.get("Namespace", "a".repeat(63)).at("metadata.labels['istio-injection']"))
                                    .isEqualTo("enabled");
                            assertThat(p.getAppNamespace()).isEqualTo("a".repeat(63));
                            for (String release : List.of("istio-base", "istiod", "istio-ingressgateway")) {
                                template(Stack.of(p)).hasResourceProperties("Custom::AWSCDK-EKS-HelmChart",
                                        Match.objectLike(Map.of("Release", release, "Version", "1.31.0")));
                            }
                        }),
                good(List.of("KnativePlatformProps.metrics", "KnativePlatformProps.metricsRetention",
                        "KnativePlatformProps.metricsRetentionSize", "KnativePlatformProps.logs"),
                        "metrics and logs at their limits", s -> platform(s).metrics(true).logs(true)
                                .metricsRetention(Duration.days(365))
                                .metricsRetentionSize(Size.gibibytes(64)).build(),
                        p -> {
                            assertThat(p.getMetrics()).isNotNull();
                            assertThat(p.getLogs()).isNotNull();
                            Template t = template(Stack.of(p));
                            assertThat(t.findResources("Custom::AWSCDK-EKS-HelmChart", Match.objectLike(Map.of(
                                    "Properties", Match.objectLike(Map.of("Release", "kube-prometheus-stack")))))
                                    .toString()).contains("\"retention\":\"365d\"", "\"retentionSize\":\"64GB\"");
                            t.hasResourceProperties("AWS::EKS::Addon", Match.objectLike(Map.of("AddonName",
                                    CloudWatchLogs.ADDON)));
                        }),
                good(List.of("KnativePlatformProps.metrics", "KnativePlatformProps.logs",
                        "MetricsOptions.Builder.retention", "MetricsOptions.Builder.retentionSize"),
                        "metrics and logs options at their limits", s -> platform(s).metrics(MetricsOptions.builder()
                                .retention(Duration.hours(1)).retentionSize(Size.gibibytes(1)).build())
                                .logs(LogsOptions.builder().build()).build(),
                        p -> {
                            assertThat(p.getMetrics()).isNotNull();
                            assertThat(p.getLogs()).isNotNull();
                            Template t = template(Stack.of(p));
                            assertThat(t.findResources("Custom::AWSCDK-EKS-HelmChart", Match.objectLike(Map.of(
                                    "Properties", Match.objectLike(Map.of("Release", "kube-prometheus-stack")))))
                                    .toString()).contains("\"retention\":\"1h\"", "\"retentionSize\":\"1GB\"");
                            t.hasResourceProperties("AWS::EKS::Addon", Match.objectLike(Map.of("AddonName",
                                    CloudWatchLogs.ADDON)));
                        }),
                good(List.of("KnativePlatformProps.domain"), "tokens are not judged where they may stand", s -> {
                    String domain = token(s, "Domain");
                    return KnativePlatform.Builder.create(s, "Platform").domain(domain)
                            .cluster(clusterBuilder(s).build()).build();
                }, p -> assertThat(Stack.of(p).resolve(p.getDomain())).isEqualTo(Map.of("Ref", "Domain"))),
                good(List.of("KnativePlatformProps.hostedZone", "KnativePlatformProps.cluster",
                        "KnativeWorkloadProps.customDomains"),
                        "cluster, zones, platform and workloads in stacks that depend one way", s -> {
                            Stack dns = stackBeside(s, "Dns");
                            Stack apps = stackBeside(s, "Apps");
                            KnativePlatform p = KnativePlatform.Builder.create(s, "Platform")
                                    .cluster(KnativeCluster.Builder.create(stackBeside(s, "Eks"), "Cluster").build())
                                    .domain("apps.example.org").hostedZone(HostedZone.Builder.create(dns, "Zone")
                                            .zoneName("example.org").build()).build();
                            workloadOn(apps, p).customDomains(List.of(CustomDomain.of("www.example.net",
                                    HostedZone.Builder.create(dns, "Net").zoneName("example.net").build()))).build();
                            workloadOn(s, p).name("same-stack").customDomains(List.of(CustomDomain.of(
                                    "www.example.com", HostedZone.Builder.create(s, "Com").zoneName("example.com")
                                            .build()))).build();
                            return s;
                        },
                        s -> {
                            App app = (App) s.getNode().getScope();
                            app.synth();
                            Stack apps = child(app, "Apps");
                            Stack dns = child(app, "Dns");
                            Stack eks = child(app, "Eks");
                            assertThat(apps.getDependencies()).contains(s);
                            assertThat(s.getDependencies()).contains(dns, eks).doesNotContain(apps);
                        }));
    }
}
