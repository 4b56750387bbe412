package io.knativeoneks;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/smoke-check} against a stand-in for the Istio ingress load balancer (an in-JVM HTTP server that routes
 * on the Host header like Knative does) and a fake AWS CLI that prints the stack's outputs.
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

    @BeforeEach
    void startLoadBalancer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String host = exchange.getRequestHeaders().getFirst("Host");
            hostsSeen.add(host);
            boolean routed = HOST.equals(host);
            byte[] body = (routed ? ANSWER : "no route for host " + host).concat("\n").getBytes(UTF_8);
            exchange.sendResponseHeaders(routed ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
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

    // --- helpers --------------------------------------------------------------------------------------------------

    record Result(int exitCode, String output) {}

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
        List.of("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY").forEach(env::remove);

        Process process = builder.start();
        if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("bin/smoke-check did not finish within %d s; output so far:%n%s", RUN_TIMEOUT_SECONDS, Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }
}
