package io.knativeoneks;

import static io.knativeoneks.ValidationRows.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import software.amazon.awscdk.Stack;

/**
 * Validation rows of KnativeWorkload and KnativeWorkloadProps: names, namespaces, env, ports, service accounts. Run
 * by {@link ValidationTest}.
 */
final class WorkloadRows {
    private WorkloadRows() {
    }

    static Stream<Arguments> badRows() {
        return Stream.of(
                bad("KnativeWorkloadProps.platform", "workload on a platform of a foreign class",
                        s -> KnativeWorkload.Builder.create(s, "W").name("hello").image(ImageSource.fromImage("nginx:1"))
                                .platform((IKnativePlatform) java.lang.reflect.Proxy.newProxyInstance(
                                        IKnativePlatform.class.getClassLoader(), new Class<?>[] {IKnativePlatform.class},
                                        (proxy, method, args) -> method.getName().equals("getNode")
                                                ? new software.constructs.Construct(s, "Foreign").getNode() : null))
                                .build(),
                        "[Test/W] platform (Test/Foreign) is an IKnativePlatform of another class than "
                                + "KnativePlatform's, which workloads cannot run on: pass a KnativePlatform, or one "
                                + "imported with KnativePlatform.fromPlatformAttributes(...)"),
                bad("KnativeWorkloadProps.platform", "workload without platform",
                        s -> KnativeWorkload.Builder.create(s, "W").name("hello").build(),
                        "[Test/W] platform (null) is required: pass the KnativePlatform to run on"),
                bad("KnativeWorkloadProps.name", "service name with underscore",
                        s -> workload(s).name("hello_world").build(),
                        "[Test/Workload] name (\"hello_world\") must be a DNS-1035 label (lower-case letters, digits "
                                + "and '-', starting with a letter, at most 63 characters): use a value such as "
                                + "\"helloworld-python\""),
                bad("KnativeWorkloadProps.name", "service name 64 characters",
                        s -> workload(s).name("a".repeat(64)).build(),
                        "[Test/Workload] name (\"" + "a".repeat(64) + "\") must be a DNS-1035 label (lower-case "
                                + "letters, digits and '-', starting with a letter, at most 63 characters): use a "
                                + "value such as \"helloworld-python\""),
                bad("KnativeWorkloadProps.name", "route host over 253 characters", s -> {
                    String label = "d".repeat(63);
                    workloadOn(s, platform(s).appNamespace("n".repeat(63)).domain(label + "." + label).build())
                            .name("s".repeat(63)).build();
                }, "[Test/Workload] name (\"" + "s".repeat(63) + "\") makes the host " + "s".repeat(63) + "."
                        + "n".repeat(63) + "." + "d".repeat(63) + "." + "d".repeat(63) + " under Knative's domain "
                        + "template {{.Name}}.{{.Namespace}}.{{.Domain}}, 255 characters, more than DNS allows (253): "
                        + "shorten the name, the namespace or the domain"),
                bad("KnativeWorkloadProps.name", "two workloads named alike", s -> {
                    KnativePlatform p = platform(s).build();
                    workloadOn(s, p).build();
                    KnativeWorkload.Builder.create(s, "Again").platform(p).name("hello")
                            .image(ImageSource.fromImage("nginx:2")).build();
                }, "[Test/Again] name (\"hello\") would create Service default/hello, which Test/Workload already "
                        + "creates: give one of them another name or namespace"),
                bad("KnativeWorkloadProps.name", "name is a token", s -> workload(s).name(token(s, "Name")).build(),
                        "[Test/Workload] name (\"${Token[TOKEN.]}\") must be a literal string, not a CDK token (it "
                                + "names Kubernetes objects and outputs, and is checked for clashes at synth): pass "
                                + "the value itself"),
                bad("KnativeWorkloadProps.name", "workload without name",
                        s -> workload(s).name(null).build(),
                        "[Test/Workload] name (null) is required: name the service, e.g. \"hello\""),
                bad("KnativeWorkloadProps.namespace", "workload in kube-system",
                        s -> workload(s).namespace("kube-system").build(),
                        "[Test/Workload] namespace (\"kube-system\") must not be a namespace of Kubernetes (kube-*), "
                                + "Knative (knative-*) or Istio (istio-system): use \"default\" or a namespace of your "
                                + "own"),
                bad("KnativeWorkloadProps.namespace", "workload in istio-system",
                        s -> workload(s).namespace("istio-system").build(),
                        "[Test/Workload] namespace (\"istio-system\") must not be a namespace of Kubernetes (kube-*), "
                                + "Knative (knative-*) or Istio (istio-system): use \"default\" or a namespace of your "
                                + "own"),
                bad("KnativeWorkloadProps.namespace", "workload in default, platform elsewhere",
                        s -> workloadOn(s, platform(s).appNamespace("apps").build()).namespace("default").build(),
                        "[Test/Workload] namespace (\"default\") is a namespace Kubernetes creates itself but not the "
                                + "platform's appNamespace (\"apps\"), so nothing labels it for Istio sidecar "
                                + "injection: use the platform's appNamespace, or a namespace of your own (it is "
                                + "created for you)"),
                bad("KnativeWorkloadProps.namespace", "namespace null", s -> workload(s).namespace(null).build(),
                        "[Test/Workload] namespace" + NOT_NULL + "namespace unset for its default, or pass a value"),
                bad("KnativeWorkloadProps.image", "workload without image",
                        s -> KnativeWorkload.Builder.create(s, "W").platform(platform(s).build()).name("hello")
                                .build(),
                        "[Test/W] image (null) is required: use ImageSource.fromLocalDirectory(...), fromGit(...), "
                                + "fromImage(...), fromEcrRepository(...) or fromDockerBuild(...)"),
                bad("KnativeWorkloadProps.env", "env name with dash",
                        s -> workload(s).env(Map.of("MY-VAR", "x")).build(),
                        "[Test/Workload] env (\"MY-VAR\") must be an environment variable name (letters, digits and "
                                + "'_', not starting with a digit): use a value such as \"TARGET\""),
                bad("KnativeWorkloadProps.env", "env PORT", s -> workload(s).env(Map.of("PORT", "80")).build(),
                        "[Test/Workload] env (PORT) is set by Knative from containerPort: set containerPort instead"),
                bad("KnativeWorkloadProps.env", "env K_SERVICE", s -> workload(s).env(Map.of("K_SERVICE", "x"))
                        .build(), "[Test/Workload] env (K_SERVICE) is set by Knative itself [K_CONFIGURATION, "
                                + "K_REVISION, K_SERVICE, PORT]: use another name"),
                bad("KnativeWorkloadProps.env", "env value null", s -> {
                    Map<String, String> env = new HashMap<>();
                    env.put("TARGET", null);
                    workload(s).env(env).build();
                }, "[Test/Workload] env (TARGET) has a null value: pass a string, or \"\""),
                bad("KnativeWorkloadProps.env", "env null", s -> workload(s).env(null).build(),
                        "[Test/Workload] env" + NOT_NULL + "env unset for its default, or pass a value"),
                bad("KnativeWorkloadProps.containerPort", "container port zero",
                        s -> workload(s).containerPort(0).build(),
                        "[Test/Workload] containerPort (0) must be between 1 and 65535: set containerPort within that "
                                + "range"),
                bad("KnativeWorkloadProps.containerPort", "queue-proxy port",
                        s -> workload(s).containerPort(8012).build(),
                        "[Test/Workload] containerPort (8012) is reserved by Knative's queue-proxy [8008, 8012, 8013, "
                                + "8022, 9090, 9091]: let the container listen on another port, such as 8080"),
                bad("KnativeWorkloadProps.scale", "scale null", s -> workload(s).scale(null).build(),
                        "[Test/Workload] scale" + NOT_NULL + "scale unset for its default, or pass a value"),
                bad("KnativeWorkloadProps.buildServiceAccount", "two builds share build-bot", s -> {
                    KnativePlatform p = platform(s).build();
                    KnativeWorkload.Builder.create(s, "A").platform(p).name("a")
                            .image(ImageSource.fromGit(git().build())).build();
                    KnativeWorkload.Builder.create(s, "B").platform(p).name("b")
                            .image(ImageSource.fromGit(git().build())).build();
                }, "[Test/B] buildServiceAccount (\"build-bot\") is already used by another workload's build or "
                        + "service in namespace default: give this workload its own buildServiceAccount"),
                bad("KnativeWorkloadProps.serviceAccount", "two services share a service account", s -> {
                    KnativePlatform p = platform(s).build();
                    workloadOn(s, p).serviceAccount("shared").build();
                    KnativeWorkload.Builder.create(s, "B").platform(p).name("b").serviceAccount("shared")
                            .image(ImageSource.fromImage("nginx:1")).build();
                }, "[Test/B] serviceAccount (\"shared\") is already used by another workload's build or service in "
                        + "namespace default: give this workload its own serviceAccount"),
                bad("KnativeWorkloadProps.serviceAccount", "service as default",
                        s -> workload(s).serviceAccount("default").build(),
                        "[Test/Workload] serviceAccount (\"default\") must not be the namespace's default service "
                                + "account (every pod without its own would get this workload's IAM role): use a "
                                + "service account of its own, e.g. \"hello\""),
                bad("KnativeWorkloadProps.serviceAccount", "service account null",
                        s -> workload(s).serviceAccount(null).build(),
                        "[Test/Workload] serviceAccount" + NOT_NULL + "serviceAccount unset for its default, or pass "
                                + "a value"),
                bad("KnativeWorkloadProps.buildServiceAccount", "build as default",
                        s -> workload(s).buildServiceAccount("default").build(),
                        "[Test/Workload] buildServiceAccount (\"default\") must not be the namespace's default "
                                + "service account (every pod without its own would get the build's push access): "
                                + "use a service account of its own, e.g. \"build-bot\""),
                bad("KnativeWorkloadProps.buildServiceAccount", "build account null",
                        s -> workload(s).buildServiceAccount(null).build(),
                        "[Test/Workload] buildServiceAccount" + NOT_NULL + "buildServiceAccount unset for its default, "
                                + "or pass a value"));
    }

    static Stream<Arguments> goodRows() {
        return Stream.of(
                good(List.of("KnativeWorkloadProps.platform", "KnativeWorkloadProps.name",
                        "KnativeWorkloadProps.namespace"),
                        "a 63-character name and namespace, a route host of 253 characters", s -> {
                            KnativePlatform p = platform(s).domain("d".repeat(63) + "." + "d".repeat(61)).build();
                            return KnativeWorkload.Builder.create(s, "W").platform(p).name("s".repeat(63))
                                    .namespace("n".repeat(63)).image(ImageSource.fromImage("nginx:1")).build();
                        },
                        w -> {
                            assertThat(w.getPlatform()).isSameAs(child(Stack.of(w), "Platform"));
                            assertThat(w.getHost()).hasSize(253).startsWith("s".repeat(63) + "." + "n".repeat(63) + ".");
                            KnativeManifests m = manifests(Stack.of(w));
                            assertThat(m.get("Service", "n".repeat(63), "s".repeat(63)).getApiVersion())
                                    .isEqualTo("serving.knative.dev/v1");
                            assertThat(m.get("Namespace", "n".repeat(63)).at("metadata.labels['istio-injection']"))
                                    .isEqualTo("enabled");
                        }),
                good(List.of("KnativeWorkloadProps.env", "KnativeWorkloadProps.containerPort"),
                        "an empty value, a K_ name Knative leaves alone, the highest port",
                        s -> workload(s).env(Map.of("TARGET", "", "K_OTHER", "x")).containerPort(65535).build(),
                        w -> {
                            KnativeManifests.KubernetesObject service = manifests(Stack.of(w))
                                    .get("Service", "default", "hello");
                            assertThat(service.at("spec.template.spec.containers[0].env"))
                                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                                    .containsExactlyInAnyOrder(Map.of("name", "TARGET", "value", ""),
                                            Map.of("name", "K_OTHER", "value", "x"));
                            assertThat(service.at("spec.template.spec.containers[0].ports[0].containerPort"))
                                    .isEqualTo(65535);
                        }),
                good(List.of("KnativeWorkloadProps.serviceAccount", "ImageSource.fromEcrRepository"),
                        "a service account of its own, an image from an ECR repository object",
                        s -> workload(s).serviceAccount("orders-reader").image(ImageSource
                                .fromEcrRepository(software.amazon.awscdk.services.ecr.Repository
                                        .fromRepositoryName(s, "Repo", "team/orders"), "1.4.2")).build(),
                        w -> {
                            assertThat(w.getServiceAccount()).isEqualTo("orders-reader");
                            KnativeManifests m = manifests(Stack.of(w));
                            KnativeManifests.KubernetesObject service = m.get("Service", "default", "hello");
                            assertThat(service.at("spec.template.spec.serviceAccountName")).isEqualTo("orders-reader");
                            assertThat((String) service.at("spec.template.spec.containers[0].image"))
                                    .endsWith("/team/orders:1.4.2");
                            assertThat(m.get("ServiceAccount", "default", "orders-reader")).isNotNull();
                            assertThat(template(Stack.of(w)).findResources("AWS::IAM::Policy").toString())
                                    .contains(":repository/team/orders");
                            assertThat(warnings(Stack.of(w))).noneMatch(x -> x.contains("latestImage"));
                        }));
    }
}
