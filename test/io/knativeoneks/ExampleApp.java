package io.knativeoneks;

import java.util.Map;
import platform.PlatformApp;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/** The default example app, synthesized once per test run and shared (jsii start-up is the expensive part). */
final class ExampleApp {
    static final Stack STACK = PlatformApp.build(new App());
    static final Template TEMPLATE = Template.fromStack(STACK);
    static final Map<String, Object> JSON = TEMPLATE.toJSON();
    static final DependencyGraph GRAPH = new DependencyGraph(JSON);

    private ExampleApp() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(String logicalId) {
        Map<String, Object> resources = (Map<String, Object>) JSON.get("Resources");
        return (Map<String, Object>) ((Map<String, Object>) resources.get(logicalId)).get("Properties");
    }
}
