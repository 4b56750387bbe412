package io.knativeoneks;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/smoke-check} against a stand-in for the Istio ingress load balancer (an in-JVM HTTP server that routes
 * on the Host header like Knative does), a stand-in for a service's https URL (an in-JVM HTTPS server with a
 * self-signed certificate made by keytool) and a fake AWS CLI that prints the stack's outputs.
 */
@DisabledOnOs(OS.WINDOWS)
class SmokeCheckTest {
    static final String HOST = "helloworld-python.default.example.com";
    static final String ANSWER = "Hello World: Python Sample v1 with Knative on EKS!";
    static final Path SCRIPT = Paths.get("bin/smoke-check").toAbsolutePath();
    static final long RUN_TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    HttpServer server;
    /** The Host header of every request the load balancer stand-in received. */
    final List<String> hostsSeen = new CopyOnWriteArrayList<>();
    /** Extra environment of the smoke check. */
    final Map<String, String> extraEnv = new HashMap<>();

    @BeforeEach
    void startLoadBalancer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String host = exchange.getRequestHeaders().getFirst("Host");
            hostsSeen.add(host);
            boolean routed = HOST.equals(host);
            respond(exchange, routed ? 200 : 404, routed ? ANSWER : "no route for host " + host);
        });
        server.start();
    }

    @AfterEach
    void stopLoadBalancer() {
        server.stop(0);
    }

    @Test
    void passesWhenTheServiceAnswersThroughTheLoadBalancer() throws Exception {
        Result result = smokeCheck(fakeAws(outputs(loadBalancer(), HOST)));

        assertThat(SCRIPT).isExecutable();
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output())
                .containsPattern("(?m)^first request \\(cold start if the service had scaled to zero\\): 200 in \\d+\\.\\d+ s$")
                .containsPattern("(?m)^warm request: 200 in \\d+\\.\\d+ s$")
                .contains(ANSWER)
                .contains("smoke check passed");
        assertThat(hostsSeen).containsExactly(HOST, HOST);
    }

    @Test
    void picksTheHelloWorldServiceAmongSeveral() throws Exception {
        String outputs = outputs(loadBalancer(), HOST).replace("[", "[" + output(
                "EventDisplayServiceHostC38052D7", "event-display.default.example.com") + ",");
        Result result = smokeCheck(fakeAws(outputs));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("smoke check passed");

        Result other = smokeCheck(fakeAws(outputs), "--service", "event-display");
        assertThat(other.exitCode()).as(other.output()).isEqualTo(1);
    }

    @Test
    void failsWhenTheAnswerIsNotTheExpectedText() throws Exception {
        Result result = smokeCheck(fakeAws(outputs(loadBalancer(), HOST)), "--expect", "Goodbye");

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output())
                .containsPattern("expected.*Goodbye")
                .containsPattern("actual.*" + Pattern.quote(ANSWER))
                .doesNotContain("smoke check passed");
    }

    @Test
    void explainsHowToDeployWhenTheStackIsMissing() throws Exception {
        Path aws = script("aws", """
                echo "An error occurred (ValidationError) when calling the DescribeStacks operation: \
                Stack with id $4 does not exist" >&2
                exit 255
                """);

        Result result = smokeCheck(aws, "--stack", "NoSuchStack");

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("NoSuchStack").contains("cdk deploy");
        assertThat(hostsSeen).isEmpty();
    }

    @Test
    void namesTheMissingServiceHostOutput() throws Exception {
        Result result = smokeCheck(fakeAws(outputs(loadBalancer(), null)));

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("ServiceHost").doesNotContain("IngressLoadBalancer");
        assertThat(hostsSeen).isEmpty();
    }

    @Test
    void failsWhenTheLoadBalancerDoesNotRouteTheHost() throws Exception {
        Result result = smokeCheck(fakeAws(outputs(loadBalancer(), "other.default.example.com")));

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("404").doesNotContain("smoke check passed");
        assertThat(hostsSeen).contains("other.default.example.com");
    }

    @Test
    void requiresStatus200EvenWhenTheBodyMatches() throws Exception {
        Result result = smokeCheck(fakeAws(outputs(loadBalancer(), "other.default.example.com")), "--expect", "no route");

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("404").doesNotContain("smoke check passed");
    }

    @Test
    void callsTheHttpsUrlWithoutAHostHeaderAndChecksTheCertificate() throws Exception {
        HttpsServer https = httpsServer();
        try {
            String url = "https://localhost:" + https.getAddress().getPort();
            extraEnv.put("SMOKE_CACERT", dir.resolve("ca.pem").toString());
            Result result = smokeCheck(fakeAws(httpsOutputs(url)));

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("stack KnativeOnEks: " + url + "\n").contains(ANSWER)
                    .contains("smoke check passed").doesNotContain("Host:");
            assertThat(hostsSeen).as("the load balancer with a Host header is not used").isEmpty();
            assertThat(httpsHostsSeen).containsExactly("localhost:" + https.getAddress().getPort(),
                    "localhost:" + https.getAddress().getPort());
        } finally {
            https.stop(0);
        }
    }

    @Test
    void failsWhenTheCertificateIsNotTrusted() throws Exception {
        HttpsServer https = httpsServer();
        try {
            Result result = smokeCheck(fakeAws(httpsOutputs("https://localhost:" + https.getAddress().getPort())));

            assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
            assertThat(result.output()).containsPattern("(?i)certificate").doesNotContain("smoke check passed");
            assertThat(httpsHostsSeen).isEmpty();
        } finally {
            https.stop(0);
        }
    }

    @Test
    void picksTheServiceUrlOfTheNamedService() throws Exception {
        HttpsServer https = httpsServer();
        try {
            String url = "https://localhost:" + https.getAddress().getPort();
            extraEnv.put("SMOKE_CACERT", dir.resolve("ca.pem").toString());
            String outputs = httpsOutputs(url).replace("[", "[" + output("EventDisplayServiceUrlC38052D7",
                    url + "/event-display", "URL of Knative Service event-display") + ",");
            Result result = smokeCheck(fakeAws(outputs));
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("note: several service outputs");

            Result other = smokeCheck(fakeAws(outputs), "--service", "event-display");
            assertThat(other.exitCode()).as(other.output()).isEqualTo(1);
            assertThat(other.output()).contains(url + "/event-display").contains("404");
        } finally {
            https.stop(0);
        }
    }

    @Test
    void rejectsAMissingCaFile() throws Exception {
        extraEnv.put("SMOKE_CACERT", dir.resolve("missing.pem").toString());
        Result result = smokeCheck(fakeAws(outputs(loadBalancer(), HOST)));

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("SMOKE_CACERT").contains("missing.pem");
        assertThat(hostsSeen).isEmpty();
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    record Result(int exitCode, String output) {}

    /** The Host header of every request the https stand-in received. */
    final List<String> httpsHostsSeen = new CopyOnWriteArrayList<>();

    /**
     * A stand-in for the service behind the load balancer's TLS listener: an HTTPS server for {@code localhost} with a
     * new self-signed certificate, whose PEM is {@code ca.pem} in the test's directory. It answers on {@code /}.
     */
    HttpsServer httpsServer() throws Exception {
        Path keystore = dir.resolve("server.p12");
        String password = "smoke-check-test";
        String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", password);
        run(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(),
                "-storepass", password, "-file", dir.resolve("ca.pem").toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        https.createContext("/", exchange -> {
            httpsHostsSeen.add(exchange.getRequestHeaders().getFirst("Host"));
            boolean routed = exchange.getRequestURI().getPath().equals("/");
            respond(exchange, routed ? 200 : 404, routed ? ANSWER : "not found");
        });
        https.start();
        return https;
    }

    static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.concat("\n").getBytes(UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
    }

    /** The outputs of a stack whose platform has a hosted zone: no ServiceHost, a ServiceUrl for the service. */
    static String httpsOutputs(String url) {
        return "[" + output("PlatformIngressLoadBalancer644FC0B5", "127.0.0.1:9") + ","
                + output("HelloWorldServiceUrl1FE05521", url, "URL of Knative Service helloworld-python") + "]";
    }

    static String output(String key, String value, String description) {
        return "{\"OutputKey\":\"" + key + "\",\"OutputValue\":\"" + value + "\",\"Description\":\""
                + description + "\"}";
    }

    String loadBalancer() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The stack outputs as {@code aws cloudformation describe-stacks --query 'Stacks[0].Outputs'} prints them. */
    static String outputs(String loadBalancer, String serviceHost) {
        List<String> outputs = new ArrayList<>();
        outputs.add(output("PlatformIngressLoadBalancer644FC0B5", loadBalancer));
        outputs.add(output("PlatformKnativeDomain5B1E5F0A", "example.com"));
        if (serviceHost != null) {
            outputs.add(output("HelloWorldServiceHost1FE05521", serviceHost));
        }
        return "[" + String.join(",", outputs) + "]";
    }

    static String output(String key, String value) {
        return "{\"OutputKey\":\"" + key + "\",\"OutputValue\":\"" + value + "\"}";
    }

    /** A fake AWS CLI that answers {@code cloudformation describe-stacks} with the given outputs. */
    Path fakeAws(String outputsJson) throws IOException {
        return script("aws", """
                [ "$1 $2 $3" = "cloudformation describe-stacks --stack-name" ] || { echo "unexpected: $*" >&2; exit 252; }
                cat <<'EOF'
                %s
                EOF
                """.formatted(outputsJson));
    }

    Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        assertThat(file.toFile().setExecutable(true)).isTrue();
        return file;
    }

    /** Runs {@code bin/smoke-check} from the project root with the fake AWS CLI; stdout and stderr together. */
    Result smokeCheck(Path aws, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve("smoke-check.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(Paths.get("").toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("AWS_CLI", aws.toString());
        env.put("SMOKE_TIMEOUT", "10");
        env.remove("SMOKE_SCHEME");
        env.remove("SMOKE_CACERT");
        env.putAll(extraEnv);
        List.of("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY").forEach(env::remove);

        Process process = builder.start();
        if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("bin/smoke-check did not finish within %d s; output so far:%n%s", RUN_TIMEOUT_SECONDS, Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }
}
