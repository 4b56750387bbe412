package io.knativeoneks;

import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/**
 * A small stack for the platform's parts: a KnativePlatform on a cluster imported by attributes (no VPC, nodes or
 * kubectl layer to synthesize), configured by the test.
 */
record PlatformFixture(Stack stack, KnativePlatform platform, Template template, DependencyGraph graph) {
    static final String HELM = "Custom::AWSCDK-EKS-HelmChart";
    static final String OBJECT_VALUE = "Custom::AWSCDK-EKS-KubernetesObjectValue";

    static PlatformFixture of(UnaryOperator<KnativePlatform.Builder> configure) {
        return of((stack, builder) -> configure.apply(builder));
    }

    /** A fixture whose configuration also creates resources of the stack (a hosted zone, ...). */
    static PlatformFixture of(BiFunction<Stack, KnativePlatform.Builder, KnativePlatform.Builder> configure) {
        Stack stack = new Stack(new App(), "Parts", StackProps.builder().env(Environment.builder()
                .account("111111111111").region("eu-west-1").build()).build());
        KnativePlatform platform = configure.apply(stack, KnativePlatform.Builder.create(stack, "Platform")
                .cluster(AnyClusterTest.imported(stack, true))).build();
        Template template = Template.fromStack(stack);
        return new PlatformFixture(stack, platform, template, new DependencyGraph(template.toJSON()));
    }

    /** @return the logical id of the Helm release {@code release} */
    String chart(String release) {
        return graph.find(HELM, p -> release.equals(p.get("Release")));
    }

    /** @return the properties of the resource {@code id} */
    @SuppressWarnings("unchecked")
    Map<String, Object> properties(String id) {
        Map<String, Object> resources = (Map<String, Object>) template.toJSON().get("Resources");
        return (Map<String, Object>) ((Map<String, Object>) resources.get(id)).get("Properties");
    }
}
