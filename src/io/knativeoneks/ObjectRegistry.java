package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cdk8s.ApiObject;
import software.amazon.awscdk.Resource;
import software.amazon.awscdk.Stack;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * What a platform's workloads and event flows claim in this app, to refuse clashes at synth: the Kubernetes objects
 * they create, their service accounts, the hosts they answer on, and the stacks that would depend on each other.
 * An imported platform keeps its own: clashes with another app's objects are beyond this app's sight.
 */
final class ObjectRegistry {
    private final Construct platform;
    private final Set<String> serviceAccounts = new HashSet<>();
    /** The hosts workloads answer on, with who answers there (a workload's path, and how). */
    private final Map<String, String> hostOwners = new HashMap<>();
    /**
     * What the platform's stack references in other stacks, with what it is to the platform: the cluster, the
     * hosted zone, custom domains' zones.
     */
    private final Map<IConstruct, String> references = new LinkedHashMap<>();
    /** Workloads and event flows in other stacks than the platform's: their stacks depend on the platform's. */
    private final List<IConstruct> dependents = new ArrayList<>();
    /** The Kubernetes objects workloads and event flows create, by kind, namespace and name, with their creator. */
    private final Map<String, String> objectCreators = new HashMap<>();

    ObjectRegistry(Construct platform) {
        this.platform = platform;
    }

    /**
     * Records that a workload's build or service owns a service account; two sharing one would fight over its Pod
     * Identity association at deploy time.
     */
    void claimServiceAccount(Construct workload, String property, String namespace, String serviceAccount) {
        Validate.check(serviceAccounts.add(namespace + "/" + serviceAccount), workload, property,
                "\"" + serviceAccount + "\"", "is already used by another workload's build or service in namespace "
                        + namespace, "give this workload its own " + property);
    }

    /**
     * Records a host a workload answers on, and refuses one that another workload (or this one, by another of its
     * names) answers on already: Knative would route the host to either.
     *
     * @param makes how {@code value} makes the host, e.g. "makes the host h under Knative's domain template t"
     * @param role how the workload answers on it, for a later clash, e.g. " (its tag \"canary\")", or ""
     */
    void claimHost(Construct workload, String property, String value, String host, String makes, String role,
            String fix) {
        String previous = hostOwners.putIfAbsent(host, workload.getNode().getPath() + role);
        Validate.check(previous == null, workload, property, value, makes + ", which " + previous
                + " answers on already", fix);
    }

    /**
     * Records that {@code dependent}, a workload or event flow of the platform, is in its stack, which therefore
     * depends on the platform's stack; refuses it in a stack the platform's stack references.
     */
    void addDependent(Construct dependent) {
        if (!sameStack(dependent, platform)) {
            dependents.add(dependent);
            references.forEach((referenced, role) -> checkNoCycle(dependent, "platform",
                    platform.getNode().getPath(), referenced, role, dependent));
        }
    }

    /**
     * Records that the platform's stack references {@code referenced} (a resource this app creates; an imported one
     * is named by literal attributes, which reference no stack), and refuses it in the stack of a workload or event
     * flow of the platform: the two stacks would depend on each other, a cycle CloudFormation cannot deploy.
     *
     * @param role what {@code referenced} is to the platform, e.g. "its hostedZone"
     */
    void addReference(Construct reporter, String property, String value, IConstruct referenced, String role) {
        IConstruct named = referenced.getNode().getScope() instanceof KnativeCluster owner ? owner : referenced;
        if (!Resource.isOwnedResource(referenced) || sameStack(named, platform)) {
            return;
        }
        references.put(named, role);
        dependents.forEach(dependent -> checkNoCycle(reporter, property, value, named, role, dependent));
    }

    private void checkNoCycle(Construct reporter, String property, String value, IConstruct referenced, String role,
            IConstruct dependent) {
        String platformStack = Stack.of(platform).getNode().getPath();
        String stack = Stack.of(dependent).getNode().getPath();
        String moved = referenced.getNode().getPath();
        String dependentPath = dependent.getNode().getPath();
        Validate.check(!sameStack(referenced, dependent), reporter, property, value, "would make stacks "
                        + platformStack + " and " + stack + " depend on each other: the platform references " + role
                        + " " + moved + " in " + stack + ", and " + dependentPath + " in " + stack + " depends on the "
                        + "platform",
                "move " + moved + " to stack " + platformStack + " or to a stack of its own, or " + dependentPath
                        + " to another stack");
    }

    private static boolean sameStack(IConstruct a, IConstruct b) {
        return Stack.of(a).getNode().getPath().equals(Stack.of(b).getNode().getPath());
    }

    /**
     * Records the objects of a chart a construct applies, and refuses an object another construct already creates:
     * the second would silently replace the first at deploy time.
     *
     * @param property the user's property that named the objects, for the error message
     */
    void claimObjects(Construct creator, String property, String value, org.cdk8s.Chart chart) {
        for (IConstruct c : chart.getNode().findAll()) {
            if (c instanceof ApiObject object) {
                claimObject(creator, property, value, object.getKind(), object.getMetadata().getNamespace(),
                        object.getName());
            }
        }
    }

    /** Records one object a construct creates, as {@link #claimObjects} does, before its chart exists. */
    void claimObject(Construct creator, String property, String value, String kind, String namespace, String name) {
        String key = kind + " " + namespace + "/" + name;
        String previous = objectCreators.putIfAbsent(key, creator.getNode().getPath());
        Validate.check(previous == null || previous.equals(creator.getNode().getPath()), creator, property,
                "\"" + value + "\"", "would create " + key + ", which " + previous + " already creates",
                "give one of them another " + property + " or namespace");
    }
}
