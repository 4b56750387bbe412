package io.knativeoneks;

import static io.knativeoneks.ValidationRows.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.eks_v2.KubernetesVersion;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Validation rows of KnativeCluster and KnativeClusterProps: sizes, versions, the admin, the API endpoint, removal
 * and pod identities. Run by {@link ValidationTest}.
 */
final class ClusterRows {
    private ClusterRows() {
    }

    static Stream<Arguments> badRows() {
        return Stream.of(
                bad("KnativeClusterProps.removalPolicy", "removal policy null",
                        s -> clusterBuilder(s).removalPolicy(null).build(),
                        "[Test/Cluster] removalPolicy" + NOT_NULL + "removalPolicy unset for its default, or pass "
                                + "a value"),
                bad("KnativeClusterProps.logRetention", "log retention null",
                        s -> clusterBuilder(s).logRetention(null).build(),
                        "[Test/Cluster] logRetention" + NOT_NULL + "logRetention unset for its default, or pass "
                                + "a value"),
                bad("KnativeClusterProps.removalPolicy", "cluster removal policy SNAPSHOT",
                        s -> clusterBuilder(s).removalPolicy(RemovalPolicy.SNAPSHOT).build(), "[Test/Cluster] "
                                + "removalPolicy (SNAPSHOT) " + REMOVAL),
                bad("KnativeClusterProps.vpc", "vpc null", s -> clusterBuilder(s).vpc(null).build(),
                        "[Test/Cluster] vpc" + NOT_NULL + "vpc unset for its default, or pass a value"),
                bad("KnativeClusterProps.kubernetesVersion", "kubernetes too old for default layer",
                        s -> clusterBuilder(s).kubernetesVersion(KubernetesVersion.V1_33).build(),
                        "[Test/Cluster] kubernetesVersion (1.33) must be within one minor of the default kubectl "
                                + "layer (1.36): use 1.35 to 1.37, or pass a kubectlLayer that matches your version"),
                bad("KnativeClusterProps.kubernetesVersion", "kubernetes too new for default layer",
                        s -> clusterBuilder(s).kubernetesVersion(KubernetesVersion.of("1.38")).build(),
                        "[Test/Cluster] kubernetesVersion (1.38) must be within one minor of the default kubectl "
                                + "layer (1.36): use 1.35 to 1.37, or pass a kubectlLayer that matches your version"),
                bad("KnativeClusterProps.kubernetesVersion", "kubernetes version malformed",
                        s -> clusterBuilder(s).kubernetesVersion(KubernetesVersion.of("latest")).build(),
                        "[Test/Cluster] kubernetesVersion (latest) must be of the form 1.N: use a KubernetesVersion "
                                + "constant such as KubernetesVersion.V1_36"),
                bad("KnativeClusterProps.kubectlLayer", "kubectl layer null",
                        s -> clusterBuilder(s).kubectlLayer(null).build(),
                        "[Test/Cluster] kubectlLayer" + NOT_NULL + "kubectlLayer unset for its default, or pass a "
                                + "value"),
                bad("KnativeClusterProps.instanceType", "instance too small",
                        s -> clusterBuilder(s).instanceType(new InstanceType("t3.micro")).build(),
                        "[Test/Cluster] instanceType (t3.micro) is too small to host the Istio and Knative control "
                                + "planes (sizes [nano, micro, small, medium] are not allowed): use large or bigger, "
                                + "e.g. m6i.xlarge"),
                bad("KnativeClusterProps.instanceType", "instance malformed",
                        s -> clusterBuilder(s).instanceType(new InstanceType("m6ixlarge")).build(),
                        "[Test/Cluster] instanceType (\"m6ixlarge\") must be an EC2 instance type such as m6i.xlarge: "
                                + "use the <family>.<size> form"),
                bad("KnativeClusterProps.desiredSize", "no nodes", s -> clusterBuilder(s).desiredSize(0).build(),
                        "[Test/Cluster] desiredSize (0) must be between 1 and 450: set desiredSize within that range"),
                bad("KnativeClusterProps.desiredSize", "desired above max",
                        s -> clusterBuilder(s).desiredSize(5).minSize(1).maxSize(3).build(),
                        "[Test/Cluster] desiredSize (5) must lie between minSize (1) and maxSize (3): change "
                                + "desiredSize or the bounds"),
                bad("KnativeClusterProps.minSize", "negative min", s -> clusterBuilder(s).minSize(-1).build(),
                        "[Test/Cluster] minSize (-1) must be between 0 and 450: set minSize within that range"),
                bad("KnativeClusterProps.minSize", "min above max", s -> clusterBuilder(s).minSize(5).maxSize(3)
                        .build(), "[Test/Cluster] minSize (5) must not exceed maxSize (3): raise maxSize or lower "
                                + "minSize"),
                bad("KnativeClusterProps.maxSize", "too many nodes", s -> clusterBuilder(s).maxSize(1000).build(),
                        "[Test/Cluster] maxSize (1000) must be between 1 and 450: set maxSize within that range"),
                bad("KnativeClusterProps.adminPrincipalArn", "admin not an ARN",
                        s -> clusterBuilder(s).adminPrincipalArn("alice").build(),
                        "[Test/Cluster] adminPrincipalArn (\"alice\") must be an IAM role or user ARN: use "
                                + "arn:<partition>:iam::<account>:role/<name> with partition aws, aws-cn, aws-us-gov, "
                                + "aws-iso*, or aws-eusc (for an assumed-role session, the role it assumed)"),
                bad("KnativeClusterProps.adminPrincipalArn", "admin is an STS session",
                        s -> clusterBuilder(s).adminPrincipalArn("arn:aws:sts::" + NINE + ":assumed-role/Admin/alice")
                                .build(), "[Test/Cluster] adminPrincipalArn (\"arn:aws:sts::" + NINE
                                + ":assumed-role/Admin/alice\") must be an IAM role or user ARN: use "
                                + "arn:<partition>:iam::<account>:role/<name> with partition aws, aws-cn, aws-us-gov, "
                                + "aws-iso*, or aws-eusc (for an assumed-role session, the role it assumed)"),
                bad("KnativeClusterProps.adminPrincipalArn", "admin with whitespace",
                        s -> clusterBuilder(s).adminPrincipalArn("arn:aws:iam::" + NINE + ":role/Platform Admin")
                                .build(), "[Test/Cluster] adminPrincipalArn (\"arn:aws:iam::" + NINE
                                + ":role/Platform Admin\") must be an IAM role or user ARN: use "
                                + "arn:<partition>:iam::<account>:role/<name> with partition aws, aws-cn, aws-us-gov, "
                                + "aws-iso*, or aws-eusc (for an assumed-role session, the role it assumed)"),
                bad("KnativeClusterProps.adminPrincipalArn", "admin in unknown partition",
                        s -> clusterBuilder(s).adminPrincipalArn("arn:aws-mars:iam::" + NINE + ":role/Admin").build(),
                        "[Test/Cluster] adminPrincipalArn (\"arn:aws-mars:iam::" + NINE + ":role/Admin\") must be "
                                + "an IAM role or user ARN: use arn:<partition>:iam::<account>:role/<name> with "
                                + "partition aws, aws-cn, aws-us-gov, aws-iso*, or aws-eusc (for an assumed-role "
                                + "session, the role it assumed)"),
                bad("KnativeClusterProps.adminPrincipalArn", "admin from context", s -> {
                    s.getNode().setContext("adminPrincipalArn", "bob");
                    clusterBuilder(s).build();
                }, "[Test/Cluster] adminPrincipalArn (\"bob\") must be an IAM role or user ARN: use "
                        + "arn:<partition>:iam::<account>:role/<name> with partition aws, aws-cn, aws-us-gov, "
                        + "aws-iso*, or aws-eusc (for an assumed-role session, the role it assumed)"),
                bad("KnativeClusterProps.adminPrincipalArn", "admin null",
                        s -> clusterBuilder(s).adminPrincipalArn(null).build(),
                        "[Test/Cluster] adminPrincipalArn" + NOT_NULL + "adminPrincipalArn unset for its default, "
                                + "or pass a value"),
                bad("KnativeClusterProps.apiAllowedCidrs", "CIDR prefix too long",
                        s -> clusterBuilder(s).apiAllowedCidrs(List.of("203.0.113.0/33")).build(),
                        "[Test/Cluster] apiAllowedCidrs (\"203.0.113.0/33\") must be an IPv4 CIDR block: use a value "
                                + "such as \"203.0.113.0/24\""),
                bad("KnativeClusterProps.apiAllowedCidrs", "CIDR octet out of range",
                        s -> clusterBuilder(s).apiAllowedCidrs(List.of("198.51.100.0/24", "256.1.1.0/24")).build(),
                        "[Test/Cluster] apiAllowedCidrs (\"256.1.1.0/24\") must be an IPv4 CIDR block: use a value "
                                + "such as \"203.0.113.0/24\""),
                bad("KnativeClusterProps.apiAllowedCidrs", "CIDR private", s -> clusterBuilder(s)
                        .apiAllowedCidrs(List.of("10.1.0.0/16")).build(), "[Test/Cluster] apiAllowedCidrs "
                                + "(\"10.1.0.0/16\") lies in 10.0.0.0/8, which is not publicly routable (EKS takes "
                                + "only public addresses for the public endpoint; the private endpoint already serves "
                                + "the VPC): list the public addresses your clients connect from, or pass an empty "
                                + "list for a private endpoint"),
                bad("KnativeClusterProps.apiAllowedCidrs", "CIDR loopback", s -> clusterBuilder(s)
                        .apiAllowedCidrs(List.of("127.0.0.1/32")).build(), "[Test/Cluster] apiAllowedCidrs "
                                + "(\"127.0.0.1/32\") lies in 127.0.0.0/8, which is not publicly routable (EKS takes "
                                + "only public addresses for the public endpoint; the private endpoint already serves "
                                + "the VPC): list the public addresses your clients connect from, or pass an empty "
                                + "list for a private endpoint"),
                bad("KnativeClusterProps.apiAllowedCidrs", "CIDR element null", s -> clusterBuilder(s)
                        .apiAllowedCidrs(Arrays.asList("198.51.100.0/24", null)).build(),
                        "[Test/Cluster] apiAllowedCidrs (null) must not be null: use a value such as "
                                + "\"203.0.113.0/24\""),
                bad("KnativeClusterProps.apiAllowedCidrs", "CIDRs null",
                        s -> clusterBuilder(s).apiAllowedCidrs(null).build(),
                        "[Test/Cluster] apiAllowedCidrs" + NOT_NULL + "apiAllowedCidrs unset for its default, or "
                                + "pass a value"),
                bad("new KnativeCluster", "cluster without props", s -> new KnativeCluster(s, "Cluster", null),
                        "[Test/Cluster] props (null) is required: pass KnativeClusterProps.builder().build()"),
                bad("KnativeCluster.podIdentityRole", "pod identity in kube-system", s -> clusterBuilder(s).build()
                        .podIdentityRole("Dns", "kube-system", "coredns"),
                        "[Test/Cluster] namespace (\"kube-system\") must not be a namespace of Kubernetes (kube-*), "
                                + "Knative (knative-*) or Istio (istio-system): use \"default\" or a namespace of your "
                                + "own"),

                // PodIdentityRole on its own, for any eks_v2 cluster
                bad("PodIdentityRole.Builder.cluster", "pod identity role without cluster",
                        s -> PodIdentityRole.Builder.create(s, "Role").namespace("reports").serviceAccount("reader")
                                .build(),
                        "[Test/Role] cluster (null) is required: pass the EKS cluster the pods run on"),
                bad("PodIdentityRole.Builder.namespace", "pod identity role namespace not a label",
                        s -> podIdentityRole(s).namespace("Reports").build(),
                        "[Test/Role] namespace (\"Reports\") must be a DNS-1123 label (lower-case letters, digits and "
                                + "'-', starting and ending with a letter or digit, at most 63 characters): use a "
                                + "value such as \"my-name\""),
                bad("PodIdentityRole.Builder.serviceAccount", "pod identity role service account not a label",
                        s -> podIdentityRole(s).serviceAccount("reader_1").build(),
                        "[Test/Role] serviceAccount (\"reader_1\") must be a DNS-1123 label (lower-case letters, "
                                + "digits and '-', starting and ending with a letter or digit, at most 63 characters): "
                                + "use a value such as \"my-name\""));
    }

    static Stream<Arguments> goodRows() {
        return Stream.of(
                good(List.of("KnativeClusterProps.kubernetesVersion", "KnativeClusterProps.instanceType",
                        "KnativeClusterProps.desiredSize", "KnativeClusterProps.minSize", "KnativeClusterProps.maxSize",
                        "KnativeClusterProps.vpc", "KnativeClusterProps.kubectlLayer"),
                        "kubernetes 1.34, ARM nodes, explicit sizes, own VPC and layer", s -> KnativeCluster.Builder
                                .create(s, "C").kubernetesVersion(KubernetesVersion.V1_34)
                                .instanceType(new InstanceType("m7g.large")).desiredSize(3).minSize(1).maxSize(450)
                                .vpc(software.amazon.awscdk.services.ec2.Vpc.Builder.create(s, "Vpc").build())
                                .kubectlLayer(LayerVersion.fromLayerVersionArn(s, "Layer",
                                        "arn:aws:lambda:us-east-1:" + NINE + ":layer:kubectl:1"))
                                .build(),
                        c -> {
                            assertThat(c.getKubernetesMinor()).isEqualTo(34);
                            assertThat(c.getCluster().getVpc()).isSameAs(child(Stack.of(c), "Vpc"));
                            Template t = template(Stack.of(c));
                            t.hasResourceProperties("AWS::EKS::Cluster", Match.objectLike(Map.of("Version", "1.34")));
                            t.hasResourceProperties("AWS::EKS::Nodegroup", Match.objectLike(Map.of(
                                    "InstanceTypes", List.of("m7g.large"), "AmiType", "AL2023_ARM_64_STANDARD",
                                    "ScalingConfig", Map.of("DesiredSize", 3, "MinSize", 1, "MaxSize", 450))));
                            t.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Layers",
                                    Match.arrayWith(List.of("arn:aws:lambda:us-east-1:" + NINE + ":layer:kubectl:1")))));
                            assertThat(t.findResources("AWS::Lambda::LayerVersion").toString()).as("no kubectl layer of "
                                    + "our own").doesNotContain("kubectl 1.");
                        }),
                good(List.of("KnativeClusterProps.removalPolicy", "KnativeClusterProps.logRetention"),
                        "retained data, also past a failed create; logs kept a day", s -> {
                            clusterBuilder(s).removalPolicy(RemovalPolicy.RETAIN).logRetention(RetentionDays.ONE_DAY)
                                    .build();
                            KnativeCluster.Builder.create(s, "Kept")
                                    .removalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE).build();
                            return s;
                        },
                        s -> {
                            Template t = template(s);
                            assertThat(t.findResources("AWS::KMS::Key").values()).extracting(r -> r.get("DeletionPolicy"))
                                    .contains("Retain", "RetainExceptOnCreate").doesNotContain("Snapshot", "Delete");
                            assertThat(t.findResources("AWS::Logs::LogGroup").values())
                                    .extracting(r -> (Object) ((Map<?, ?>) r.get("Properties")).get("RetentionInDays"))
                                    .contains(1);
                            assertThat(((KnativeCluster) child(s, "Cluster")).getLogRetention())
                                    .isEqualTo(RetentionDays.ONE_DAY);
                        }),
                good(List.of("KnativeClusterProps.apiAllowedCidrs"), "public, open and private endpoints", s -> {
                    clusterBuilder(s).apiAllowedCidrs(List.of("203.0.113.0/24", "198.51.100.7/32")).build();
                    KnativeCluster.Builder.create(s, "Open").apiAllowedCidrs(List.of("0.0.0.0/0")).build();
                    KnativeCluster.Builder.create(s, "Private").apiAllowedCidrs(List.of()).build();
                    return s;
                }, s -> {
                    Template t = template(s);
                    t.hasResourceProperties("AWS::EKS::Cluster", Match.objectLike(Map.of("ResourcesVpcConfig",
                            Match.objectLike(Map.of("EndpointPublicAccess", true, "PublicAccessCidrs",
                                    List.of("203.0.113.0/24", "198.51.100.7/32"))))));
                    t.hasResourceProperties("AWS::EKS::Cluster", Match.objectLike(Map.of("ResourcesVpcConfig",
                            Match.objectLike(Map.of("EndpointPublicAccess", false)))));
                    assertThat(warnings(s)).anyMatch(w -> w.startsWith("/Test/Open: ")
                            && w.contains("open to all addresses")).noneMatch(w -> w.startsWith("/Test/Cluster: ")
                            && w.contains("open to all addresses"));
                }),
                good(List.of("KnativeClusterProps.adminPrincipalArn"), "admins in every partition, paths and tokens",
                        s -> {
                            int i = 0;
                            for (String arn : List.of("arn:aws:iam::" + NINE + ":role/Admin",
                                    "arn:aws-cn:iam::" + NINE + ":role/ops/Admin",
                                    "arn:aws-us-gov:iam::" + NINE + ":user/alice@example.com",
                                    "arn:aws-iso-b:iam::" + NINE + ":role/a+b=c,d.e_f-g",
                                    token(s, "Admin"))) {
                                KnativeCluster.Builder.create(s, "C" + i++).adminPrincipalArn(arn).build();
                            }
                            return s;
                        },
                        s -> {
                            Template t = template(s);
                            for (String arn : List.of("arn:aws:iam::" + NINE + ":role/Admin",
                                    "arn:aws-cn:iam::" + NINE + ":role/ops/Admin",
                                    "arn:aws-us-gov:iam::" + NINE + ":user/alice@example.com",
                                    "arn:aws-iso-b:iam::" + NINE + ":role/a+b=c,d.e_f-g")) {
                                t.hasResourceProperties("AWS::EKS::AccessEntry", Match.objectLike(Map.of(
                                        "PrincipalArn", arn)));
                            }
                            t.hasResourceProperties("AWS::EKS::AccessEntry", Match.objectLike(Map.of(
                                    "PrincipalArn", Map.of("Ref", "Admin"))));
                            assertThat(warnings(s)).noneMatch(w -> w.contains("No adminPrincipalArn"));
                        }),
                good(List.of("PodIdentityRole.Builder.cluster", "PodIdentityRole.Builder.namespace",
                        "PodIdentityRole.Builder.serviceAccount"), "a pod identity role on an imported cluster",
                        s -> podIdentityRole(s).build(),
                        role -> {
                            assertThat(List.of(role.getNamespace(), role.getServiceAccount()))
                                    .containsExactly("reports", "reader");
                            template(Stack.of(role)).hasResourceProperties("AWS::EKS::PodIdentityAssociation",
                                    Match.objectLike(Map.of("ClusterName", "apps", "Namespace", "reports",
                                            "ServiceAccount", "reader")));
                        }),
                good(List.of("KnativeCluster.podIdentityRole"), "a pod identity for an app's service account",
                        s -> clusterBuilder(s).build().podIdentityRole("App", "default", "app"),
                        role -> {
                            assertThat(List.of(role.getNamespace(), role.getServiceAccount()))
                                    .containsExactly("default", "app");
                            template(Stack.of(role)).hasResourceProperties("AWS::EKS::PodIdentityAssociation",
                                    Match.objectLike(Map.of("Namespace", "default", "ServiceAccount", "app",
                                            "RoleArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp(
                                                    "ClusterApp.*"), "Arn")))));
                        }));
    }
}
