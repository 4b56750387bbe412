package io.knativeoneks;

import io.knativeoneks.internal.Validate;
import software.amazon.awscdk.Stack;
import software.constructs.Construct;
import software.constructs.IConstruct;

/** CloudFormation references reach only stacks of one app in one account and region: the check of that. */
final class SameApp {
    private SameApp() {
    }

    /**
     * Checks that {@code self} may reference {@code other}: both in one CDK app, their stacks in one account and
     * region.
     *
     * @param property the property of {@code self} that names {@code other}
     * @param fix what the user should do, for the error
     */
    static void check(Construct self, String property, IConstruct other, String fix) {
        Validate.check(self.getNode().getRoot().equals(other.getNode().getRoot()), self, property,
                other.getNode().getPath(), "is in another CDK app", fix);
        Stack mine = Stack.of(self);
        Stack theirs = Stack.of(other);
        Validate.check(mine.getAccount().equals(theirs.getAccount()) && mine.getRegion().equals(theirs.getRegion()),
                self, property, other.getNode().getPath(), "is in account " + theirs.getAccount() + ", region "
                        + theirs.getRegion() + ", but this construct's stack is in account " + mine.getAccount()
                        + ", region " + mine.getRegion(), fix);
    }
}
