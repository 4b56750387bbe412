/**
 * cdk8s constructs for Knative's Kubernetes objects, usable in any cdk8s app, with or without AWS: Knative's
 * control-plane configuration ({@link KnativeChart} with {@link KnativeServing} and {@link KnativeEventing}), services
 * ({@link KnativeService}, {@link Traffic}, {@link KnativeDomainMapping}), eventing ({@link Broker},
 * {@link PingSource}, {@link Trigger}) and in-cluster image builds ({@link ImageBuild} from a {@link GitSource} or
 * another {@link BuildContext}); {@link Render} writes charts to YAML files for a GitOps repository. Every property is
 * checked at synth; a bad one fails with a {@link io.knativeoneks.common.ValidationError} that says how to fix it.
 *
 * <p>This package imports cdk8s, cdk8s-plus, constructs, Jackson and {@link io.knativeoneks.common} (with the
 * library's internal helpers) only, never aws-cdk-lib or {@code io.knativeoneks}:
 * the AWS constructs in {@code io.knativeoneks} build on it. Start with {@link KnativeChart} for Knative itself and
 * {@link KnativeService} for an application:
 *
 * <pre>{@code
 * App app = new App();
 * new KnativeChart(app, "knative", KnativeServingProps.builder().domain("apps.example.org").build(), "apps");
 * Chart apps = new Chart(app, "apps");
 * new KnativeService(apps, "Hello", KnativeServiceProps.builder()
 *         .name("hello")
 *         .namespace("apps")
 *         .image("ghcr.io/knative/helloworld-go:v1")
 *         .build());
 * app.synth();
 * }</pre>
 */
package io.knativeoneks.k8s;
