package io.knativeoneks;

import io.knativeoneks.internal.Tokens;
import io.knativeoneks.internal.Validate;
import java.util.List;
import software.amazon.awscdk.IResource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/** What every AWS event source and sink does with its resource: the account check and the grant on the flow's role. */
final class AwsEventGrants {
    private AwsEventGrants() {
    }

    /**
     * Refuses a resource of another account (when both accounts are known): a policy of the flow's role cannot
     * reach it unless the resource's own policy allows the role too, which the flow cannot write.
     */
    static void checkAccount(Construct events, String property, IResource resource, String what) {
        String theirs = resource.getEnv().getAccount();
        String mine = Stack.of(events).getAccount();
        Validate.check(Tokens.isUnresolved(theirs) || Tokens.isUnresolved(mine) || theirs.equals(mine), events,
                property, resource.getNode().getPath(), "is a " + what + " of account " + theirs + ", but the "
                        + "flow's role is in account " + mine + " (its grants do not reach another account)",
                "use a " + what + " of account " + mine);
    }

    /**
     * Grants {@code actions} on {@code resources} to {@code role} in its own policy (so a resource of another stack
     * is only referenced, never changed), and {@code keyActions} on {@code key} when there is one.
     */
    static void grant(IRole role, List<String> actions, List<String> resources, IKey key, String... keyActions) {
        Grant.addToPrincipal(GrantOnPrincipalOptions.builder().grantee(role).actions(actions)
                .resourceArns(resources).build());
        if (key != null) {
            key.grant(role, keyActions);
        }
    }
}
