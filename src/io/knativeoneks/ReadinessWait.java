package io.knativeoneks;

import io.knativeoneks.internal.SortedKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.eks_v2.AccessEntry;
import software.amazon.awscdk.services.eks_v2.AccessPolicy;
import software.amazon.awscdk.services.eks_v2.AccessPolicyNameOptions;
import software.amazon.awscdk.services.eks_v2.AccessScopeType;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * A deploy-time wait until a Kubernetes Job has succeeded or a Deployment has a ready replica. Unlike a wait that
 * only polls for a value, it fails the deploy within seconds of a failure Kubernetes shows (a failed Job, an image
 * that cannot be pulled, a container in a crash loop), and the failing resource's CloudFormation event carries the
 * reason: for a build, the last lines of its log. It gives up after {@link KnativeCluster#HELM_TIMEOUT}. For a
 * Service of type LoadBalancer it waits on delete instead, until the Service is gone, and so its load balancer.
 *
 * <p>One Lambda function per platform (so per cluster) does the waiting: it reads the API server with a token of its
 * own role, which has an EKS access entry with view rights only. It retries what may pass (the access entry taking
 * effect, throttling, server errors, broken connections); for a cluster imported without its endpoint or certificate
 * authority data, it reads them on deploy with {@code eks:DescribeCluster}, allowed on that cluster only.
 */
public final class ReadinessWait extends Construct {
    /** What is waited for. */
    public enum Kind {
        /** A Job: ready when it has completed; failed when it has failed. */
        JOB("Job"),
        /** A Deployment: ready when it has a ready replica. */
        DEPLOYMENT("Deployment"),
        /**
         * A Service of type LoadBalancer, awaited on delete, not on create: gone (its finalizer holds it until its
         * load balancer is deleted) before what the wait depends on, such as the cluster, is deleted; it fails the
         * destroy with the reason when the Service is still there after the timeout.
         */
        LOAD_BALANCER_SERVICE("Service");

        private final String kubernetesKind;

        Kind(String kubernetesKind) {
            this.kubernetesKind = kubernetesKind;
        }
    }

    private static final String PROVIDER_ID = "ReadinessWaitProvider";
    private static final String HANDLER = "readiness_wait.py";

    private final CustomResource resource;

    ReadinessWait(Construct scope, String id, PlatformBase platform, Kind kind, String namespace, String name) {
        super(scope, id);
        ClusterContext cluster = platform.getClusterContext();
        Map<String, Object> properties = new HashMap<>(Map.of(
                "ClusterName", cluster.getCluster().getClusterName(),
                "Kind", kind.kubernetesKind,
                "Namespace", namespace,
                "Name", name,
                "TimeoutSeconds", String.valueOf(ClusterContext.HELM_TIMEOUT.toSeconds().intValue())));
        if (knowsApiServer(cluster)) {
            properties.put("Endpoint", cluster.getClusterEndpoint());
            properties.put("CertificateAuthority", cluster.getClusterCertificateAuthorityData());
        }
        resource = CustomResource.Builder.create(this, "Resource")
                .serviceToken(provider(platform).getServiceToken())
                .resourceType("Custom::KnativeOnEksReadinessWait")
                .properties(SortedKeys.of(properties))
                .build();
    }

    /** @return the custom resource */
    public CustomResource getResource() {
        return resource;
    }

    /** The platform's one provider: the waiting function, its view-only access entry and the framework around it. */
    private static Provider provider(PlatformBase platform) {
        Construct existing = (Construct) platform.getNode().tryFindChild(PROVIDER_ID);
        if (existing != null) {
            return (Provider) existing.getNode().findChild("Provider");
        }
        ClusterContext cluster = platform.getClusterContext();
        Construct scope = new Construct(platform, PROVIDER_ID);
        SubnetSelection subnets = cluster.getKubectlSubnets();
        LogGroup logs = cluster.newLogGroup(scope, "Logs");
        Function.Builder function = Function.Builder.create(scope, "Function")
                .description("knative-on-eks: waits for a Kubernetes Job or Deployment, failing fast with the reason")
                .runtime(Runtime.PYTHON_3_14)
                .handler("index.on_event")
                .code(Code.fromAsset(handlerDirectory().toString()))
                .timeout(ClusterContext.HELM_TIMEOUT.plus(Duration.minutes(2)))
                .memorySize(256)
                .logGroup(logs)
                // The failure reason names the log group: the Provider framework's "Logs:" line names the default
                // /aws/lambda/<function>, which this function does not write to.
                .environment(SortedKeys.of(Map.of("LOG_GROUP", logs.getLogGroupName(),
                        "AWS_STS_REGIONAL_ENDPOINTS", "regional")));
        if (subnets != null) {
            function.vpc(cluster.getCluster().getVpc())
                    .vpcSubnets(subnets)
                    .securityGroups(List.of(cluster.getCluster().getClusterSecurityGroup()));
        }
        Function handler = function.build();
        if (!knowsApiServer(cluster)) {
            handler.addToRolePolicy(PolicyStatement.Builder.create()
                    .actions(List.of("eks:DescribeCluster"))
                    .resources(List.of(cluster.getCluster().getClusterArn()))
                    .build());
        }
        AccessEntry access = AccessEntry.Builder.create(scope, "Access")
                .cluster(cluster.getCluster())
                .principal(handler.getRole().getRoleArn())
                .accessPolicies(List.of(AccessPolicy.fromAccessPolicyName("AmazonEKSViewPolicy",
                        AccessPolicyNameOptions.builder().accessScopeType(AccessScopeType.CLUSTER).build())))
                .build();
        Provider provider = Provider.Builder.create(scope, "Provider")
                .onEventHandler(handler)
                .logGroup(cluster.newLogGroup(scope, "ProviderLogs"))
                .build();
        provider.getNode().addDependency(access);
        NagSuppressions.acknowledgeProviderInternals(provider, "ReadinessWaitProviderFunction");
        NagSuppressions.suppress(handler.getRole(), "AwsSolutions-IAM4", "the AWS managed Lambda execution "
                        + "policies: write to its own log group, and network interfaces when it runs in the VPC",
                NagSuppressions.regex("^Policy::.*(AWSLambdaBasicExecutionRole|AWSLambdaVPCAccessExecutionRole)$"));
        return provider;
    }

    /** Whether the endpoint and certificate authority are known; if not, the function describes the cluster. */
    private static boolean knowsApiServer(ClusterContext cluster) {
        return cluster.getClusterEndpoint() != null && cluster.getClusterCertificateAuthorityData() != null;
    }

    /** Writes the handler to a directory of its own, as the function's code asset (same bytes, same hash). */
    private static Path handlerDirectory() {
        try (InputStream source = ReadinessWait.class.getResourceAsStream(HANDLER)) {
            if (source == null) {
                throw new IllegalStateException(HANDLER + " is missing from the classpath");
            }
            Path directory = Files.createTempDirectory("knative-on-eks-readiness-wait");
            Files.copy(source, directory.resolve("index.py"));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
