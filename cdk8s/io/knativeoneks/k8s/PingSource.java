package io.knativeoneks.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.knativeoneks.internal.Validate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import org.cdk8s.JsonPatch;
import software.constructs.Construct;

/**
 * A Knative {@code PingSource} ({@code sources.knative.dev/v1}): sends a CloudEvent of type
 * {@code dev.knative.sources.ping} with fixed data to a broker on a cron schedule.
 *
 * <pre>{@code
 * Broker broker = new Broker(chart, "Broker", "default", "apps");
 * new PingSource(chart, "Ping", "every-minute", "* * * * *", "{\"message\": \"hello\"}", broker);
 * }</pre>
 */
public final class PingSource extends Construct {
    /**
     * The descriptors robfig/cron v3.0.1 (parser.go parseDescriptor) knows, which Knative Eventing's PingSource
     * validation (knative/eventing pkg/apis/sources/v1/ping_validation.go) accepts; it refuses {@code @every}.
     */
    private static final Set<String> DESCRIPTORS = Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily",
            "@midnight", "@hourly");
    /**
     * The fields (second, optional, then minute hour day-of-month month day-of-week) with robfig/cron's bounds
     * (spec.go); Knative's parser takes the seconds field as optional (cron.SecondOptional).
     */
    private static final String[] FIELDS = {"second", "minute", "hour", "day-of-month", "month", "day-of-week"};
    private static final int[][] BOUNDS = {{0, 59}, {0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 6}};
    private static final int MONTH = 4;
    private static final int DAY_OF_WEEK = 5;
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
            "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ApiObject resource;

    /**
     * @param scope the construct's parent
     * @param id the construct's id
     * @param name the PingSource's name (a DNS-1123 label)
     * @param schedule when to send, in cron syntax, e.g. {@code "* * * * *"} for every minute
     * @param data the event's JSON data
     * @param sink the broker that receives the events; the PingSource goes in its namespace
     */
    public PingSource(Construct scope, String id, String name, String schedule, String data, Broker sink) {
        super(scope, id);
        Validate.dnsLabel(this, "name", name);
        checkSchedule(this, "schedule", schedule);
        checkData(this, "data", data);
        Validate.required(this, "sink", sink, "pass the Broker that receives the events");
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("apiVersion", "eventing.knative.dev/v1");
        ref.put("kind", "Broker");
        ref.put("name", sink.getName());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("schedule", schedule.trim());
        spec.put("contentType", "application/json");
        spec.put("data", data);
        spec.put("sink", Map.of("ref", ref));
        resource = new ApiObject(this, "Resource", ApiObjectProps.builder()
                .apiVersion("sources.knative.dev/v1")
                .kind("PingSource")
                .metadata(ApiObjectMetadata.builder().name(name)
                        .namespace(sink.getResource().getMetadata().getNamespace()).build())
                .build());
        resource.addJsonPatch(JsonPatch.add("/spec", spec));
        resource.addDependency(sink.getResource());
    }

    /**
     * Checks a schedule as Knative's webhook parses it (robfig/cron v3.0.1 with descriptors, as knative/eventing
     * pkg/apis/sources/v1/ping_validation.go configures it): five fields within their ranges (six with seconds
     * first), or a descriptor such as {@code @hourly}; {@code @every} is refused by Knative.
     *
     * @param scope the construct the error names
     * @param property the property the error names
     * @param schedule the schedule
     */
    public static void checkSchedule(Construct scope, String property, String schedule) {
        Validate.check(schedule != null, scope, property, null, "must not be null", "use a schedule such as "
                + "\"*/5 * * * *\"");
        String trimmed = schedule.trim();
        String problem = trimmed.startsWith("@") ? (DESCRIPTORS.contains(trimmed) ? null
                : "is not a descriptor Knative accepts " + new TreeSet<>(DESCRIPTORS)) : cronProblem(trimmed);
        Validate.check(problem == null, scope, property, "\"" + schedule + "\"",
                "must be a cron schedule of five fields (minute hour day-of-month month day-of-week, optionally after "
                        + "seconds) or a descriptor such as @hourly; it " + problem,
                "use a schedule such as \"*/5 * * * *\"");
    }

    /** @return what is wrong with the cron fields, or null */
    private static String cronProblem(String schedule) {
        String[] fields = schedule.split("\\s+");
        if (fields.length != FIELDS.length && fields.length != FIELDS.length - 1) {
            return "has " + fields.length + " fields";
        }
        int first = FIELDS.length - fields.length;
        for (int i = 0; i < fields.length; i++) {
            int field = first + i;
            for (String range : fields[i].split(",", -1)) {
                if (!validRange(range, field)) {
                    return "has \"" + range + "\" as " + FIELDS[field] + ", not a value, range or step within "
                            + BOUNDS[field][0] + "-" + BOUNDS[field][1];
                }
            }
        }
        return null;
    }

    /** robfig/cron parser.go getRange: {@code * | ? | n | n-m}, optionally followed by {@code /step}. */
    private static boolean validRange(String expr, int field) {
        String[] rangeAndStep = expr.split("/", -1);
        if (rangeAndStep.length > 2 || rangeAndStep.length == 2 && !(NUMBER.matcher(rangeAndStep[1]).matches()
                && Integer.parseInt(rangeAndStep[1]) > 0)) {
            return false;
        }
        if (rangeAndStep[0].equals("*") || rangeAndStep[0].equals("?")) {
            return true;
        }
        String[] lowAndHigh = rangeAndStep[0].split("-", -1);
        if (lowAndHigh.length > 2) {
            return false;
        }
        int low = value(lowAndHigh[0], field);
        int high = lowAndHigh.length == 2 ? value(lowAndHigh[1], field) : low;
        return low >= BOUNDS[field][0] && high <= BOUNDS[field][1] && low <= high;
    }

    /** @return a field's value, with month and day names where robfig/cron takes them, or -1 */
    private static int value(String text, int field) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (field == MONTH && MONTHS.contains(lower)) {
            return MONTHS.indexOf(lower) + 1;
        }
        if (field == DAY_OF_WEEK && DAYS.contains(lower)) {
            return DAYS.indexOf(lower);
        }
        return NUMBER.matcher(text).matches() ? Integer.parseInt(text) : -1;
    }

    /**
     * Checks event data as Knative's webhook does for content type application/json: it must parse as a JSON object
     * (validateJSON in knative/eventing pkg/apis/sources/v1/ping_validation.go).
     *
     * @param scope the construct the error names
     * @param property the property the error names
     * @param data the event data
     */
    public static void checkData(Construct scope, String property, String data) {
        Validate.check(data != null, scope, property, null, "must not be null", "pass a JSON object, e.g. {}");
        boolean object;
        try {
            object = data.isEmpty() || JSON.readTree(data).isObject();
        } catch (JsonProcessingException e) {
            object = false;
        }
        Validate.check(object, scope, property, data, "must be a JSON object (the events are sent as "
                + "application/json)", "pass JSON such as {\"message\": \"hello\"}");
    }

    /** @return the PingSource API object */
    public ApiObject getResource() {
        return resource;
    }
}
