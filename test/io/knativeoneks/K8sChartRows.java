package io.knativeoneks;

import static io.knativeoneks.ValidationRows.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.knativeoneks.k8s.Broker;
import io.knativeoneks.k8s.DomainTemplate;
import io.knativeoneks.k8s.KnativeChart;
import io.knativeoneks.k8s.KnativeEventing;
import io.knativeoneks.k8s.KnativeMonitors;
import io.knativeoneks.k8s.KnativeService;
import io.knativeoneks.k8s.KnativeServingProps;
import io.knativeoneks.k8s.KnativeVersion;
import io.knativeoneks.k8s.PingSource;
import io.knativeoneks.k8s.RegistryCredentialsSync;
import io.knativeoneks.k8s.Traffic;
import io.knativeoneks.k8s.TrafficTarget;
import io.knativeoneks.k8s.Trigger;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Validation rows of The Kubernetes side on its own (io.knativeoneks.k8s: cdk8s charts for any cluster) and its
 * constructors that take values directly. Run by {@link ValidationTest}.
 */
final class K8sChartRows {
    private K8sChartRows() {
    }

    static Stream<Arguments> badRows() {
        return Stream.of(
                bad("KnativeServingProps.Builder.domainTemplate", "domain template null",
                        s -> chart(KnativeServingProps.builder().domainTemplate(null)), "[knative/Serving] "
                                + "domainTemplate (null) must not be null: leave domainTemplate unset for its "
                                + "default, or pass a value"),
                bad("KnativeServingProps.Builder.version", "serving version null",
                        s -> chart(KnativeServingProps.builder().version(null)),
                        "[knative/Serving] version" + NOT_NULL + "version unset for its default, or pass a value"),
                bad("KnativeServingProps.Builder.domain", "serving domain with scheme",
                        s -> chart(KnativeServingProps.builder().domain("https://example.com")),
                        "[knative/Serving] domain (\"https://example.com\") must be a DNS domain name of two or more "
                                + "lower-case labels: use a value such as \"example.com\""),
                bad("KnativeServingProps.Builder.autoscaler", "serving autoscaler null",
                        s -> chart(KnativeServingProps.builder().autoscaler(null)),
                        "[knative/Serving] autoscaler" + NOT_NULL + "autoscaler unset for its default, or pass a "
                                + "value"),
                bad("KnativeServingProps.Builder.observability", "serving observability null",
                        s -> chart(KnativeServingProps.builder().observability(null)),
                        "[knative/Serving] observability" + NOT_NULL + "observability unset for its default, or pass "
                                + "a value"),
                bad("KnativeServiceProps.Builder.name", "service name null",
                        s -> service(service().name(null)),
                        "[svc/Service] name (null) is required: name the service, e.g. \"hello\""),
                bad("KnativeServiceProps.Builder.namespace", "service namespace upper case",
                        s -> service(service().namespace("Apps")),
                        "[svc/Service] namespace (\"Apps\") must be a DNS-1123 label (lower-case letters, digits and "
                                + "'-', starting and ending with a letter or digit, at most 63 characters): use a "
                                + "value such as \"my-name\""),
                bad("KnativeServiceProps.Builder.image", "service image digest malformed",
                        s -> service(service().image("nginx@sha256:abc")),
                        "[svc/Service] image (\"nginx@sha256:abc\") must be a container image reference "
                                + "([registry/]repository[:tag][@sha256:digest]): use a value such as "
                                + "\"ghcr.io/org/app:1.0\""),
                bad("KnativeServiceProps.Builder.env", "service env K_REVISION",
                        s -> service(service().env(Map.of("K_REVISION", "x"))),
                        "[svc/Service] env (K_REVISION) is set by Knative itself [K_CONFIGURATION, K_REVISION, "
                                + "K_SERVICE, PORT]: use another name"),
                bad("KnativeServiceProps.Builder.containerPort", "service port 9091",
                        s -> service(service().containerPort(9091)),
                        "[svc/Service] containerPort (9091) is reserved by Knative's queue-proxy [8008, 8012, 8013, "
                                + "8022, 9090, 9091]: let the container listen on another port, such as 8080"),
                bad("KnativeServiceProps.Builder.revisionAnnotations", "service revision annotations null",
                        s -> service(service().revisionAnnotations(null)),
                        "[svc/Service] revisionAnnotations" + NOT_NULL + "revisionAnnotations unset for its default, "
                                + "or pass a value"),
                bad("KnativeServiceProps.Builder.serviceAccountName", "service account name with underscore",
                        s -> service(service().serviceAccountName("orders_reader")),
                        "[svc/Service] serviceAccountName (\"orders_reader\") must be a DNS-1123 subdomain (lower-case "
                                + "letters, digits, '-' and '.', at most 253 characters): use a value such as "
                                + "\"my-name\""),
                bad("KnativeServiceProps.Builder.imagePullSecret", "service pull secret upper case",
                        s -> service(service().imagePullSecret("Registry")),
                        "[svc/Service] imagePullSecret (\"Registry\") must be a DNS-1123 subdomain (lower-case "
                                + "letters, digits, '-' and '.', at most 253 characters): use a value such as "
                                + "\"my-name\""),
                bad("new KnativeChart", "chart creating default",
                        s -> new KnativeChart(new org.cdk8s.App(), "knative", KnativeServingProps.builder().build(),
                                "default"),
                        "[knative] appNamespace (\"default\") must not be a namespace Kubernetes creates itself "
                                + "[default, kube-node-lease, kube-public, kube-system], or deleting this chart would "
                                + "delete it: pass null here and label the existing namespace with a patch"),
                bad("new KnativeChart", "chart creating knative-eventing",
                        s -> new KnativeChart(new org.cdk8s.App(), "knative", KnativeServingProps.builder().build(),
                                "knative-eventing"),
                        "[knative] appNamespace (\"knative-eventing\") must not be a namespace of Kubernetes (kube-*), "
                                + "Knative (knative-*) or Istio (istio-system): use \"default\" or a namespace of your "
                                + "own"),
                bad("new KnativeChart", "chart without serving",
                        s -> new KnativeChart(new org.cdk8s.App(), "knative", null, null),
                        "[knative] serving (null) is required: pass KnativeServingProps.builder().build() for "
                                + "Knative's defaults"),
                bad("new KnativeEventing", "eventing without version", s -> new KnativeEventing(
                        new org.cdk8s.Chart(new org.cdk8s.App(), "c"), "Eventing", null, null),
                        "[c/Eventing] version (null) is required: pass KnativeVersion.V1_23"),
                bad("new KnativeMonitors", "monitors without namespace", s -> new KnativeMonitors(
                        new org.cdk8s.Chart(new org.cdk8s.App(), "c"), "Monitors", null),
                        "[c/Monitors] namespace (null) must not be null: use a value such as \"my-name\""),
                bad("new PingSource", "ping source without sink", s -> new PingSource(
                        new org.cdk8s.Chart(new org.cdk8s.App(), "c"), "Ping", "tick", "* * * * *", "{}", null),
                        "[c/Ping] sink (null) is required: pass the Broker that receives the events"),
                bad("new Trigger", "trigger without filter", s -> {
                    org.cdk8s.Chart c = new org.cdk8s.Chart(new org.cdk8s.App(), "c");
                    new Trigger(c, "Trigger", "t", new Broker(c, "Broker", "b", "default"), null, "display");
                }, "[c/Trigger] filter (null) is required: pass Map.of() to deliver every event"),
                bad("new RegistryCredentialsSync", "credentials sync without server", s -> new RegistryCredentialsSync(
                        new org.cdk8s.Chart(new org.cdk8s.App(), "c"), "Sync", "creds", "default", null, "key",
                        "eu-west-1"),
                        "[c/Sync] server (null) is required: pass the registry as Docker config names it"),
                bad("new KnativeService", "service without props", s -> new KnativeService(
                        new org.cdk8s.Chart(new org.cdk8s.App(), "svc"), "Service", null),
                        "[svc/Service] props (null) is required: pass KnativeServiceProps.builder()...build()"));
    }

    static Stream<Arguments> goodRows() {
        return Stream.of(
                good(List.of("KnativeServingProps.Builder.version", "KnativeServingProps.Builder.domain",
                        "KnativeServingProps.Builder.autoscaler", "KnativeServingProps.Builder.observability"),
                        "the Knative chart on its own", s -> chart(KnativeServingProps.builder()
                                .version(KnativeVersion.V1_23).domain("example.org")
                                .autoscaler(Map.of("min-scale", "1")).observability(Map.of())),
                        chart -> {
                            JsonNode serving = json(chart.getServing().getResource().toJson());
                            assertThat(serving.at("/spec/version").asText()).isEqualTo("1.23");
                            assertThat(serving.at("/spec/config/domain").toString()).isEqualTo("{\"example.org\":\"\"}");
                            assertThat(serving.at("/spec/config/autoscaler").toString())
                                    .isEqualTo("{\"min-scale\":\"1\"}");
                            assertThat(serving.at("/spec/config/observability").isObject()).isTrue();
                            assertThat(serving.at("/spec/config/network").isMissingNode()).as("the dotted template")
                                    .isTrue();
                        }),
                good(List.of("KnativeServingProps.Builder.domainTemplate"), "the one-label domain template",
                        s -> chart(KnativeServingProps.builder().domainTemplate(DomainTemplate.ONE_LABEL)),
                        chart -> assertThat(json(chart.getServing().getResource().toJson())
                                .at("/spec/config/network/domain-template").asText())
                                .isEqualTo("{{.Name}}-{{.Namespace}}.{{.Domain}}")),
                good(List.of("KnativeServiceProps.Builder.name", "KnativeServiceProps.Builder.namespace",
                        "KnativeServiceProps.Builder.image", "KnativeServiceProps.Builder.env",
                        "KnativeServiceProps.Builder.containerPort", "KnativeServiceProps.Builder.revisionAnnotations",
                        "KnativeServiceProps.Builder.imagePullSecret",
                        "KnativeServiceProps.Builder.serviceAccountName"), "a Knative Service on its own",
                        s -> service(service().namespace("apps").image("ghcr.io/org/app@sha256:" + "a".repeat(64))
                                .env(Map.of("TARGET", "x")).containerPort(8081)
                                .revisionAnnotations(Map.of("autoscaling.knative.dev/target", "0.01"))
                                .imagePullSecret("registry.credentials").serviceAccountName("app.reader")),
                        service -> {
                            JsonNode json = json(service.getResource().toJson());
                            assertThat(List.of(service.getName(), service.getNamespace()))
                                    .containsExactly("hello", "apps");
                            JsonNode spec = json.at("/spec/template/spec");
                            assertThat(spec.at("/containers/0/image").asText())
                                    .isEqualTo("ghcr.io/org/app@sha256:" + "a".repeat(64));
                            assertThat(spec.at("/containers/0/env").toString())
                                    .isEqualTo("[{\"name\":\"TARGET\",\"value\":\"x\"}]");
                            assertThat(spec.at("/containers/0/ports/0/containerPort").asInt()).isEqualTo(8081);
                            assertThat(spec.at("/imagePullSecrets/0/name").asText()).isEqualTo("registry.credentials");
                            assertThat(spec.at("/serviceAccountName").asText()).isEqualTo("app.reader");
                            assertThat(json.at("/spec/template/metadata/annotations/autoscaling.knative.dev~1target")
                                    .asText()).isEqualTo("0.01");
                        }),
                good(List.of("KnativeServiceProps.Builder.traffic"), "a Knative Service's traffic on its own",
                        s -> service(service().traffic(Traffic.builder().targets(List.of(
                                TrafficTarget.latestRevision(100))).build())),
                        service -> assertThat(json(service.getResource().toJson()).at("/spec/traffic").toString())
                                .isEqualTo("[{\"latestRevision\":true,\"percent\":100}]")));
    }
}
