package io.knativeoneks;

import java.util.List;
import java.util.Map;
import platform.PlatformApp;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/** The default example app, synthesized once per test run and shared (jsii start-up is the expensive part). */
final class ExampleApp {
    static final Template TEMPLATE = Template.fromStack(PlatformApp.build(new App()));
    static final Map<String, Object> JSON = TEMPLATE.toJSON();
    static final DependencyGraph GRAPH = new DependencyGraph(JSON);

    private ExampleApp() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(String logicalId) {
        Map<String, Object> resources = (Map<String, Object>) JSON.get("Resources");
        return (Map<String, Object>) ((Map<String, Object>) resources.get(logicalId)).get("Properties");
    }

    /**
     * Renders a CloudFormation value as text: {@code Fn::Join} is joined, other intrinsics become
     * {@code ${...}} placeholders, so a manifest with deploy-time values can still be parsed as JSON.
     */
    @SuppressWarnings("unchecked")
    static String render(Object value) {
        if (value instanceof String) {
            return (String) value;
        }
        Map<String, Object> map = (Map<String, Object>) value;
        if (map.containsKey("Fn::Join")) {
            List<Object> join = (List<Object>) map.get("Fn::Join");
            return String.join((String) join.get(0), ((List<Object>) join.get(1)).stream().map(ExampleApp::render)
                    .toList());
        }
        return "${" + map.toString().replaceAll("[\"\\\\]", "") + "}";
    }
}
