package io.genomicsbatch.registry;

import com.pulumi.aws.ecr.PullThroughCacheRule;
import com.pulumi.aws.ecr.PullThroughCacheRuleArgs;
import com.pulumi.aws.ecr.RepositoryCreationTemplate;
import com.pulumi.aws.ecr.RepositoryCreationTemplateArgs;
import com.pulumi.aws.ecr.inputs.RepositoryCreationTemplateEncryptionConfigurationArgs;
import com.pulumi.aws.iam.Role;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.genomicsbatch.compute.UserData;
import io.genomicsbatch.config.CacheUpstream;
import io.genomicsbatch.config.ConfigKey;
import io.genomicsbatch.config.ConfigProblem;
import io.genomicsbatch.config.Settings;
import io.genomicsbatch.config.SettingsValidator;
import io.genomicsbatch.iam.AwsAccount;
import io.genomicsbatch.iam.PolicyDocuments;
import io.genomicsbatch.iam.RegistryCacheIam;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ECR pull-through cache rules for public registries, one per configured upstream, each with a
 * repository creation template for the repositories ECR creates on the first pull of an image: encrypted,
 * tagged like the rest of the environment (so their storage counts in its costs), mutable tags (a cache
 * follows its upstream's tags), and a lifecycle policy that expires cached images. The hosts may create
 * and import repositories under the cache prefixes only ({@link RegistryCacheIam}).
 */
public final class PullThroughCache {
    private PullThroughCache() {
    }

    /** The instance role's inline policy for the cache: its name's suffix, also in the brought role's export. */
    public static final String HOST_POLICY_NAME = "registry-cache";
    /** Cached images expire this long after ECR cached them; the next pull caches them again from upstream. */
    public static final int EXPIRE_AFTER_DAYS = 90;
    /** Untagged images (a tag the upstream moved leaves the old image untagged) expire after this. */
    public static final int EXPIRE_UNTAGGED_AFTER_DAYS = 1;

    /**
     * @param name         prefix of the logical names
     * @param namePrefix   the environment's AWS name prefix, part of every default cache prefix
     * @param instanceRole the hosts' role, which gets the cache policy; empty when the role is brought
     *                     (instanceProfileArn): its policy is then exported ({@link Built#hostDocument})
     * @param iamRules     the boundary and path of the role this creates
     * @param tags         the tags of every resource, also the cache repositories' tags
     */
    public record Props(String name, String namePrefix, Settings.RegistryCache cache, Output<AwsAccount> account,
                        java.util.Optional<Role> instanceRole, Settings.Iam iamRules, boolean protect,
                        Map<String, String> tags, Resource parent) {
        public Props {
            tags = Map.copyOf(tags);
        }
    }

    /**
     * What was built.
     *
     * @param hostPolicy    the instance role's cache policy (compute environments wait for it); empty for a
     *                      brought instance role
     * @param hostDocument  that policy's document, which a brought instance role needs
     * @param imagePrefixes per upstream, what goes before an upstream image's repository name:
     *                      {@code ACCOUNT.dkr.ecr.REGION.DNS-SUFFIX/PREFIX}
     */
    public record Built(java.util.Optional<Resource> hostPolicy, Output<String> hostDocument,
                        Map<CacheUpstream, Output<String>> imagePrefixes) {
        /**
         * The cache Nextflow takes images named without a registry from ({@code docker.registry}): Quay's,
         * where nf-core pipelines take such names from, else Docker Hub's, Docker's default registry. ECR
         * Public images are always named with their registry, which Nextflow never rewrites.
         */
        public Optional<Output<String>> nextflowRegistry() {
            return java.util.stream.Stream.of(CacheUpstream.QUAY, CacheUpstream.DOCKER_HUB)
                    .map(imagePrefixes::get).filter(java.util.Objects::nonNull).findFirst();
        }
    }

    /** Each rule's repository prefix, in the order of the rules. */
    public static Map<CacheUpstream, String> prefixes(String namePrefix, Settings.RegistryCache cache) {
        var prefixes = new LinkedHashMap<CacheUpstream, String>();
        cache.rules().forEach(r -> prefixes.put(r.upstream(), r.repositoryPrefix(namePrefix)));
        return prefixes;
    }

    /**
     * A problem when a default prefix (the environment's name prefix and the upstream) is no prefix ECR takes,
     * as with a long stack name, or is another rule's: the key's own values are {@link SettingsValidator}'s.
     */
    public static Optional<ConfigProblem> check(String namePrefix, Settings.Environment settings) {
        var parts = new ArrayList<String>();
        var given = new HashSet<String>();
        Optional<CacheUpstream> example = Optional.empty();
        settings.registryCache().rules().forEach(r -> r.prefix().ifPresent(given::add));
        for (var rule : settings.registryCache().rules()) {
            if (rule.prefix().isPresent()) {
                continue;
            }
            var prefix = rule.repositoryPrefix(namePrefix);
            var why = SettingsValidator.cachePrefixProblem(prefix).isPresent()
                    ? Optional.of(prefix.length() + " characters, or characters ECR refuses")
                    : Optional.ofNullable(given.contains(prefix) ? "another rule's prefix" : null);
            if (why.isPresent()) {
                parts.add(rule.upstream().key() + ": its default prefix " + ConfigProblem.render(prefix)
                        + " (the environment's name in lower case, and the upstream) has " + why.get());
                example = example.or(() -> Optional.of(rule.upstream()));
            }
        }
        return example.map(upstream -> new ConfigProblem(List.of(ConfigKey.ECR_PULL_THROUGH_CACHE),
                ConfigKey.ECR_PULL_THROUGH_CACHE.fullKey() + ": " + String.join("; ", parts) + "; give such a rule "
                        + "a prefix of its own, unique in the account and region, e.g. {upstream: " + upstream.key()
                        + ", prefix: gb-lab1/" + upstream.key() + "}: " + SettingsValidator.CACHE_PREFIX_RULES));
    }

    public static Built create(Props p) {
        var prefixes = prefixes(p.namePrefix(), p.cache());
        var prefixList = List.copyOf(prefixes.values());
        var hostPolicy = p.instanceRole().map(role -> (Resource) RegistryCacheIam.hostAccess(
                p.name() + "-instance-role-" + HOST_POLICY_NAME, p.account(), role, prefixList, p.parent()));
        var templateRole = RegistryCacheIam.templateRole(p.name() + "-registry-cache-template-role", p.account(),
                prefixList, p.iamRules(), p.protect(), p.tags(), p.parent());
        var registry = Output.tuple(p.account(), AwsAccount.dnsSuffix(p.parent()))
                .applyValue(t -> t.t1.accountId() + ".dkr.ecr." + t.t1.region() + "." + t.t2);
        // The environment tag too, as on its hosts and volumes: cached images' storage counts in its costs.
        var repositoryTags = new java.util.TreeMap<>(p.tags());
        repositoryTags.put(UserData.TAG_KEY, p.namePrefix());
        var imagePrefixes = new LinkedHashMap<CacheUpstream, Output<String>>();
        for (var rule : p.cache().rules()) {
            var upstream = rule.upstream();
            var prefix = prefixes.get(upstream);
            var logical = p.name() + "-registry-cache-" + upstream.key();
            var args = PullThroughCacheRuleArgs.builder()
                    .ecrRepositoryPrefix(prefix)
                    .upstreamRegistryUrl(upstream.registryUrl());
            rule.credentialArn().ifPresent(args::credentialArn);
            new PullThroughCacheRule(logical, args.build(), CustomResourceOptions.builder().parent(p.parent()).build());
            // ECR applies the template whose prefix is the rule's when it creates a cache repository.
            new RepositoryCreationTemplate(logical + "-template", RepositoryCreationTemplateArgs.builder()
                    .prefix(prefix)
                    .description("Repositories of the " + upstream.imageHost() + " cache of " + p.namePrefix())
                    .appliedFors("PULL_THROUGH_CACHE")
                    .encryptionConfigurations(RepositoryCreationTemplateEncryptionConfigurationArgs.builder()
                            .encryptionType("AES256").build())
                    .imageTagMutability("MUTABLE")
                    .lifecyclePolicy(lifecyclePolicy())
                    .resourceTags(repositoryTags)
                    .customRoleArn(templateRole.role().arn())
                    .build(), CustomResourceOptions.builder().parent(p.parent())
                    .dependsOn(templateRole.policy()).build());
            imagePrefixes.put(upstream, registry.applyValue(r -> r + "/" + prefix));
        }
        return new Built(hostPolicy, RegistryCacheIam.hostDocument(p.account(), prefixList), imagePrefixes);
    }

    /** Expire untagged images after a day and every cached image {@value #EXPIRE_AFTER_DAYS} days after caching. */
    static String lifecyclePolicy() {
        return PolicyDocuments.json(Map.of("rules", List.of(
                rule(1, "Expire untagged cached images", "untagged", EXPIRE_UNTAGGED_AFTER_DAYS),
                rule(2, "Expire cached images; the next pull caches them again", "any", EXPIRE_AFTER_DAYS))));
    }

    private static Map<String, Object> rule(int priority, String description, String tagStatus, int days) {
        var selection = new LinkedHashMap<String, Object>();
        selection.put("tagStatus", tagStatus);
        selection.put("countType", "sinceImagePushed");
        selection.put("countUnit", "days");
        selection.put("countNumber", days);
        var rule = new LinkedHashMap<String, Object>();
        rule.put("rulePriority", priority);
        rule.put("description", description);
        rule.put("selection", selection);
        rule.put("action", Map.of("type", "expire"));
        return rule;
    }
}
