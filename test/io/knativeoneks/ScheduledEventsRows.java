package io.knativeoneks;

import static io.knativeoneks.ValidationRows.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Validation rows of ScheduledEvents: a PingSource to a broker to a workload. Run by {@link ValidationTest}. */
final class ScheduledEventsRows {
    private ScheduledEventsRows() {
    }

    static Stream<Arguments> badRows() {
        return Stream.of(
                bad("ScheduledEventsProps.platform", "events without platform",
                        s -> ScheduledEvents.Builder.create(s, "E").name("tick").build(),
                        "[Test/E] platform (null) is required: pass the KnativePlatform"),
                bad("ScheduledEventsProps.subscriber", "events without subscriber",
                        s -> ScheduledEvents.Builder.create(s, "E").platform(platform(s).build()).name("tick").build(),
                        "[Test/E] subscriber (null) is required: pass the KnativeWorkload that receives the events"),
                bad("ScheduledEventsProps.subscriber", "subscriber on another platform", s -> {
                    KnativePlatform other = KnativePlatform.Builder.create(s, "Other")
                            .cluster(KnativeCluster.Builder.create(s, "OtherCluster").build()).build();
                    events(s).platform(other).build();
                }, "[Test/Events] subscriber (Test/Display) runs on another platform than Test/Other: pass a "
                        + "workload of this platform"),
                bad("ScheduledEventsProps.name", "events name not DNS-1123", s -> events(s).name("Every_Minute")
                        .build(), "[Test/Events] name (\"Every_Minute\") must be a DNS-1123 label (lower-case "
                                + "letters, digits and '-', starting and ending with a letter or digit, at most 63 "
                                + "characters): use a value such as \"my-name\""),
                bad("ScheduledEventsProps.name", "two event flows named alike", s -> {
                    ScheduledEvents.Builder first = events(s);
                    first.build();
                    ScheduledEvents.Builder.create(s, "Again").platform(((KnativeWorkload) s.getNode()
                            .findChild("Display")).getPlatform()).name("tick").subscriber((KnativeWorkload) s.getNode()
                            .findChild("Display")).build();
                }, "[Test/Again] name (\"tick\") would create Broker default/tick, which Test/Events already creates: "
                        + "give one of them another name or namespace"),
                bad("ScheduledEventsProps.name", "events without name",
                        s -> events(s).name(null).build(),
                        "[Test/Events] name (null) is required: name the flow, e.g. \"every-minute\""),
                bad("ScheduledEventsProps.schedule", "schedule in words", s -> events(s).schedule("every minute")
                        .build(), "[Test/Events] schedule (\"every minute\") " + CRON + "has 2 fields" + CRON_FIX),
                bad("ScheduledEventsProps.schedule", "schedule minute out of range",
                        s -> events(s).schedule("60 * * * *").build(), "[Test/Events] schedule (\"60 * * * *\") "
                                + CRON + "has \"60\" as minute, not a value, range or step within 0-59" + CRON_FIX),
                bad("ScheduledEventsProps.schedule", "schedule day of week 7",
                        s -> events(s).schedule("0 9 * * 1-7").build(), "[Test/Events] schedule (\"0 9 * * 1-7\") "
                                + CRON + "has \"1-7\" as day-of-week, not a value, range or step within 0-6"
                                + CRON_FIX),
                bad("ScheduledEventsProps.schedule", "schedule @every", s -> events(s).schedule("@every 1m").build(),
                        "[Test/Events] schedule (\"@every 1m\") " + CRON + "is not a descriptor Knative accepts "
                                + "[@annually, @daily, @hourly, @midnight, @monthly, @weekly, @yearly]" + CRON_FIX),
                bad("ScheduledEventsProps.schedule", "schedule with seconds out of range",
                        s -> events(s).schedule("60 * * * * *").build(), "[Test/Events] schedule (\"60 * * * * *\") "
                                + CRON + "has \"60\" as second, not a value, range or step within 0-59" + CRON_FIX),
                bad("ScheduledEventsProps.schedule", "schedule step zero", s -> events(s).schedule("*/0 * * * *")
                        .build(), "[Test/Events] schedule (\"*/0 * * * *\") " + CRON + "has \"*/0\" as minute, "
                                + "not a value, range or step within 0-59" + CRON_FIX),
                bad("ScheduledEventsProps.schedule", "schedule null", s -> events(s).schedule(null).build(),
                        "[Test/Events] schedule" + NOT_NULL + "schedule unset for its default, or pass a value"),
                bad("ScheduledEventsProps.data", "data not JSON", s -> events(s).data("hello").build(),
                        "[Test/Events] data (hello) must be a JSON object (the events are sent as application/json): "
                                + "pass JSON such as {\"message\": \"hello\"}"),
                bad("ScheduledEventsProps.data", "data a JSON array", s -> events(s).data("[1, 2]").build(),
                        "[Test/Events] data ([1, 2]) must be a JSON object (the events are sent as "
                                + "application/json): "
                                + "pass JSON such as {\"message\": \"hello\"}"),
                bad("ScheduledEventsProps.data", "data with trailing text", s -> events(s).data("{} x").build(),
                        "[Test/Events] data ({} x) must be a JSON object (the events are sent as application/json): "
                                + "pass JSON such as {\"message\": \"hello\"}"),
                bad("ScheduledEventsProps.data", "data null", s -> events(s).data(null).build(),
                        "[Test/Events] data" + NOT_NULL + "data unset for its default, or pass a value"));
    }

    static Stream<Arguments> goodRows() {
        return Stream.of(
                good(List.of("ScheduledEventsProps.platform", "ScheduledEventsProps.name",
                        "ScheduledEventsProps.schedule", "ScheduledEventsProps.data",
                        "ScheduledEventsProps.subscriber"),
                        "event flows with every kind of schedule", s -> {
                            KnativePlatform p = platform(s).build();
                            KnativeWorkload display = workloadOn(s, p).build();
                            int i = 0;
                            for (String schedule : SCHEDULES) {
                                ScheduledEvents.Builder.create(s, "E" + i).platform(p).name("tick-" + i++)
                                        .schedule(schedule).data("{\"n\": [1, 2]}").subscriber(display).build();
                            }
                            ScheduledEvents.Builder.create(s, "Empty").platform(p).name("e".repeat(63))
                                    .data("").subscriber(display).build();
                            return s;
                        },
                        s -> {
                            KnativeManifests m = manifests(s);
                            for (int i = 0; i < SCHEDULES.size(); i++) {
                                KnativeManifests.KubernetesObject ping = m.get("PingSource", "default", "tick-" + i);
                                assertThat(ping.at("spec.schedule")).isEqualTo(SCHEDULES.get(i).strip());
                                assertThat(ping.at("spec.data")).isEqualTo("{\"n\": [1, 2]}");
                                assertThat(m.get("Trigger", "default", "tick-" + i).at("spec.subscriber.ref.name"))
                                        .isEqualTo("hello");
                            }
                            assertThat(m.get("PingSource", "default", "e".repeat(63)).at("spec.data")).isEqualTo("");
                        }));
    }
}
