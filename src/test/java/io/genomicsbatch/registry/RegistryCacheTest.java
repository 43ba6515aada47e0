package io.genomicsbatch.registry;

import com.google.gson.JsonParser;
import io.genomicsbatch.config.ConfigProblem;
import io.genomicsbatch.config.ConfigSource;
import io.genomicsbatch.engines.EngineConfigs;
import io.genomicsbatch.plan.PlannedResource;
import io.genomicsbatch.plan.Recorder;
import io.genomicsbatch.support.AwsAnswers;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.genomicsbatch.support.TestStacks.input;
import static io.genomicsbatch.support.TestStacks.invalidConfig;
import static io.genomicsbatch.support.TestStacks.ofType;
import static io.genomicsbatch.support.TestStacks.resource;
import static io.genomicsbatch.support.TestStacks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/** The registry cache (ecrPullThroughCache) as the program registers it and refuses it (mock engine). */
class RegistryCacheTest {

    static final String RULE = "aws:ecr/pullThroughCacheRule:PullThroughCacheRule";
    static final String TEMPLATE = "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate";
    static final String CE = "aws:batch/computeEnvironment:ComputeEnvironment";
    static final String SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf";
    static final String REGISTRY = AwsAnswers.ACCOUNT + ".dkr.ecr." + AwsAnswers.REGION + ".amazonaws.com";

    /** The fixture stack src/test/resources/stacks/Pulumi.cache.yaml. */
    static Recorder.Recording cacheStack() {
        return succeeded(TestStacks.runStackFile("cache", new AwsAnswers()));
    }

    static Recorder.Recording dev(String cache) {
        return TestStacks.run("dev", Map.of("ecrPullThroughCache", cache));
    }

    @Test
    void eachUpstreamGetsARuleAndATemplateUnderItsPrefix() {
        var r = cacheStack();
        assertThat(ofType(r, RULE)).extracting(PlannedResource::name).containsExactly(
                "genomics-batch-registry-cache-quay", "genomics-batch-registry-cache-ecr-public",
                "genomics-batch-registry-cache-docker-hub");
        // The registry URLs AWS documents for CreatePullThroughCacheRule; the default prefix is the environment's.
        var quay = resource(r, "genomics-batch-registry-cache-quay");
        assertThat(quay.inputs()).containsEntry("upstreamRegistryUrl", "quay.io")
                .containsEntry("ecrRepositoryPrefix", "genomics-batch-cache/quay").doesNotContainKey("credentialArn");
        assertThat(resource(r, "genomics-batch-registry-cache-ecr-public").inputs())
                .containsEntry("upstreamRegistryUrl", "public.ecr.aws")
                .containsEntry("ecrRepositoryPrefix", "gb-cache/ecr-public").doesNotContainKey("credentialArn");
        assertThat(resource(r, "genomics-batch-registry-cache-docker-hub").inputs())
                .containsEntry("upstreamRegistryUrl", "registry-1.docker.io")
                .containsEntry("ecrRepositoryPrefix", "gb-cache/docker-hub").containsEntry("credentialArn", SECRET);
        // One template per rule, with the rule's prefix (ECR's advice), for pull-through cache only.
        for (var rule : ofType(r, RULE)) {
            var template = resource(r, rule.name() + "-template");
            assertThat(template.type()).isEqualTo(TEMPLATE);
            assertThat(template.inputs()).containsEntry("prefix", rule.inputs().get("ecrRepositoryPrefix"))
                    .containsEntry("appliedFors", List.of("PULL_THROUGH_CACHE"))
                    .containsEntry("imageTagMutability", "MUTABLE")
                    .containsEntry("encryptionConfigurations", List.of(Map.of("encryptionType", "AES256")))
                    .containsEntry("customRoleArn", AwsAnswers.arn("aws:iam/role:Role",
                            "genomics-batch-registry-cache-template-role"));
            // Tagged like the environment's hosts, so that cached images' storage counts in its costs.
            @SuppressWarnings("unchecked")
            var tags = (Map<String, Object>) template.inputs().get("resourceTags");
            assertThat(tags)
                    .containsEntry("genomics-batch-environment", "genomics-batch-cache")
                    .containsKeys("Project", "Environment", "ManagedBy");
            assertThat(template.dependsOn()).containsExactly("genomics-batch-registry-cache-template-role-repositories");
        }
        assertThat(ofType(r, TEMPLATE)).hasSize(3);
    }

    @Test
    void cachedImagesExpireAndUntaggedOnesSooner() {
        var template = resource(cacheStack(), "genomics-batch-registry-cache-quay-template");
        var rules = JsonParser.parseString((String) template.inputs().get("lifecyclePolicy")).getAsJsonObject()
                .getAsJsonArray("rules");
        assertThat(rules).hasSize(2);
        var untagged = rules.get(0).getAsJsonObject();
        assertThat(untagged.get("rulePriority").getAsInt()).isEqualTo(1);
        assertThat(untagged.getAsJsonObject("selection").get("tagStatus").getAsString()).isEqualTo("untagged");
        assertThat(untagged.getAsJsonObject("selection").get("countNumber").getAsInt()).isEqualTo(1);
        // ECR requires the rule for any tag status to have the highest priority number.
        var any = rules.get(1).getAsJsonObject();
        assertThat(any.get("rulePriority").getAsInt()).isEqualTo(2);
        assertThat(any.getAsJsonObject("selection").get("tagStatus").getAsString()).isEqualTo("any");
        assertThat(any.getAsJsonObject("selection").get("countType").getAsString()).isEqualTo("sinceImagePushed");
        assertThat(any.getAsJsonObject("selection").get("countUnit").getAsString()).isEqualTo("days");
        assertThat(any.getAsJsonObject("selection").get("countNumber").getAsInt()).isEqualTo(90);
        assertThat(any.getAsJsonObject("action").get("type").getAsString()).isEqualTo("expire");
    }

    @Test
    void theHostsMayCreateAndImportUnderTheCachePrefixesOnlyAndTheEnvironmentsWaitForIt() {
        var r = cacheStack();
        var policy = resource(r, "genomics-batch-instance-role-registry-cache");
        assertThat(policy.inputs()).containsEntry("role", AwsAnswers.id("genomics-batch-instance-role"));
        var statements = JsonParser.parseString((String) policy.inputs().get("policy")).getAsJsonObject()
                .getAsJsonArray("Statement");
        assertThat(statements).hasSize(1);
        var statement = statements.get(0).getAsJsonObject();
        assertThat(statement.get("Effect").getAsString()).isEqualTo("Allow");
        assertThat(statement.getAsJsonArray("Action").asList()).extracting(e -> e.getAsString())
                .containsExactly("ecr:CreateRepository", "ecr:BatchImportUpstreamImage");
        var repositories = "arn:aws:ecr:" + AwsAnswers.REGION + ":" + AwsAnswers.ACCOUNT + ":repository/";
        assertThat(statement.getAsJsonArray("Resource").asList()).extracting(e -> e.getAsString()).containsExactly(
                repositories + "genomics-batch-cache/quay/*", repositories + "gb-cache/ecr-public/*",
                repositories + "gb-cache/docker-hub/*");
        assertThat(ofType(r, CE)).allSatisfy(ce -> assertThat(ce.dependsOn())
                .contains("genomics-batch-instance-role-registry-cache"));
        // ECR assumes the template role: trusted by ECR, creating and tagging under the same prefixes only.
        var role = resource(r, "genomics-batch-registry-cache-template-role");
        assertThat(JsonParser.parseString((String) role.inputs().get("assumeRolePolicy")).getAsJsonObject()
                .getAsJsonArray("Statement").get(0).getAsJsonObject().getAsJsonObject("Principal")
                .get("Service").getAsString()).isEqualTo("ecr.amazonaws.com");
        var templatePolicy = JsonParser.parseString((String) resource(r,
                "genomics-batch-registry-cache-template-role-repositories").inputs().get("policy")).getAsJsonObject()
                .getAsJsonArray("Statement").get(0).getAsJsonObject();
        assertThat(templatePolicy.getAsJsonArray("Action").asList()).extracting(e -> e.getAsString())
                .containsExactly("ecr:CreateRepository", "ecr:TagResource");
        assertThat(templatePolicy.get("Resource")).isEqualTo(statement.get("Resource"));
    }

    @Test
    void theOutputsAndNextflowUseTheCaches() {
        var outputs = cacheStack().outputs();
        assertThat(outputs).containsEntry("registryCacheImagePrefixes", Map.of(
                "quay", REGISTRY + "/genomics-batch-cache/quay",
                "ecr-public", REGISTRY + "/gb-cache/ecr-public",
                "docker-hub", REGISTRY + "/gb-cache/docker-hub"));
        // Images named without a registry (nf-core's) come from the quay cache.
        assertThat((String) outputs.get(EngineConfigs.NEXTFLOW_OUTPUT))
                .contains("\ndocker.registry = '" + REGISTRY + "/genomics-batch-cache/quay'\n");
        // Without quay, from Docker Hub's (Docker's default registry); ECR Public images always name their registry.
        var dockerHub = succeeded(dev("[{\"upstream\":\"docker-hub\",\"credentialArn\":\"" + SECRET + "\"}]"));
        assertThat((String) dockerHub.outputs().get(EngineConfigs.NEXTFLOW_OUTPUT))
                .contains("\ndocker.registry = '" + REGISTRY + "/genomics-batch-dev/docker-hub'\n");
        var ecrPublic = succeeded(dev("[{\"upstream\":\"ecr-public\"}]"));
        assertThat((String) ecrPublic.outputs().get(EngineConfigs.NEXTFLOW_OUTPUT)).doesNotContain("docker.registry");
        assertThat(ecrPublic.outputs()).containsEntry("registryCacheImagePrefixes",
                Map.of("ecr-public", REGISTRY + "/genomics-batch-dev/ecr-public"));
    }

    @Test
    void offByDefault() {
        var r = succeeded(TestStacks.runStackFile("dev", new AwsAnswers()));
        assertThat(r.resources()).extracting(PlannedResource::type).doesNotContain(RULE, TEMPLATE);
        assertThat(r.resources()).extracting(PlannedResource::name)
                .doesNotContain("genomics-batch-instance-role-registry-cache", "genomics-batch-registry-cache-template-role");
        assertThat(r.outputs()).doesNotContainKey("registryCacheImagePrefixes");
        assertThat((String) r.outputs().get(EngineConfigs.NEXTFLOW_OUTPUT)).doesNotContain("docker.registry");
        // An empty list is the default, written out.
        assertThat(succeeded(dev("[]")).resources()).extracting(PlannedResource::type).doesNotContain(RULE);
    }

    /** Each bad value: refused before anything is registered, in one message naming the key and the value. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            [{"upstream":"ghcr"}]                                             | "ghcr": not an upstream this stack caches
            [{"upstream":"Quay"}]                                             | "Quay": not an upstream this stack caches
            [{"prefix":"x/quay"}]                                             | an item without upstream
            [{"upstream":"quay","mirror":"x"}]                                | unknown field "mirror"
            [{"upstream":"quay","prefix":5}]                                  | every value a string
            ["quay"]                                                          | every item a mapping
            {"upstream":"quay"}                                               | expected a list of mappings
            [{"upstream":"quay"},{"upstream":"quay"}]                         | quay: listed more than once
            [{"upstream":"docker-hub"}]                                       | docker-hub: needs credentialArn
            [{"upstream":"quay","credentialArn":"%s"}]                        | quay: takes no credentialArn
            [{"upstream":"ecr-public","credentialArn":"%s"}]                  | ecr-public: takes no credentialArn
            [{"upstream":"docker-hub","credentialArn":"arn:aws:iam::123456789012:role/ecr-pullthroughcache/x"}] | not a Secrets Manager secret ARN
            [{"upstream":"docker-hub","credentialArn":"ecr-pullthroughcache/docker-hub"}] | not a Secrets Manager secret ARN
            [{"upstream":"docker-hub","credentialArn":"arn:aws-cn:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/d-AbCdEf"}] | its region us-east-1 is in partition aws
            [{"upstream":"docker-hub","credentialArn":"arn:aws:secretsmanager:us-east-9:123456789012:secret:ecr-pullthroughcache/d-AbCdEf"}] | its region "us-east-9" is
            [{"upstream":"docker-hub","credentialArn":"arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub-AbCdEf"}] | the secret's name must start with ecr-pullthroughcache/
            [{"upstream":"quay","prefix":"Lab/quay"}]                         | quay: prefix "Lab/quay": not an ECR repository prefix
            [{"upstream":"quay","prefix":"q"}]                                | quay: prefix "q": not an ECR repository prefix
            [{"upstream":"quay","prefix":"genomics-batch-dev-lab/quay-cache"}] | not an ECR repository prefix (33 characters)
            [{"upstream":"quay","prefix":"a//quay"}]                          | not an ECR repository prefix
            [{"upstream":"quay","prefix":"ROOT"}]                             | ROOT (every repository of the registry)
            [{"upstream":"quay","prefix":"lab/c"},{"upstream":"ecr-public","prefix":"lab/c"}] | ecr-public: prefix "lab/c" is another rule's too
            [{"upstream":"quay","prefix":"genomics-batch-dev/ecr-public"},{"upstream":"ecr-public"}] | ecr-public: its default prefix "genomics-batch-dev/ecr-public" (the environment's name in lower case, and the upstream) has another rule's prefix
            """)
    void badCachesAreRefusedNamingTheKey(String value, String why) {
        var recording = dev(value.replace("%s", SECRET));
        var problems = invalidConfig(recording).problems();
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.message()).startsWith("genomics-batch:ecrPullThroughCache: ").contains(why);
            assertThat(p.keys()).extracting(k -> k.key()).containsExactly("ecrPullThroughCache");
        });
        assertThat(recording.resources()).isEmpty();
    }

    @Test
    void aDefaultPrefixLongerThanEcrTakesAsksForAPrefixOfItsOwn() {
        // "genomics-batch-staging/docker-hub" is 33 characters; ECR takes 30.
        var cache = "[{\"upstream\":\"quay\"},{\"upstream\":\"docker-hub\",\"credentialArn\":\"" + SECRET + "\"}]";
        var recording = TestStacks.run("staging", Map.of("ecrPullThroughCache", cache));
        assertThat(invalidConfig(recording).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .isEqualTo("genomics-batch:ecrPullThroughCache: docker-hub: its default prefix "
                        + "\"genomics-batch-staging/docker-hub\" (the environment's name in lower case, and the "
                        + "upstream) has 33 characters, or characters ECR refuses; give such a rule a prefix of its "
                        + "own, unique in the account and region, e.g. {upstream: docker-hub, prefix: "
                        + "gb-lab1/docker-hub}: 2-30 characters: lower-case letters and digits, in parts separated "
                        + "by single '.', '_' or '-', parts joined by '/' (ECR's repository prefix rule)"));
        assertThat(recording.resources()).isEmpty();
        // With a prefix of its own it plans, and quay's default (27 characters) fits.
        var fixed = succeeded(TestStacks.run("staging", Map.of("ecrPullThroughCache", cache.replace(
                "\"upstream\":\"docker-hub\"", "\"upstream\":\"docker-hub\",\"prefix\":\"gb-staging/docker-hub/\""))));
        assertThat(resource(fixed, "genomics-batch-registry-cache-docker-hub").inputs())
                .containsEntry("ecrRepositoryPrefix", "gb-staging/docker-hub");
        assertThat(resource(fixed, "genomics-batch-registry-cache-quay").inputs())
                .containsEntry("ecrRepositoryPrefix", "genomics-batch-staging/quay");
    }

    @Test
    void aSecretOfAnotherRegionThanTheStacksIsRefused() {
        var other = SECRET.replace("us-east-1", "eu-west-1");
        var config = Map.of("ecrPullThroughCache", "[{\"upstream\":\"docker-hub\",\"credentialArn\":\"" + other + "\"}]");
        var recording = TestStacks.run("dev", ConfigSource.of(config, Set.of(), Optional.of("us-east-1")),
                new AwsAnswers());
        assertThat(invalidConfig(recording).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .isEqualTo("genomics-batch:ecrPullThroughCache: got \"" + other + "\"; a secret in the stack's region "
                        + "us-east-1 (aws:region): ECR reads a pull-through cache rule's credentials from its own "
                        + "account and region only"));
        assertThat(recording.resources()).isEmpty();
        // In the stack's region it plans.
        var same = Map.of("ecrPullThroughCache", "[{\"upstream\":\"docker-hub\",\"credentialArn\":\"" + SECRET + "\"}]");
        succeeded(TestStacks.run("dev", ConfigSource.of(same, Set.of(), Optional.of("us-east-1")), new AwsAnswers()));
    }

    /** Formats AWS issues or takes, which must not be refused. */
    @Test
    void acceptsWhatAwsTakes() {
        var values = new HashMap<String, String>();
        // A China-partition secret (its region in that partition), a secret name with every character AWS allows,
        // a prefix of the longest length with every separator, a prefix with the trailing '/' ECR ignores.
        var cn = "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:ecr-pullthroughcache/Docker_Hub+=.@-x/y-AbCdEf";
        values.put("ecrPullThroughCache", "[{\"upstream\":\"docker-hub\",\"credentialArn\":\"" + cn + "\","
                + "\"prefix\":\"a.b_c-d/e0/f123456789012345678\"},{\"upstream\":\"quay\",\"prefix\":\"lab/quay/\"},"
                + "{\"upstream\":\"ecr-public\",\"prefix\":\"pc\"}]");
        var r = succeeded(TestStacks.run("dev", values));
        assertThat(ofType(r, RULE)).extracting(rule -> input(rule, "ecrRepositoryPrefix"))
                .containsExactly("a.b_c-d/e0/f123456789012345678", "lab/quay", "pc");
        assertThat("a.b_c-d/e0/f123456789012345678").hasSize(30);
    }

    @Test
    void everyProblemOfTheKeyIsInItsOneMessage() {
        var problems = invalidConfig(dev("[{\"upstream\":\"docker-hub\"},{\"upstream\":\"quay\",\"credentialArn\":\""
                + SECRET + "\",\"prefix\":\"ROOT\"}]")).problems();
        assertThat(problems).extracting(ConfigProblem::message).singleElement().satisfies(m -> assertThat(m)
                .contains("docker-hub: needs credentialArn").contains("quay: takes no credentialArn")
                .contains("quay: prefix \"ROOT\"").endsWith("expected each of [quay, ecr-public, docker-hub] at most "
                        + "once, docker-hub with credentialArn arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:"
                        + "ecr-pullthroughcache/NAME, and prefixes of 2-30 characters: lower-case letters and digits,"
                        + " in parts separated by single '.', '_' or '-', parts joined by '/' (ECR's repository "
                        + "prefix rule)"));
    }
}
