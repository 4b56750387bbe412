package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** What the team relies on, checked without an AWS account. */
class OrdersAppTest {
    private static final String KUBECTL = "arn:aws:lambda:eu-west-1:111111111111:function:shared-eks-kubectl-provider";
    private static final Map<String, Object> CONTEXT = Map.of(
            "clusterName", "shared-eks",
            "clusterEndpoint", "https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
            "clusterCertificateAuthorityData", "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t",
            "kubectlServiceToken", KUBECTL,
            "account", "111111111111",
            "region", "eu-west-1");
    private static final OrdersApp.ServicesStack SERVICES =
            OrdersApp.build(new App(AppProps.builder().context(CONTEXT).build()));
    private static final Stack PLATFORM = (Stack) SERVICES.getNode().getRoot().getNode().findChild("OrdersPlatform");
    private static final Template SERVICES_TEMPLATE = Template.fromStack(SERVICES);
    private static final Template PLATFORM_TEMPLATE = Template.fromStack(PLATFORM);

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
    void ordersMayReadTheReceiptsBucketAsItsOwnServiceAccount() {
        String role = SERVICES_TEMPLATE.findResources("AWS::IAM::Role").keySet().stream()
                .filter(id -> id.startsWith("OrdersIdentity")).findFirst().orElseThrow();
        SERVICES_TEMPLATE.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(Map.of("Ref", role)),
                "PolicyDocument", Match.objectLike(Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Action", List.of("s3:GetObject*", "s3:GetBucket*", "s3:List*")))))))));
        SERVICES_TEMPLATE.hasResourceProperties("AWS::EKS::PodIdentityAssociation", Map.of(
                "ClusterName", Match.anyValue(), "Namespace", "orders", "ServiceAccount", "orders",
                "RoleArn", Map.of("Fn::GetAtt", List.of(role, "Arn"))));
        assertThat(manifests()).anyMatch(m -> m.contains("\"serviceAccountName\":\"orders\"")
                && m.contains(":1.0.0\""));
    }

    @Test
    void servicesDependOnThePlatformNeverTheOtherWayRound() {
        assertThat(SERVICES.getDependencies()).contains(PLATFORM);
        assertThat(PLATFORM.getDependencies()).isEmpty();
    }

    @Test
    void stacksMatchTheirSnapshots() throws Exception {
        snapshot("orders-platform", PLATFORM_TEMPLATE.toJSON());
        snapshot("orders-services", SERVICES_TEMPLATE.toJSON());
    }

    private static List<String> manifests() {
        return SERVICES_TEMPLATE.findResources("Custom::AWSCDK-EKS-KubernetesResource").values().stream()
                .map(r -> String.valueOf(((Map<?, ?>) r.get("Properties")).get("Manifest"))).toList();
    }

    /** Compares with src/test/snapshots/NAME.json; mvn test -Dsnapshot.update=true rewrites it. */
    private static void snapshot(String name, Map<String, Object> template) throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        String actual = json.writeValueAsString(json.readTree(json.writeValueAsString(template)))
                .replaceAll("[0-9a-f]{64}", "<asset hash>") + "\n";
        Path file = Path.of("src", "test", "snapshots", name + ".json");
        if (Boolean.getBoolean("snapshot.update")) {
            Files.writeString(file, actual);
        }
        assertThat(actual).as("%s changed; review and run mvn test -Dsnapshot.update=true", file)
                .isEqualTo(Files.readString(file));
    }
}
