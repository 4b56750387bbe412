package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import io.knativeoneks.common.Versions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.Vpc;

/** The cluster on its own: version, nodes, add-ons, access and outputs. */
class KnativeClusterTest {
    private static final String ADMIN = "arn:aws:iam::123456789012:role/PlatformAdmin";

    private static Template defaults;

    @BeforeAll
    static void synth() {
        App app = new App();
        app.getNode().setContext(KnativeClusterProps.ADMIN_PRINCIPAL_CONTEXT_KEY, ADMIN);
        Stack stack = new Stack(app, "Defaults");
        KnativeCluster.Builder.create(stack, "Cluster").build();
        defaults = Template.fromStack(stack);
    }

    @Test
    void clusterRunsAKubernetesVersionInStandardSupport() {
        defaults.hasResourceProperties("AWS::EKS::Cluster", Match.objectLike(Map.of(
                "Version", Versions.KUBERNETES,
                "AccessConfig", Map.of("AuthenticationMode", "API"))));
    }

    @Test
    void nodegroupHasTwoAl2023NodesBigEnoughForTheControlPlanes() {
        defaults.resourceCountIs("AWS::EKS::Nodegroup", 1);
        defaults.hasResourceProperties("AWS::EKS::Nodegroup", Match.objectLike(Map.of(
                "AmiType", "AL2023_x86_64_STANDARD",
                "InstanceTypes", List.of("m6i.xlarge"),
                "ScalingConfig", Map.of("DesiredSize", 2, "MinSize", 2, "MaxSize", 4))));
    }

    @Test
    void nodesMayPullFromEcr() {
        Object readOnly = Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                ":iam::aws:policy/AmazonEC2ContainerRegistryReadOnly")));
        defaults.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "AssumeRolePolicyDocument", Match.objectLike(Map.of("Statement", List.of(Match.objectLike(
                        Map.of("Principal", Map.of("Service", "ec2.amazonaws.com")))))),
                "ManagedPolicyArns", Match.arrayWith(List.of(readOnly)))));
    }

    @Test
    void podIdentityAgentIsInstalled() {
        defaults.hasResourceProperties("AWS::EKS::Addon", Map.of(
                "AddonName", "eks-pod-identity-agent",
                "ClusterName", Match.anyValue()));
    }

    @Test
    void adminFromContextGetsAClusterAdminAccessEntry() {
        defaults.hasResourceProperties("AWS::EKS::AccessEntry", Match.objectLike(Map.of(
                "PrincipalArn", ADMIN,
                "AccessPolicies", List.of(Match.objectLike(Map.of(
                        "AccessScope", Map.of("Type", "cluster"),
                        "PolicyArn", Map.of("Fn::Join", List.of("", Match.arrayWith(List.of(
                                ":eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"))))))))));
    }

    @Test
    void kubectlLayerComesFromTheNpmPackage() {
        defaults.hasResourceProperties("AWS::Lambda::LayerVersion", Match.objectLike(Map.of(
                "Description", "kubectl 1." + Versions.KUBECTL_LAYER_MINOR + " and helm from "
                        + Versions.KUBECTL_LAYER_PACKAGE + " " + Versions.KUBECTL_LAYER)));
    }

    @Test
    void outputsTheUpdateKubeconfigCommand() {
        defaults.hasOutput("*", Match.objectLike(Map.of("Value", Map.of("Fn::Join", List.of("", List.of(
                "aws eks update-kubeconfig --name ", Map.of("Ref", Match.anyValue()), " --region ",
                Map.of("Ref", "AWS::Region")))))));
    }

    @Test
    void ownVpcArmNodesAndSizes() {
        Stack stack = new Stack(new App(), "Custom");
        Vpc vpc = Vpc.Builder.create(stack, "MyVpc").build();
        KnativeCluster.Builder.create(stack, "Cluster").vpc(vpc).instanceType(new InstanceType("m7g.large"))
                .desiredSize(3).minSize(1).maxSize(6).adminPrincipalArn(ADMIN).build();
        Template template = Template.fromStack(stack);
        template.resourceCountIs("AWS::EC2::VPC", 1);
        template.hasResourceProperties("AWS::EKS::Nodegroup", Match.objectLike(Map.of(
                "AmiType", "AL2023_ARM_64_STANDARD",
                "ScalingConfig", Map.of("DesiredSize", 3, "MinSize", 1, "MaxSize", 6))));
        // the load balancer of the Istio gateway finds the public subnets by this tag
        template.hasResourceProperties("AWS::EC2::Subnet", Match.objectLike(Map.of(
                "VpcId", Map.of("Ref", Match.stringLikeRegexp("MyVpc.*")),
                "Tags", Match.arrayWith(List.of(Map.of("Key", "kubernetes.io/role/elb", "Value", "1"))))));
    }

    @Test
    void warnsAboutAnApiEndpointOpenToAllAndRestrictsItWhenAsked() {
        Stack open = new Stack(new App(), "Open");
        KnativeCluster.Builder.create(open, "Cluster").adminPrincipalArn(ADMIN).build();
        Annotations.fromStack(open).hasWarning("/Open/Cluster",
                Match.stringLikeRegexp("The Kubernetes API endpoint is public and open to all addresses.*"));

        Stack restricted = new Stack(new App(), "Restricted");
        KnativeCluster.Builder.create(restricted, "Cluster").adminPrincipalArn(ADMIN)
                .apiAllowedCidrs(List.of("203.0.113.0/24")).build();
        Annotations.fromStack(restricted).hasNoWarning("*", Match.stringLikeRegexp(".*open to all addresses.*"));
        Template template = Template.fromStack(restricted);
        template.hasResourceProperties("AWS::EKS::Cluster", Match.objectLike(Map.of("ResourcesVpcConfig",
                Match.objectLike(Map.of("EndpointPublicAccess", true, "PublicAccessCidrs",
                        List.of("203.0.113.0/24"))))));
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Description", "onEvent handler for EKS kubectl resource provider",
                "VpcConfig", Match.objectLike(Map.of("SubnetIds", Match.anyValue())))));
    }

    @Test
    void warnsWhenNoOneCanReachTheCluster() {
        Stack stack = new Stack(new App(), "NoAdmin");
        KnativeCluster.Builder.create(stack, "Cluster").build();
        Annotations.fromStack(stack).hasWarning("/NoAdmin/Cluster",
                Match.stringLikeRegexp("No adminPrincipalArn.*cdk deploy -c adminPrincipalArn=.*"));
        assertThat(Template.fromStack(stack).findResources("AWS::EKS::AccessEntry")).hasSize(1);
    }
}
