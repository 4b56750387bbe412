package io.knativeoneks;

import static io.knativeoneks.ValidationRows.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.knativeoneks.k8s.DomainTemplate;
import io.knativeoneks.k8s.Traffic;
import io.knativeoneks.k8s.TrafficTarget;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;

/**
 * Validation rows of Routing: the hosted zone, host names under Knative's domain templates, traffic splits and tags,
 * custom domains. Run by {@link ValidationTest}.
 */
final class RoutingRows {
    private RoutingRows() {
    }

    private static final String LONG_NAMESPACE = "n".repeat(40);
    private static final String LONG_DOMAIN = String.join(".", "a".repeat(60), "b".repeat(60), "c".repeat(60),
            "example.org");
    private static final String DNS_1035 = " must be a DNS-1035 label (lower-case letters, digits and '-', starting "
            + "with a letter, at most 63 characters): use a value such as \"canary\"";

    /** A zone imported by its id and name, as the routing rows name it: {@code Test/Zone}. */
    private static IHostedZone namedZone(Stack stack, String name) {
        return HostedZone.fromHostedZoneAttributes(stack, "Zone", HostedZoneAttributes.builder()
                .hostedZoneId("Z0123456789ABCDEFGHIJ").zoneName(name).build());
    }

    private static IHostedZone otherZone(Stack stack, String name) {
        return HostedZone.fromHostedZoneAttributes(stack, "OtherZone", HostedZoneAttributes.builder()
                .hostedZoneId("Z9876543210ABCDEFGHIJ").zoneName(name).build());
    }

    private static KnativePlatform httpsPlatform(Stack stack) {
        return platform(stack).domain("apps.example.org").hostedZone(namedZone(stack, "example.org")).build();
    }

    /** The workload {@code Test/Hello}, named hello. */
    private static KnativeWorkload.Builder hello(Stack stack, KnativePlatform platform) {
        return KnativeWorkload.Builder.create(stack, "Hello").platform(platform).name("hello")
                .image(ImageSource.fromImage("ghcr.io/org/hello:1.0"));
    }

    private static KnativeWorkload helloTraffic(Stack stack, Traffic traffic) {
        return hello(stack, platform(stack).build()).traffic(traffic).build();
    }

    private static Traffic split(TrafficTarget... targets) {
        return Traffic.builder().revisionName("v2").previousRevisions(List.of("v1")).targets(List.of(targets))
                .build();
    }

    /** The Knative Service {@code default/<name>} of the workload's stack. */
    private static KnativeManifests.KubernetesObject knativeService(KnativeWorkload workload, String name) {
        return manifests(Stack.of(workload)).get("Service", workload.getNamespace(), name);
    }

    static Stream<Arguments> badRows() {
        return Stream.of(
                bad("KnativePlatformProps.hostedZone", "zone not a parent of the domain", s -> platform(s)
                                .domain("apps.example.org").hostedZone(zone(s, "example.net")).build(),
                        "[Test/Platform] hostedZone (\"example.net\") must be the domain \"apps.example.org\" or "
                                + "a parent of it, to hold its certificate validation and its DNS records: pass the zone "
                                + "of \"apps.example.org\", or set domain to a name in the zone such as "
                                + "\"apps.example.net\""),
                bad("KnativeWorkloadProps.clusterLocal", "cluster-local with a custom domain", s -> workload(s)
                                .clusterLocal(true).customDomains(List.of(CustomDomain.of("www.example.org",
                                        zone(s, "example.org")))).build(), "[Test/Workload] customDomains "
                                                + "([www.example.org]) cannot be used with clusterLocal(true): a "
                                                + "cluster-local service has no public host: drop clusterLocal "
                                                + "or the custom domains"),
                bad("KnativeWorkloadProps.customDomains", "custom domain without the platform's zone", s -> workload(s)
                                .customDomains(List.of(CustomDomain.of("www.example.org", zone(s, "example.org"))))
                                .build(), "[Test/Workload] customDomains ([www.example.org]) need the platform's "
                                        + "hostedZone: TLS ends at the load balancer, whose certificate must "
                                        + "cover them: pass hostedZone(...) to the KnativePlatform"),
                bad("KnativeWorkloadProps.traffic", "traffic that does not sum to 100", s -> workload(s)
                                .traffic(Traffic.builder().revisionName("v2").previousRevisions(List.of("v1"))
                                        .targets(List.of(TrafficTarget.revision("v1", 50),
                                                TrafficTarget.revision("v2", 40))).build()).build(),
                        "[Test/Workload] traffic ([revision v1 50%, revision v2 40%]) has percentages that sum "
                                + "to 90, not 100: make the shares add up to 100"),
                bad("Traffic.Builder.revisionName", "revision name not a DNS label", s -> workload(s)
                                .traffic(Traffic.builder().revisionName("V2").build()).build(), "[Test/Workload] "
                                        + "traffic.revisionName (\"V2\") must be a DNS-1123 label (lower-case "
                                        + "letters, digits and '-', starting and ending with a letter or digit, "
                                        + "at most 63 characters): use a value such as \"my-name\""),
                bad("Traffic.Builder.previousRevisions", "previous revision listed twice", s -> workload(s)
                                .traffic(Traffic.builder().previousRevisions(List.of("v1", "v1")).build()).build(),
                        "[Test/Workload] traffic.previousRevisions (\"v1\") is listed twice or is also this "
                                + "deploy's revisionName: list each earlier revision once, and not the one this "
                                + "deploy creates"),
                bad("Traffic.Builder.targets", "target naming an unknown revision", s -> workload(s)
                                .traffic(Traffic.builder().targets(List.of(TrafficTarget.revision("v9", 100))).build())
                                .build(), "[Test/Workload] traffic (revision v9 100%) names a revision that is "
                                        + "neither this deploy's revisionName (none) nor one of "
                                        + "previousRevisions []: add \"v9\" to previousRevisions if an earlier "
                                        + "deploy created hello-v9, or name a known revision"),
                bad("KnativeServiceProps.Builder.traffic", "service traffic with a duplicate tag", s -> service(service()
                                .traffic(Traffic.builder().targets(List.of(TrafficTarget.latestRevision(50).withTag("a"),
                                        TrafficTarget.latestRevision(50).withTag("a"))).build())), "[svc/Service] "
                                                + "traffic (latest revision 50% tag a) repeats the tag \"a\": "
                                                + "give each tag to one target only"),
                bad("Traffic.Builder.targets", "tag starting with a digit", s -> workload(s)
                                .traffic(Traffic.builder().targets(List.of(TrafficTarget.latestRevision(100)
                                        .withTag("2nd"))).build()).build(),
                        "[Test/Workload] traffic tag (\"2nd\") must be a DNS-1035 label (lower-case letters, digits "
                                + "and '-', starting with a letter, at most 63 characters): use a value such as "
                                + "\"canary\""),
                bad("KnativeWorkloadProps.name", "two services on one host", s -> {
                    KnativePlatform p = platform(s).domain("apps.example.org").hostedZone(zone(s, "example.org"))
                            .build();
                    KnativeWorkload.Builder.create(s, "A").platform(p).name("a-b").namespace("c")
                            .image(ImageSource.fromImage("nginx:1")).build();
                    KnativeWorkload.Builder.create(s, "B").platform(p).name("a").namespace("b-c")
                            .image(ImageSource.fromImage("nginx:1")).build();
                }, "[Test/B] name (\"a\") makes the host a-b-c.apps.example.org" + ONE_LABEL + ", which Test/A "
                        + "answers on already: give one of the services another name or namespace"),
                bad("KnativeWorkloadProps.name", "a service on another's tag host", s -> {
                    KnativePlatform p = platform(s).build();
                    KnativeWorkload.Builder.create(s, "A").platform(p).name("x").image(ImageSource.fromImage("nginx:1"))
                            .traffic(Traffic.builder().targets(List.of(TrafficTarget.latestRevision(100)
                                    .withTag("a"))).build()).build();
                    KnativeWorkload.Builder.create(s, "B").platform(p).name("a-x")
                            .image(ImageSource.fromImage("nginx:1")).build();
                }, "[Test/B] name (\"a-x\") makes the host a-x.default.example.com" + DOTTED + ", which Test/A (its "
                        + "tag \"a\") answers on already: give one of the services another name or namespace"),
                bad("Traffic.Builder.targets", "a tag on another service's host", s -> {
                    KnativePlatform p = platform(s).build();
                    KnativeWorkload.Builder.create(s, "A").platform(p).name("a-x")
                            .image(ImageSource.fromImage("nginx:1")).build();
                    KnativeWorkload.Builder.create(s, "B").platform(p).name("x").image(ImageSource.fromImage("nginx:1"))
                            .traffic(Traffic.builder().targets(List.of(TrafficTarget.latestRevision(100)
                                    .withTag("a"))).build()).build();
                }, "[Test/B] traffic tag (\"a\") makes the host a-x.default.example.com (Knative's tag template "
                        + "{{.Tag}}-{{.Name}})" + DOTTED + ", which Test/A answers on already: use another tag, or "
                        + "give one of the services another name or namespace"),
                bad("KnativeWorkloadProps.customDomains", "a custom domain on another service's host", s -> {
                    KnativePlatform p = platform(s).domain("apps.example.org").hostedZone(zone(s, "example.org"))
                            .build();
                    workloadOn(s, p).build();
                    KnativeWorkload.Builder.create(s, "B").platform(p).name("b").image(ImageSource.fromImage("nginx:1"))
                            .customDomains(List.of(CustomDomain.of("hello-default.apps.example.org",
                                    zone(s, "example.org")))).build();
                }, "[Test/B] customDomains (\"hello-default.apps.example.org\") maps a host, which Test/Workload "
                        + "answers on already: map the name to one service only"),

                // from RoutingValidationTest: one zone import (Test/Zone), one workload (Test/Hello)
                bad("KnativePlatformProps.hostedZone", "zone not a parent of the domain", s -> platform(s)
                                .domain("apps.example.org").hostedZone(namedZone(s, "example.net")).build(),
                        "[Test/Platform] hostedZone (\"example.net\") must be the domain \"apps.example.org\" or a "
                                + "parent of it, to hold its certificate validation and its DNS records: pass the "
                                + "zone of \"apps.example.org\", or set domain to a name in the zone such as "
                                + "\"apps.example.net\""),
                bad("KnativePlatformProps.hostedZone", "zone that only ends like the domain", s -> platform(s)
                                .domain("apps.example.org").hostedZone(namedZone(s, "le.org")).build(),
                        "[Test/Platform] hostedZone (\"le.org\") must be the domain \"apps.example.org\" or a parent "
                                + "of it, to hold its certificate validation and its DNS records: pass the zone of "
                                + "\"apps.example.org\", or set domain to a name in the zone such as \"apps.le.org\""),
                bad("KnativePlatformProps.hostedZone", "zone without a name", s -> platform(s)
                                .domain("apps.example.org")
                                .hostedZone(HostedZone.fromHostedZoneId(s, "Zone", "Z0123456789ABCDEFGHIJ")).build(),
                        "[Test/Platform] hostedZone (Test/Zone) has no zone name: import it with "
                                + "HostedZone.fromHostedZoneAttributes(scope, id, HostedZoneAttributes.builder()"
                                + ".hostedZoneId(...).zoneName(...).build())"),
                bad("KnativeWorkloadProps.name", "host label over 63 characters", s -> KnativeWorkload.Builder
                                .create(s, "Hello").platform(httpsPlatform(s)).name("h".repeat(30))
                                .namespace(LONG_NAMESPACE).image(ImageSource.fromImage("ghcr.io/org/hello:1.0"))
                                .build(),
                        "[Test/Hello] name (\"" + "h".repeat(30) + "\") makes the host " + "h".repeat(30) + "-"
                                + LONG_NAMESPACE + ".apps.example.org" + ONE_LABEL + ", whose label \""
                                + "h".repeat(30) + "-" + LONG_NAMESPACE + "\" has 71 characters, more than DNS "
                                + "allows (63): shorten the name or the namespace"),
                bad("Traffic.Builder.targets", "tag host label over 63 characters", s -> hello(s, httpsPlatform(s))
                                .namespace("n".repeat(20)).traffic(Traffic.builder().targets(List.of(TrafficTarget
                                        .latestRevision(100).withTag("t".repeat(40)))).build()).build(),
                        "[Test/Hello] traffic (\"" + "t".repeat(40) + "-hello\") makes the host " + "t".repeat(40)
                                + "-hello-" + "n".repeat(20) + ".apps.example.org" + ONE_LABEL + ", whose label \""
                                + "t".repeat(40) + "-hello-" + "n".repeat(20) + "\" has 67 characters, more than "
                                + "DNS allows (63): shorten the name or the namespace"),
                bad("KnativeWorkloadProps.name", "host name over 253 characters", s -> hello(s, platform(s)
                                .domain(LONG_DOMAIN).build()).name("h".repeat(55)).build(),
                        "[Test/Hello] name (\"" + "h".repeat(55) + "\") makes the host " + "h".repeat(55)
                                + ".default." + LONG_DOMAIN + DOTTED + ", 258 characters, more than DNS allows "
                                + "(253): shorten the name, the namespace or the domain"),
                bad("KnativeWorkloadProps.traffic", "percentages that do not sum to 100", s -> helloTraffic(s,
                                split(TrafficTarget.revision("v1", 80), TrafficTarget.latestRevision(10))),
                        "[Test/Hello] traffic ([revision v1 80%, latest revision 10%]) has percentages that sum to "
                                + "90, not 100: make the shares add up to 100"),
                bad("Traffic.Builder.targets", "negative percentage", s -> helloTraffic(s,
                                split(TrafficTarget.revision("v1", 110), TrafficTarget.latestRevision(-10))),
                        "[Test/Hello] traffic (revision v1 110%) must have a percent from 0 to 100: give each target "
                                + "a share from 0 to 100"),
                bad("Traffic.Builder.targets", "unknown revision", s -> helloTraffic(s,
                                split(TrafficTarget.revision("v0", 100))),
                        "[Test/Hello] traffic (revision v0 100%) names a revision that is neither this deploy's "
                                + "revisionName \"v2\" nor one of previousRevisions [v1]: add \"v0\" to "
                                + "previousRevisions if an earlier deploy created hello-v0, or name a known revision"),
                bad("Traffic.Builder.targets", "revision named without a revisionName", s -> helloTraffic(s,
                                Traffic.builder().targets(List.of(TrafficTarget.revision("v2", 100))).build()),
                        "[Test/Hello] traffic (revision v2 100%) names a revision that is neither this deploy's "
                                + "revisionName (none) nor one of previousRevisions []: add \"v2\" to "
                                + "previousRevisions if an earlier deploy created hello-v2, or name a known revision"),
                bad("Traffic.Builder.targets", "duplicate tags", s -> helloTraffic(s,
                                split(TrafficTarget.revision("v1", 50).withTag("a"),
                                        TrafficTarget.latestRevision(50).withTag("a"))),
                        "[Test/Hello] traffic (latest revision 50% tag a) repeats the tag \"a\": give each tag to "
                                + "one target only"),
                bad("Traffic.Builder.targets", "tag not a DNS label", s -> helloTraffic(s,
                                split(TrafficTarget.latestRevision(100).withTag("Canary"))),
                        "[Test/Hello] traffic tag (\"Canary\")" + DNS_1035),
                bad("Traffic.Builder.revisionName", "revision name too long", s -> helloTraffic(s,
                                Traffic.builder().revisionName("r".repeat(60)).build()),
                        "[Test/Hello] traffic.revisionName (\"" + "r".repeat(60) + "\") makes the revision name "
                                + "hello-" + "r".repeat(60) + " of 66 characters, more than Kubernetes labels allow "
                                + "(63): use a shorter name such as \"v2\""),
                bad("KnativeWorkloadProps.clusterLocal", "custom domain on a cluster-local service", s -> hello(s,
                                httpsPlatform(s)).clusterLocal(true).customDomains(List.of(CustomDomain.of(
                                        "www.example.org", otherZone(s, "example.org")))).build(),
                        "[Test/Hello] customDomains ([www.example.org]) cannot be used with clusterLocal(true): a "
                                + "cluster-local service has no public host: drop clusterLocal or the custom "
                                + "domains"),
                bad("KnativeWorkloadProps.customDomains", "custom domain without a hosted zone", s -> hello(s,
                                platform(s).build()).customDomains(List.of(CustomDomain.of("www.example.org",
                                        otherZone(s, "example.org")))).build(),
                        "[Test/Hello] customDomains ([www.example.org]) need the platform's hostedZone: TLS ends at "
                                + "the load balancer, whose certificate must cover them: pass hostedZone(...) to the "
                                + "KnativePlatform"),
                bad("KnativeWorkloadProps.customDomains", "custom domain outside its zone", s -> hello(s,
                                httpsPlatform(s)).customDomains(List.of(CustomDomain.of("www.example.net",
                                        otherZone(s, "example.com")))).build(),
                        "[Test/Hello] customDomains (\"www.example.net\") is not in its zone \"example.com\": pass the "
                                + "zone that holds \"www.example.net\""),
                bad("KnativeWorkloadProps.customDomains", "custom domain at a zone apex", s -> hello(s,
                                httpsPlatform(s)).customDomains(List.of(CustomDomain.of("example.net",
                                        otherZone(s, "example.net")))).build(),
                        "[Test/Hello] customDomains (\"example.net\") is the apex of its zone, where a CNAME record "
                                + "cannot sit: map a name under it, e.g. \"www.example.net\""),
                bad("KnativeWorkloadProps.customDomains", "custom domain mapped twice", s -> {
                    KnativePlatform p = httpsPlatform(s);
                    hello(s, p).customDomains(List.of(CustomDomain.of("www.example.net",
                            otherZone(s, "example.net")))).build();
                    KnativeWorkload.Builder.create(s, "Other").platform(p).name("other")
                            .image(ImageSource.fromImage("ghcr.io/org/other:1.0"))
                            .customDomains(List.of(CustomDomain.of("www.example.net",
                                    HostedZone.fromHostedZoneAttributes(s, "Again", HostedZoneAttributes.builder()
                                            .hostedZoneId("Z1").zoneName("example.net").build()))))
                            .build();
                }, "[Test/Other] customDomains (\"www.example.net\") is already on the platform's certificate "
                        + "(another workload maps it): map each name to one workload"),
                bad("Traffic.Builder.previousRevisions", "previous revision listed twice", s -> helloTraffic(s,
                                Traffic.builder().revisionName("v2").previousRevisions(List.of("v1", "v2")).build()),
                        "[Test/Hello] traffic.previousRevisions (\"v2\") is listed twice or is also this deploy's "
                                + "revisionName: list each earlier revision once, and not the one this deploy "
                                + "creates"));
    }

    static Stream<Arguments> goodRows() {
        return Stream.of(
                good(List.of("KnativePlatformProps.hostedZone"), "a zone above the domain: HTTPS on it",
                        s -> platform(s).domain("apps.example.org").hostedZone(zone(s, "example.org")).build(),
                        p -> {
                            assertThat(p.getDomainTemplate()).isEqualTo(DomainTemplate.ONE_LABEL);
                            template(Stack.of(p)).hasResourceProperties("AWS::CertificateManager::Certificate",
                                    Match.objectLike(Map.of("DomainName", "*.apps.example.org")));
                            assertThat(manifests(Stack.of(p)).get("KnativeServing", "knative-serving")
                                    .at("spec.config.network['default-external-scheme']")).isEqualTo("https");
                        }),
                good(List.of("KnativePlatformProps.hostedZone"), "zone of the domain itself",
                        s -> platform(s).domain("example.org").hostedZone(namedZone(s, "example.org.")).build(),
                        p -> template(Stack.of(p)).hasResourceProperties("AWS::CertificateManager::Certificate",
                                Match.objectLike(Map.of("DomainName", "*.example.org")))),
                good(List.of("KnativeWorkloadProps.traffic", "Traffic.Builder.revisionName",
                        "Traffic.Builder.previousRevisions", "Traffic.Builder.targets"),
                        "a canary: a named revision beside the previous one, each with a tag",
                        s -> workloadOn(s, platform(s).build()).name("a").traffic(Traffic.builder().revisionName("v2")
                                .previousRevisions(List.of("v1")).targets(List.of(
                                        TrafficTarget.revision("v1", 90).withTag("stable"),
                                        TrafficTarget.revision("v2", 10).withTag("canary"))).build()).build(),
                        w -> {
                            KnativeManifests.KubernetesObject service = knativeService(w, "a");
                            assertThat(service.at("spec.template.metadata.name")).isEqualTo("a-v2");
                            assertThat(service.at("spec.traffic")).isEqualTo(List.of(
                                    Map.of("latestRevision", false, "revisionName", "a-v1", "percent", 90,
                                            "tag", "stable"),
                                    Map.of("latestRevision", false, "revisionName", "a-v2", "percent", 10,
                                            "tag", "canary")));
                        }),
                good(List.of("Traffic.Builder.targets"), "a tag-only target at 0%",
                        s -> helloTraffic(s, split(TrafficTarget.revision("v1", 0).withTag("v1"),
                                TrafficTarget.latestRevision(100))),
                        w -> assertThat(knativeService(w, "hello").at("spec.traffic")).isEqualTo(List.of(
                                Map.of("latestRevision", false, "revisionName", "hello-v1", "percent", 0, "tag", "v1"),
                                Map.of("latestRevision", true, "percent", 100)))),
                good(List.of("KnativeWorkloadProps.customDomains"), "a custom domain in another zone",
                        s -> workloadOn(s, platform(s).domain("apps.example.org").hostedZone(zone(s, "example.org"))
                                .build()).customDomains(List.of(CustomDomain.of("www.example.net",
                                        zone(s, "example.net")))).build(),
                        w -> {
                            assertThat(w.getDomainMappings()).hasSize(1);
                            assertThat(manifests(Stack.of(w)).get("DomainMapping", "default", "www.example.net")
                                    .at("spec.ref.name")).isEqualTo("hello");
                            template(Stack.of(w)).hasResourceProperties("AWS::CertificateManager::Certificate",
                                    Match.objectLike(Map.of("SubjectAlternativeNames",
                                            Match.arrayWith(List.of("www.example.net")))));
                        }),
                good(List.of("KnativeWorkloadProps.clusterLocal"), "a cluster-local service beside the HTTPS ones",
                        s -> workloadOn(s, platform(s).domain("apps.example.org").hostedZone(zone(s, "example.org"))
                                .build()).clusterLocal(true).build(),
                        w -> {
                            assertThat(knativeService(w, "hello").at("metadata.labels['networking.knative.dev/visibility']"))
                                    .isEqualTo("cluster-local");
                            assertThat(template(Stack.of(w)).findOutputs("*").toString())
                                    .doesNotContain("https://hello-default.apps.example.org");
                        }),
                good(List.of("KnativeWorkloadProps.name"), "a long name under the dotted template",
                        s -> KnativeWorkload.Builder.create(s, "Hello").platform(platform(s).build())
                                .name("h".repeat(30)).namespace(LONG_NAMESPACE)
                                .image(ImageSource.fromImage("ghcr.io/org/hello:1.0")).build(),
                        w -> assertThat(w.getHost()).isEqualTo("h".repeat(30) + "." + LONG_NAMESPACE
                                + ".example.com")),
                good(List.of("Traffic.Builder.targets", "KnativeWorkloadProps.name",
                        "KnativeWorkloadProps.customDomains"),
                        "hosts that differ only where the template joins them, DNS-1035 tags", s -> {
                            KnativePlatform p = platform(s).domain("apps.example.org").hostedZone(zone(s,
                                    "example.org")).build();
                            KnativeWorkload.Builder.create(s, "A").platform(p).name("a-b")
                                    .namespace("c").image(ImageSource.fromImage("nginx:1")).build();
                            KnativeWorkload.Builder.create(s, "B").platform(p).name("a")
                                    .namespace("b-d").image(ImageSource.fromImage("nginx:1"))
                                    .traffic(Traffic.builder().targets(List.of(TrafficTarget.latestRevision(100)
                                            .withTag("v2-0"))).build())
                                    .customDomains(List.of(CustomDomain.of("a-b-c.example.org", zone(s,
                                            "example.org")))).build();
                            KnativeWorkload.Builder.create(s, "Local").platform(p).name("a-b").namespace("d")
                                    .clusterLocal(true).image(ImageSource.fromImage("nginx:1")).build();
                            return s;
                        },
                        s -> {
                            assertThat(List.of(((KnativeWorkload) child(s, "A")).getHost(),
                                    ((KnativeWorkload) child(s, "B")).getHost()))
                                    .containsExactly("a-b-c.apps.example.org", "a-b-d.apps.example.org");
                            assertThat(template(s).findOutputs("*").toString()).contains(
                                    "https://v2-0-a-b-d.apps.example.org", "https://a-b-c.example.org");
                        }));
    }
}
