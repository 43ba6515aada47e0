package io.genomicsbatch.iam;

import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.resources.CustomResourceOptions;
import io.genomicsbatch.config.Settings;

/**
 * Every role the stack creates, with the account's rules: its permissions boundary and its path. With
 * neither configured, a role's inputs are what they were before the rules existed.
 */
public final class StackRoles {
    private StackRoles() {
    }

    public static Role create(String logicalName, RoleArgs.Builder args, Settings.Iam rules,
                              CustomResourceOptions options) {
        pathOf(rules).ifPresent(args::path);
        rules.permissionsBoundaryArn().ifPresent(args::permissionsBoundary);
        return new Role(logicalName, args.build(), options);
    }

    /** The path to set: none for IAM's default "/", which a role created without one has. */
    static java.util.Optional<String> pathOf(Settings.Iam rules) {
        return java.util.Optional.of(rules.rolePath()).filter(p -> !p.equals(Settings.Iam.DEFAULT_PATH));
    }

    /** The name in a role or instance profile ARN: what follows its last '/' (the path comes before it). */
    public static String nameOf(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }
}
