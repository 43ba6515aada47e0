package io.genomicsbatch.iam;

import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;

import java.util.List;
import java.util.Map;

/**
 * IAM for the ECR pull-through cache, scoped to the cache prefixes' repositories. The hosts pull images
 * with the instance role (the ECS agent's credentials): its managed policy already lets them read any
 * repository, and the first pull of an image through a cache also needs {@code ecr:CreateRepository} (the
 * repository does not exist yet) and {@code ecr:BatchImportUpstreamImage} (ECR user guide, "IAM permissions
 * required to sync an upstream registry"). The repository creation templates tag what they create, for
 * which ECR assumes a role of the account's own ("Create an IAM role for repository creation templates").
 */
public final class RegistryCacheIam {
    private RegistryCacheIam() {
    }

    /** The repositories under each prefix, in the deployment's region and account. */
    static List<String> repositoryArns(AwsAccount a, List<String> prefixes) {
        return prefixes.stream().map(p -> "arn:" + a.partition() + ":ecr:" + a.region() + ":" + a.accountId()
                + ":repository/" + p + "/*").toList();
    }

    /** The instance role's policy: create and import repositories under the cache prefixes only. */
    static String hostPolicy(AwsAccount a, List<String> prefixes) {
        return PolicyDocuments.document(List.of(PolicyDocuments.allow("CacheUpstreamImagesUnderTheCachePrefixes",
                List.of("ecr:CreateRepository", "ecr:BatchImportUpstreamImage"), repositoryArns(a, prefixes))));
    }

    /** The template role's policy: create and tag repositories under the cache prefixes only. */
    static String templatePolicy(AwsAccount a, List<String> prefixes) {
        return PolicyDocuments.document(List.of(PolicyDocuments.allow("CreateTaggedCacheRepositories",
                List.of("ecr:CreateRepository", "ecr:TagResource"), repositoryArns(a, prefixes))));
    }

    /** The instance role's cache policy, as a document: attached to a created role, exported for a brought one. */
    public static Output<String> hostDocument(Output<AwsAccount> account, List<String> prefixes) {
        return account.applyValue(a -> hostPolicy(a, prefixes));
    }

    public static RolePolicy hostAccess(String name, Output<AwsAccount> account, Role instanceRole,
                                        List<String> prefixes, Resource parent) {
        return new RolePolicy(name, RolePolicyArgs.builder()
                .role(instanceRole.id())
                .policy(hostDocument(account, prefixes))
                .build(), CustomResourceOptions.builder().parent(parent).build());
    }

    /** The role ECR assumes to apply a template's tags, and its policy (what the templates must wait for). */
    public record TemplateRole(Role role, RolePolicy policy) {
    }

    /**
     * Trusted by ECR without a source-account condition: AWS documents none for this role, and a condition ECR
     * does not satisfy would leave every first pull failing.
     */
    public static TemplateRole templateRole(String name, Output<AwsAccount> account, List<String> prefixes,
                                            io.genomicsbatch.config.Settings.Iam rules, boolean protect,
                                            Map<String, String> tags, Resource parent) {
        var role = StackRoles.create(name, RoleArgs.builder()
                .description("ECR pull-through cache of Genomics Batch: create and tag cache repositories")
                .assumeRolePolicy(PolicyDocuments.trust("ecr.amazonaws.com", Map.of()))
                .tags(tags), rules, CustomResourceOptions.builder().parent(parent).protect(protect).build());
        var policy = new RolePolicy(name + "-repositories", RolePolicyArgs.builder()
                .role(role.id())
                .policy(account.applyValue(a -> templatePolicy(a, prefixes)))
                .build(), CustomResourceOptions.builder().parent(parent).build());
        return new TemplateRole(role, policy);
    }
}
