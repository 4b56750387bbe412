package libraryuser;

import io.knativeoneks.KnativeCluster;
import io.knativeoneks.KnativePlatform;
import io.knativeoneks.Autoscaler;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.Vpc;
import software.constructs.Construct;

/**
 * How another team uses the library in its own CDK app: its own stack and VPC, its own application namespace and
 * domain, and no cold starts (one pod kept warm per revision). Uses only the public API.
 */
public final class LibraryUserApp {
    private LibraryUserApp() {
    }

    /** A team's stack: an existing network layout, with Knative added on top. */
    public static final class TeamPlatformStack extends Stack {
        public TeamPlatformStack(Construct scope, String id, StackProps props) {
            super(scope, id, props);
            Vpc vpc = Vpc.Builder.create(this, "TeamVpc").maxAzs(3).natGateways(2).build();
            KnativeCluster cluster = KnativeCluster.Builder.create(this, "Cluster")
                    .vpc(vpc)
                    .desiredSize(3)
                    .maxSize(6)
                    .build();
            KnativePlatform.Builder.create(this, "Knative")
                    .cluster(cluster)
                    .appNamespace("team-apps")
                    .domain("apps.team.example.org")
                    .autoscaler(Autoscaler.builder()
                            .minScale(1)
                            .scaleToZeroPodRetentionPeriod(Duration.minutes(10))
                            .build())
                    .build();
        }
    }

    public static void main(String[] args) {
        App app = new App();
        new TeamPlatformStack(app, "TeamKnative", StackProps.builder().build());
        app.synth();
    }
}
