package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.knativeoneks.CdkJson;
import io.knativeoneks.KnativeManifests;
import io.knativeoneks.KnativeManifests.KubernetesObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * What the team relies on, checked without an AWS account. The app is built with this project's cdk.json (its
 * feature flags and context), as {@code cdk synth} builds it.
 */
class OrdersAppTest {
    private static final String KUBECTL = "arn:aws:lambda:eu-west-1:111111111111:function:shared-eks-kubectl-provider";
    private static final OrdersApp.ServicesStack SERVICES = OrdersApp.build(CdkJson.app(Path.of("cdk.json")));
    private static final Stack PLATFORM = (Stack) SERVICES.getNode().getRoot().getNode().findChild("OrdersPlatform");
    private static final Template SERVICES_TEMPLATE = Template.fromStack(SERVICES);
    private static final Template PLATFORM_TEMPLATE = Template.fromStack(PLATFORM);
    private static final KnativeManifests K8S = KnativeManifests.of(SERVICES_TEMPLATE);

    @Test
    void knativeIsInstalledThroughTheSharedClustersKubectlProvider() {
        PLATFORM_TEMPLATE.resourceCountIs("AWS::EKS::Cluster", 0);
        PLATFORM_TEMPLATE.hasResourceProperties("Custom::AWSCDK-EKS-HelmChart", Match.objectLike(Map.of(
                "ServiceToken", KUBECTL, "ClusterName", "shared-eks", "Release", "knative-operator")));
        PLATFORM_TEMPLATE.allResourcesProperties("Custom::AWSCDK-EKS-HelmChart", Match.objectLike(Map.of(
                "ServiceToken", KUBECTL)));
        PLATFORM_TEMPLATE.hasResourceProperties("AWS::EKS::Addon", Map.of(
                "AddonName", "eks-pod-identity-agent", "ClusterName", "shared-eks"));
    }

    @Test
    void ordersRunsTheTeamsImageAndMayReadTheReceiptsBucketAsItsOwnServiceAccount() {
        KubernetesObject orders = K8S.get("Service", "orders", "orders");
        assertEquals("orders", orders.at("spec.template.spec.serviceAccountName"));
        assertTrue(orders.at("spec.template.spec.containers[0].image").toString().endsWith("/team/orders:1.0.0"));

        String role = SERVICES_TEMPLATE.findResources("AWS::IAM::Role").keySet().stream()
                .filter(id -> id.startsWith("OrdersIdentity")).findFirst().orElseThrow();
        SERVICES_TEMPLATE.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(Map.of("Ref", role)),
                "PolicyDocument", Match.objectLike(Map.of("Statement", List.of(Match.objectLike(Map.of(
                        // cdk init's @aws-cdk/aws-iam:minimizePolicies sorts the actions: match them in any order
                        "Action", Match.arrayWith(List.of("s3:GetObject*"))))))))));
        SERVICES_TEMPLATE.hasResourceProperties("AWS::EKS::PodIdentityAssociation", Map.of(
                "ClusterName", Match.anyValue(), "Namespace", "orders", "ServiceAccount", "orders",
                "RoleArn", Map.of("Fn::GetAtt", List.of(role, "Arn"))));
    }

    @Test
    void auditIsBuiltInTheClusterIntoThisStacksRepositoryAndKeepsItsLastPodFiveMinutes() {
        SERVICES_TEMPLATE.resourceCountIs("AWS::ECR::Repository", 1);
        KubernetesObject audit = K8S.get("Service", "orders", "audit");
        KubernetesObject build = K8S.ofKind("Job").get(0);
        assertEquals("audit-build", build.at("spec.template.spec.serviceAccountName"));
        assertTrue(K8S.isAppliedAfter(audit, build), "audit is applied after its build");
        assertEquals("300s", audit.at("spec.template.metadata.annotations"
                + "['autoscaling.knative.dev/scale-to-zero-pod-retention-period']"));
        assertEquals("AUDIT_TABLE", audit.at("spec.template.spec.containers[0].env[0].name"));
        assertTrue(audit.at("spec.template.spec.containers[0].env[0].value").toString()
                .matches("\\$\\{Ref:AuditLog[0-9A-F]{8}}"), "the table's name, known at deploy time");
        assertEquals("*/5 * * * *", K8S.get("PingSource", "orders", "audit-tick").at("spec.schedule"));
    }

    @Test
    void servicesDependOnThePlatformNeverTheOtherWayRound() {
        assertTrue(SERVICES.getDependencies().contains(PLATFORM));
        assertTrue(PLATFORM.getDependencies().isEmpty());
    }

    @Test
    void stacksMatchTheirSnapshots() throws Exception {
        snapshot("orders-platform", PLATFORM_TEMPLATE.toJSON());
        snapshot("orders-services", SERVICES_TEMPLATE.toJSON());
    }

    /**
     * Compares with src/test/snapshots/NAME.json, keys sorted and asset hashes masked (they change with every source
     * edit); mvn test -Dsnapshot.update=true rewrites it.
     */
    private static void snapshot(String name, Map<String, Object> template) throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        String actual = json.writeValueAsString(json.readTree(json.writeValueAsString(template)))
                .replaceAll("[0-9a-f]{64}", "<asset hash>") + "\n";
        Path file = Path.of("src", "test", "snapshots", name + ".json");
        if (Boolean.getBoolean("snapshot.update")) {
            Files.writeString(file, actual);
        }
        assertEquals(Files.readString(file), actual, file + " changed; review and run mvn test -Dsnapshot.update=true");
    }
}
