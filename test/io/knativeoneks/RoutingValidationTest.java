package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.knativeoneks.k8s.Traffic;
import io.knativeoneks.k8s.TrafficTarget;
import io.knativeoneks.common.ValidationError;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;

/** Bad routing input (hosted zone, host names, traffic) fails at synth with the construct, property and a fix. */
class RoutingValidationTest {
    private static final String LONG_NAMESPACE = "n".repeat(40);
    private static final String LONG_DOMAIN = String.join(".", "a".repeat(60), "b".repeat(60), "c".repeat(60),
            "example.org");

    private static IHostedZone zone(Stack stack, String name) {
        return HostedZone.fromHostedZoneAttributes(stack, "Zone", HostedZoneAttributes.builder()
                .hostedZoneId("Z0123456789ABCDEFGHIJ").zoneName(name).build());
    }

    private static IHostedZone otherZone(Stack stack, String name) {
        return HostedZone.fromHostedZoneAttributes(stack, "OtherZone", HostedZoneAttributes.builder()
                .hostedZoneId("Z9876543210ABCDEFGHIJ").zoneName(name).build());
    }

    private static KnativePlatform.Builder platform(Stack stack) {
        return KnativePlatform.Builder.create(stack, "Platform")
                .cluster(KnativeCluster.Builder.create(stack, "Cluster").build());
    }

    private static KnativePlatform httpsPlatform(Stack stack) {
        return platform(stack).domain("apps.example.org").hostedZone(zone(stack, "example.org")).build();
    }

    private static KnativeWorkload.Builder workload(Stack stack, KnativePlatform platform) {
        return KnativeWorkload.Builder.create(stack, "Hello").platform(platform).name("hello")
                .image(ImageSource.fromImage("ghcr.io/org/hello:1.0"));
    }

    private static void traffic(Stack stack, Traffic traffic) {
        workload(stack, platform(stack).build()).traffic(traffic).build();
    }

    private static Traffic split(TrafficTarget... targets) {
        return Traffic.builder().revisionName("v2").previousRevisions(List.of("v1")).targets(List.of(targets))
                .build();
    }

    private static Arguments bad(String name, Consumer<Stack> build, String... expected) {
        return Arguments.of(name, build, List.of(expected));
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("zone not a parent of the domain", s -> platform(s).domain("apps.example.org")
                                .hostedZone(zone(s, "example.net")).build(),
                        "[Test/Platform] hostedZone (\"example.net\") must be the domain \"apps.example.org\" or a "
                                + "parent of it", "set domain to a name in the zone such as \"apps.example.net\""),
                bad("zone that only ends like the domain", s -> platform(s).domain("apps.example.org")
                                .hostedZone(zone(s, "le.org")).build(),
                        "hostedZone (\"le.org\") must be the domain"),
                bad("zone without a name", s -> platform(s).domain("apps.example.org")
                                .hostedZone(HostedZone.fromHostedZoneId(s, "Zone", "Z0123456789ABCDEFGHIJ")).build(),
                        "[Test/Platform] hostedZone (Test/Zone) has no zone name",
                        "HostedZone.fromHostedZoneAttributes"),
                bad("host label over 63 characters", s -> KnativeWorkload.Builder.create(s, "Hello")
                                .platform(httpsPlatform(s)).name("h".repeat(30)).namespace(LONG_NAMESPACE)
                                .image(ImageSource.fromImage("ghcr.io/org/hello:1.0")).build(),
                        "[Test/Hello] name (\"" + "h".repeat(30) + "\") makes the host " + "h".repeat(30) + "-"
                                + LONG_NAMESPACE + ".apps.example.org under Knative's domain template "
                                + "{{.Name}}-{{.Namespace}}.{{.Domain}}, whose label", "has 71 characters",
                        "shorten the name or the namespace"),
                bad("tag host label over 63 characters", s -> workload(s, httpsPlatform(s)).namespace("n".repeat(20))
                                .traffic(Traffic.builder().targets(List.of(TrafficTarget.latestRevision(100)
                                        .withTag("t".repeat(40)))).build()).build(),
                        "[Test/Hello] traffic (\"" + "t".repeat(40) + "-hello\") makes the host",
                        "has 67 characters"),
                bad("host name over 253 characters", s -> workload(s, platform(s).domain(LONG_DOMAIN).build())
                                .name("h".repeat(55)).build(),
                        "[Test/Hello] name (\"" + "h".repeat(55) + "\") makes the host " + "h".repeat(55)
                                + ".default." + LONG_DOMAIN + " under Knative's domain template "
                                + "{{.Name}}.{{.Namespace}}.{{.Domain}}, 258 characters, more than DNS allows (253)",
                        "shorten the name, the namespace or the domain"),
                bad("percentages that do not sum to 100", s -> traffic(s, split(TrafficTarget.revision("v1", 80),
                                TrafficTarget.latestRevision(10))),
                        "[Test/Hello] traffic", "has percentages that sum to 90, not 100",
                        "make the shares add up to 100"),
                bad("negative percentage", s -> traffic(s, split(TrafficTarget.revision("v1", 110),
                                TrafficTarget.latestRevision(-10))),
                        "traffic (revision v1 110%) must have a percent from 0 to 100"),
                bad("unknown revision", s -> traffic(s, split(TrafficTarget.revision("v0", 100))),
                        "traffic (revision v0 100%) names a revision that is neither this deploy's revisionName "
                                + "\"v2\" nor one of previousRevisions [v1]",
                        "add \"v0\" to previousRevisions if an earlier deploy created hello-v0"),
                bad("revision named without a revisionName", s -> traffic(s, Traffic.builder()
                                .targets(List.of(TrafficTarget.revision("v2", 100))).build()),
                        "names a revision that is neither this deploy's revisionName (none)"),
                bad("duplicate tags", s -> traffic(s, split(TrafficTarget.revision("v1", 50).withTag("a"),
                                TrafficTarget.latestRevision(50).withTag("a"))),
                        "traffic (latest revision 50% tag a) repeats the tag \"a\"", "give each tag to one target"),
                bad("tag not a DNS label", s -> traffic(s, split(TrafficTarget.latestRevision(100)
                                .withTag("Canary"))),
                        "traffic tag (\"Canary\") must be a DNS-1035 label"),
                bad("revision name too long", s -> traffic(s, Traffic.builder().revisionName("r".repeat(60))
                                .build()),
                        "revisionName (\"" + "r".repeat(60) + "\") makes the revision name hello-", "(63)"),
                bad("custom domain on a cluster-local service", s -> workload(s, httpsPlatform(s)).clusterLocal(true)
                                .customDomains(List.of(CustomDomain.of("www.example.org",
                                        otherZone(s, "example.org"))))
                                .build(),
                        "[Test/Hello] customDomains ([www.example.org]) cannot be used with clusterLocal(true)",
                        "drop clusterLocal or the custom domains"),
                bad("custom domain without a hosted zone", s -> workload(s, platform(s).build())
                                .customDomains(List.of(CustomDomain.of("www.example.org", otherZone(s, "example.org"))))
                                .build(),
                        "customDomains ([www.example.org]) need the platform's hostedZone",
                        "pass hostedZone(...) to the KnativePlatform"),
                bad("custom domain outside its zone", s -> workload(s, httpsPlatform(s))
                                .customDomains(List.of(CustomDomain.of("www.example.net", otherZone(s, "example.com"))))
                                .build(),
                        "[Test/Hello] customDomains (\"www.example.net\") is not in its zone \"example.com\""),
                bad("custom domain at a zone apex", s -> workload(s, httpsPlatform(s))
                                .customDomains(List.of(CustomDomain.of("example.net", otherZone(s, "example.net"))))
                                .build(),
                        "customDomains (\"example.net\") is the apex of its zone", "\"www.example.net\""),
                bad("custom domain mapped twice", s -> {
                    KnativePlatform p = httpsPlatform(s);
                    workload(s, p).customDomains(List.of(CustomDomain.of("www.example.net",
                            otherZone(s, "example.net")))).build();
                    KnativeWorkload.Builder.create(s, "Other").platform(p).name("other")
                            .image(ImageSource.fromImage("ghcr.io/org/other:1.0"))
                            .customDomains(List.of(CustomDomain.of("www.example.net",
                                    HostedZone.fromHostedZoneAttributes(s, "Again", HostedZoneAttributes.builder()
                                            .hostedZoneId("Z1").zoneName("example.net").build()))))
                            .build();
                }, "[Test/Other] customDomains (\"www.example.net\") is already on the platform's certificate"),
                bad("previous revision listed twice", s -> traffic(s, Traffic.builder().revisionName("v2")
                                .previousRevisions(List.of("v1", "v2")).build()),
                        "previousRevisions (\"v2\") is listed twice or is also this deploy's revisionName"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputFailsAtSynth(String name, Consumer<Stack> build, List<String> expected) {
        Stack stack = new Stack(new App(), "Test");
        ValidationError error = catchThrowableOfType(ValidationError.class, () -> build.accept(stack));
        assertThat(error).as(name).isNotNull();
        assertThat(error.getMessage()).contains(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodInputs")
    void goodInputPasses(String name, Consumer<Stack> build) {
        assertThatCode(() -> build.accept(new Stack(new App(), "Test"))).as(name).doesNotThrowAnyException();
    }

    static Stream<Arguments> goodInputs() {
        return Stream.of(
                Arguments.of("zone of the domain itself", (Consumer<Stack>) s -> platform(s).domain("example.org")
                        .hostedZone(zone(s, "example.org.")).build()),
                Arguments.of("a tag-only target at 0%", (Consumer<Stack>) s -> traffic(s, split(
                        TrafficTarget.revision("v1", 0).withTag("v1"), TrafficTarget.latestRevision(100)))),
                Arguments.of("a long name under the dotted template", (Consumer<Stack>) s -> KnativeWorkload.Builder
                        .create(s, "Hello").platform(platform(s).build()).name("h".repeat(30))
                        .namespace(LONG_NAMESPACE).image(ImageSource.fromImage("ghcr.io/org/hello:1.0")).build()));
    }
}
