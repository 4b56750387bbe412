package io.knativeoneks;

import java.nio.file.Path;
import java.util.Map;
import platform.PlatformApp;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * The default example app, synthesized once per test run and shared (jsii start-up is the expensive part); and the
 * same app with every switch on (metrics, logs, AWS events), synthesized once on first use, with cdk-nag's
 * AwsSolutions rules applied.
 */
final class ExampleApp {
    static final Stack STACK = PlatformApp.build(CdkJson.app(Path.of("cdk.json"))); // what cdk synth sees
    static final Template TEMPLATE = Template.fromStack(STACK);
    static final Map<String, Object> JSON = TEMPLATE.toJSON();
    static final DependencyGraph GRAPH = new DependencyGraph(JSON);
    static final KnativeManifests MANIFESTS = KnativeManifests.of(TEMPLATE);

    /**
     * The example with {@code -c metrics=true -c logs=true -c awsEvents=true}, checked by cdk-nag (its findings are
     * annotations).
     */
    static final class WithEverySwitch {
        static final Stack STACK = checked(PlatformApp.build(new App(AppProps.builder()
                .context(withCdkJson(Map.of("metrics", "true", "logs", "true", "awsEvents", "true"))).build())));
        static final Template TEMPLATE = Template.fromStack(STACK);

        private WithEverySwitch() {
        }

        private static Stack checked(Stack stack) {
            Aspects.of(stack).add(new AwsSolutionsChecks());
            return stack;
        }
    }

    private ExampleApp() {
    }

    /** @return this repository's cdk.json context (its feature flags) with {@code context} added */
    static Map<String, Object> withCdkJson(Map<String, Object> context) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(CdkJson.context(Path.of("cdk.json")));
        all.putAll(context);
        return all;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(String logicalId) {
        Map<String, Object> resources = (Map<String, Object>) JSON.get("Resources");
        return (Map<String, Object>) ((Map<String, Object>) resources.get(logicalId)).get("Properties");
    }
}
