package com.example.orders;

import io.knativeoneks.Autoscaler;
import io.knativeoneks.ImageSource;
import io.knativeoneks.KnativePlatform;
import io.knativeoneks.KnativeWorkload;
import io.knativeoneks.ScheduledEvents;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.TableV2;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.ClusterAttributes;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubectlProvider;
import software.amazon.awscdk.services.eks_v2.KubectlProviderAttributes;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.constructs.Construct;

/**
 * A team's app on a cluster another team runs: the platform stack installs Knative on the existing EKS cluster
 * (imported, with its kubectl provider). The services stack runs {@code orders} from the team's ECR repository,
 * allowed to read the receipts bucket and nothing else, and {@code audit}, built in the cluster from this project's
 * {@code audit} folder into an ECR repository of the services stack, which may write the audit table and gets an
 * event every five minutes. The cluster's attributes come from the context ({@code cdk.json} or
 * {@code -c clusterName=...}).
 */
public final class OrdersApp {
    private OrdersApp() {
    }

    /** Knative on the shared cluster. */
    public static final class PlatformStack extends Stack {
        private final KnativePlatform platform;

        public PlatformStack(Construct scope, String id, StackProps props) {
            super(scope, id, props);
            ICluster cluster = Cluster.fromClusterAttributes(this, "SharedCluster", ClusterAttributes.builder()
                    .clusterName(context(this, "clusterName"))
                    .clusterEndpoint(context(this, "clusterEndpoint"))
                    .clusterCertificateAuthorityData(context(this, "clusterCertificateAuthorityData"))
                    .kubectlProvider(KubectlProvider.fromKubectlProviderAttributes(this, "SharedKubectl",
                            KubectlProviderAttributes.builder()
                                    .serviceToken(context(this, "kubectlServiceToken"))
                                    .build()))
                    .build());
            platform = KnativePlatform.Builder.create(this, "Knative")
                    .cluster(cluster)
                    .installPodIdentityAgent(true)
                    .appNamespace("orders")
                    .domain("apps.example.com")
                    .build();
        }

        public KnativePlatform getPlatform() {
            return platform;
        }
    }

    /** The team's services, in a stack of their own. */
    public static final class ServicesStack extends Stack {
        private final KnativeWorkload orders;
        private final KnativeWorkload audit;

        public ServicesStack(Construct scope, String id, StackProps props, KnativePlatform platform) {
            super(scope, id, props);
            Bucket receipts = Bucket.Builder.create(this, "Receipts")
                    .encryption(BucketEncryption.S3_MANAGED)
                    .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                    .enforceSsl(true)
                    .build();
            orders = KnativeWorkload.Builder.create(this, "Orders")
                    .platform(platform)
                    .name("orders")
                    .image(ImageSource.fromEcrRepository(
                            Repository.fromRepositoryName(this, "OrdersRepository", "team/orders"), "1.0.0"))
                    .env(Map.of("RECEIPTS_BUCKET", receipts.getBucketName()))
                    .build();
            receipts.grantRead(orders);

            TableV2 auditLog = TableV2.Builder.create(this, "AuditLog")
                    .partitionKey(Attribute.builder().name("id").type(AttributeType.STRING).build())
                    .build();
            audit = KnativeWorkload.Builder.create(this, "Audit")
                    .platform(platform)
                    .name("audit")
                    .buildServiceAccount("audit-build")
                    .image(ImageSource.fromLocalDirectory("audit"))
                    .scale(Autoscaler.builder().scaleToZeroPodRetentionPeriod(Duration.minutes(5)).build())
                    .env(Map.of("AUDIT_TABLE", auditLog.getTableName()))
                    .build();
            auditLog.grantReadWriteData(audit);
            ScheduledEvents.Builder.create(this, "AuditTick")
                    .platform(platform)
                    .name("audit-tick")
                    .schedule("*/5 * * * *")
                    .subscriber(audit)
                    .build();
        }

        public KnativeWorkload getOrders() {
            return orders;
        }

        public KnativeWorkload getAudit() {
            return audit;
        }
    }

    /** Both stacks in {@code app}, as {@link #main} synthesizes them. */
    public static ServicesStack build(App app) {
        StackProps env = StackProps.builder().env(Environment.builder()
                .account(context(app, "account"))
                .region(context(app, "region"))
                .build()).build();
        PlatformStack platform = new PlatformStack(app, "OrdersPlatform", env);
        return new ServicesStack(app, "OrdersServices", env, platform.getPlatform());
    }

    private static String context(Construct scope, String key) {
        Object value = scope.getNode().tryGetContext(key);
        if (value == null) {
            throw new IllegalArgumentException("missing context value " + key + ": set it in cdk.json or pass -c "
                    + key + "=...");
        }
        return value.toString();
    }

    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }
}
