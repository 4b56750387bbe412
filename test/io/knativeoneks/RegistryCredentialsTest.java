package io.knativeoneks;

import static io.knativeoneks.DependencyGraph.MANIFEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.knativeoneks.common.Versions;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.knativeoneks.k8s.GitSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.secretsmanager.Secret;

/**
 * The 2019 Docker Hub path without a password in YAML: credentials stay in Secrets Manager and reach the cluster
 * only at run time, through the External Secrets Operator.
 */
class RegistryCredentialsTest {
    /** A recognisable fake credential, planted where a careless implementation could pick it up. */
    private static final String PLANTED_PASSWORD = "PLANTED-dckr_pat_7f3a9c1e5b";
    private static final String PLANTED_USER = "planted-user-4711";
    private static final String OBJECT_VALUE = "Custom::AWSCDK-EKS-KubernetesObjectValue";

    @TempDir
    static Path cdkOut;
    private static Template template;
    private static DependencyGraph graph;

    @BeforeAll
    static void synth() {
        App app = new App(AppProps.builder().outdir(cdkOut.toString()).build());
        Stack stack = new Stack(app, "DockerHub");
        KnativePlatform platform = KnativePlatform.Builder.create(stack, "Platform")
                .cluster(KnativeCluster.Builder.create(stack, "Cluster").build()).build();
        KnativeWorkload.Builder.create(stack, "Hello")
                .platform(platform)
                .name("helloworld-python")
                .image(ImageSource.fromGit(
                        GitSource.builder().url("https://github.com/example/hello.git").build(),
                        ImageRegistry.dockerHub("docker.io/alice/helloworld-python",
                                Secret.fromSecretNameV2(stack, "DockerHubCredentials", "dockerhub/alice"))))
                .build();
        app.synth();
        template = Template.fromStack(stack);
        graph = new DependencyGraph(template.toJSON());
    }

    @Test
    void credentialsBecomeADockerConfigSecretAtRunTime() {
        String sync = graph.manifestContaining("\"kind\":\"ExternalSecret\"");
        assertThat(graph.manifest(sync)).contains(
                "\"apiVersion\":\"external-secrets.io/v1\"", "\"kind\":\"SecretStore\"",
                "\"service\":\"SecretsManager\"", "\"type\":\"kubernetes.io/dockerconfigjson\"",
                "https://index.docker.io/v1/", "\"property\":\"username\"", "\"property\":\"password\"",
                "\"name\":\"helloworld-python-registry\"");
        template.hasResourceProperties("Custom::AWSCDK-EKS-HelmChart", Match.objectLike(Map.of(
                "Chart", "external-secrets", "Version", Versions.EXTERNAL_SECRETS, "Repository", "https://charts.external-secrets.io",
                "Namespace", "external-secrets")));
    }

    @Test
    void buildWaitsForTheOperatorAndTheSyncedSecret() {
        String operator = graph.find("Custom::AWSCDK-EKS-HelmChart", p -> "external-secrets".equals(p.get("Chart")));
        String operatorIdentity = graph.find("AWS::EKS::PodIdentityAssociation",
                p -> "external-secrets".equals(p.get("Namespace")));
        String sync = graph.manifestContaining("\"kind\":\"ExternalSecret\"");
        String synced = graph.find(OBJECT_VALUE, p -> "secret".equals(p.get("ObjectType")));
        String build = graph.manifestContaining("\"kind\":\"Job\"");
        assertThat(graph.isAfter(operator, operatorIdentity)).isTrue();
        assertThat(graph.isAfter(sync, operator)).isTrue();
        assertThat(graph.isAfter(synced, sync)).isTrue();
        assertThat(graph.isAfter(build, synced)).isTrue();
    }

    @Test
    void buildBotAndServiceUseTheSecretAndPushToDockerHub() {
        String build = graph.manifest(graph.manifestContaining("\"kind\":\"Job\""));
        assertThat(build).contains("\"secrets\":[{\"name\":\"helloworld-python-registry\"}]",
                "\"secretName\":\"helloworld-python-registry\"", "\"key\":\".dockerconfigjson\"",
                "--destination=docker.io/alice/helloworld-python:build-");
        assertThat(graph.manifest(graph.manifestContaining("serving.knative.dev/v1")))
                .contains("\"imagePullSecrets\":[{\"name\":\"helloworld-python-registry\"}]");
        template.resourceCountIs("AWS::ECR::Repository", 0);
    }

    @Test
    void operatorMayReadOnlyThisSecret() {
        String policy = graph.find("AWS::IAM::Policy", p -> String.valueOf(p.get("Roles"))
                .contains("PlatformExternalSecretsIdentityRole"));
        Map<?, ?> document = (Map<?, ?>) ((Map<?, ?>) template.findResources("AWS::IAM::Policy").get(policy)
                .get("Properties")).get("PolicyDocument");
        List<?> statements = (List<?>) document.get("Statement");
        assertThat(statements).hasSize(1);
        Map<?, ?> statement = (Map<?, ?>) statements.get(0);
        assertThat(statement.get("Action")).isEqualTo(
                List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"));
        assertThat(KnativeManifests.text(statement.get("Resource"))).endsWith(":secret:dockerhub/alice-??????");
    }

    @Test
    void noSecretValueNorSecretWithDataIsInCdkOut() throws IOException {
        assertThat(Files.exists(cdkOut.resolve("DockerHub.template.json"))).isTrue();
        assertThat(SecretScan.findings(cdkOut, List.of())).isEmpty();
    }

    /**
     * The credentials are the value of a secret the user created in another stack (where the value is, by their
     * choice); whatever the library does with that secret, neither the value nor a reference to it reaches the
     * workload's stack, its manifests or its assets.
     */
    @Test
    void theSecretsValueNeverReachesTheWorkloadsStack(@TempDir Path out) throws IOException {
        App app = new App(AppProps.builder().outdir(out.toString()).build());
        Stack credentials = new Stack(app, "Credentials");
        software.amazon.awscdk.services.secretsmanager.Secret secret =
                software.amazon.awscdk.services.secretsmanager.Secret.Builder.create(credentials, "DockerHub")
                        .secretObjectValue(Map.of(
                                "username", software.amazon.awscdk.SecretValue.unsafePlainText(PLANTED_USER),
                                "password", software.amazon.awscdk.SecretValue.unsafePlainText(PLANTED_PASSWORD)))
                        .build();
        Stack stack = new Stack(app, "Workload");
        KnativePlatform platform = KnativePlatform.Builder.create(stack, "Platform")
                .cluster(KnativeCluster.Builder.create(stack, "Cluster").build()).build();
        KnativeWorkload.Builder.create(stack, "Hello").platform(platform).name("hello")
                .image(ImageSource.fromGit(GitSource.builder().url("https://github.com/example/hello.git").build(),
                        ImageRegistry.dockerHub("docker.io/alice/hello", secret)))
                .build();
        app.synth();
        assertThat(Files.readString(out.resolve("Credentials.template.json"))).as("planted where the user put it")
                .contains(PLANTED_PASSWORD);
        assertThat(SecretScan.findings(out, List.of(PLANTED_PASSWORD, PLANTED_USER)))
                .as("only the user's own stack, and the construct tree that describes it")
                .allMatch(f -> f.startsWith("Credentials.template.json") || f.startsWith("tree.json")).isNotEmpty();
    }

    @Test
    void theScanFindsAPlantedCredentialAReferenceToASecretValueAndASecretWithData(@TempDir Path out)
            throws IOException {
        Files.writeString(out.resolve("asset.txt"), "token=" + PLANTED_PASSWORD);
        Files.writeString(out.resolve("Ref.template.json"), "{\"Resources\":{\"F\":{\"Properties\":{\"X\":"
                + "\"{{resolve:secretsmanager:arn:aws:secretsmanager:eu-west-1:1:secret:x:SecretString:password}}\"}}}}");
        String manifest = new ObjectMapper().writeValueAsString(List.of(Map.of("apiVersion", "v1", "kind", "Secret",
                "metadata", Map.of("name", "x"), "stringData", Map.of("password", "hunter2"))));
        new ObjectMapper().writeValue(out.resolve("Leaky.template.json").toFile(), Map.of("Resources", Map.of("M",
                Map.of("Type", MANIFEST, "Properties", Map.of("Manifest", manifest)))));
        try (Stream<String> findings = SecretScan.findings(out, List.of(PLANTED_PASSWORD)).stream()) {
            assertThat(findings).anyMatch(f -> f.contains("asset.txt") && f.contains("planted"))
                    .anyMatch(f -> f.contains("Ref.template.json") && f.contains("reference to a secret value"))
                    .anyMatch(f -> f.contains("Leaky.template.json") && f.contains("Secret x carries stringData"));
        }
    }
}
