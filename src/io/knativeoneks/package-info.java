/**
 * AWS CDK constructs for Knative on Amazon EKS: the cluster, the platform on it (Istio, Knative Serving and Eventing,
 * optionally metrics, logs and HTTPS on your own domain), and the workloads and event flows that run there.
 *
 * <p>Start with {@link KnativeCluster} (or bring any {@code eks_v2} cluster), install a {@link KnativePlatform} on it,
 * and run services with {@link KnativeWorkload}, whose image comes from an {@link ImageSource} (built in the cluster by
 * an {@link InClusterBuild} where it must be); {@link ScheduledEvents} sends a workload events on a schedule, and
 * {@link AwsEvents} connects SQS, S3, DynamoDB Streams and SNS without keys. Workloads and event flows take an
 * {@link IKnativePlatform}: a platform of this app, or one another app installed
 * ({@link KnativePlatform#fromPlatformAttributes}). Each construct is built with
 * {@code Xxx.Builder.create(scope, id)...build()}:
 *
 * <pre>{@code
 * KnativeCluster cluster = KnativeCluster.Builder.create(this, "Cluster").build();
 * KnativePlatform platform = KnativePlatform.Builder.create(this, "Platform").cluster(cluster).build();
 * KnativeWorkload hello = KnativeWorkload.Builder.create(this, "Hello")
 *         .platform(platform)
 *         .name("hello")
 *         .image(ImageSource.fromLocalDirectory("app"))
 *         .build();
 * }</pre>
 *
 * <p>This package uses aws-cdk-lib and the Kubernetes side, {@link io.knativeoneks.k8s}: the platform and the
 * workloads render their Kubernetes objects with its cdk8s constructs and apply them to the cluster. Never the other
 * way round: the Kubernetes side does not import this package or aws-cdk-lib.
 */
package io.knativeoneks;
