package io.genomicsbatch.network;

import io.genomicsbatch.compute.UserData;
import io.genomicsbatch.config.ConfigProblem;
import io.genomicsbatch.config.ConfigReader;
import io.genomicsbatch.config.ConfigSource;
import io.genomicsbatch.config.StackFiles;
import io.genomicsbatch.cost.CostForecast;
import io.genomicsbatch.cost.PriceTable;
import io.genomicsbatch.plan.PlanEngine;
import io.genomicsbatch.plan.PlannedResource;
import io.genomicsbatch.plan.Recorder;
import io.genomicsbatch.support.AwsAnswers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static io.genomicsbatch.support.TestStacks.PROD_SUBNETS;
import static io.genomicsbatch.support.TestStacks.PROD_VPC;
import static io.genomicsbatch.support.TestStacks.PROJECT_DIR;
import static io.genomicsbatch.support.TestStacks.input;
import static io.genomicsbatch.support.TestStacks.invalidConfig;
import static io.genomicsbatch.support.TestStacks.ofType;
import static io.genomicsbatch.support.TestStacks.resource;
import static io.genomicsbatch.support.TestStacks.run;
import static io.genomicsbatch.support.TestStacks.runStackFile;
import static io.genomicsbatch.support.TestStacks.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * privateNetworking: the fixture stack "prod-private" (prod's VPC, privateNetworking, the AWS CLI from a mirror),
 * in a fake account whose first two subnets share a zone and whose third is in another.
 */
class PrivateNetworkingTest {

    static final String ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
    static final String SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
    static final String ZONE_A = "us-east-1a";
    static final String ZONE_B = "us-east-1b";

    /**
     * The interface endpoint services AWS documents for what runs here (ECS: ecs, ecs-agent, ecs-telemetry;
     * ECR: ecr.api, ecr.dkr; Systems Manager: ssm, ssmmessages, ec2messages), written out on purpose.
     */
    static final Set<String> EXPECTED_SERVICES = Set.of("ecs", "ecs-agent", "ecs-telemetry", "ecr.api", "ecr.dkr",
            "logs", "monitoring", "ec2", "sts", "batch", "ssm", "ssmmessages", "ec2messages");

    static AwsAnswers account() {
        return new AwsAnswers(Map.of(PROD_VPC, PROD_SUBNETS))
                .withSubnet(PROD_SUBNETS.get(0), ZONE_A, false)
                .withSubnet(PROD_SUBNETS.get(1), ZONE_A, false)
                .withSubnet(PROD_SUBNETS.get(2), ZONE_B, false);
    }

    static Recorder.Recording privateStack(AwsAnswers answers) {
        return succeeded(runStackFile("prod-private", answers));
    }

    static List<PlannedResource> interfaceEndpoints(Recorder.Recording r) {
        return ofType(r, ENDPOINT).stream().filter(e -> "Interface".equals(input(e, "vpcEndpointType"))).toList();
    }

    @Test
    void everyServiceGetsAnInterfaceEndpointWithPrivateDnsInOneSubnetPerZone() {
        var r = privateStack(account());
        var endpoints = interfaceEndpoints(r);
        assertThat(endpoints).extracting(e -> String.valueOf(input(e, "serviceName")))
                .containsExactlyInAnyOrderElementsOf(EXPECTED_SERVICES.stream()
                        .map(s -> "com.amazonaws.us-east-1." + s).toList());
        var group = resource(r, "genomics-batch-endpoint-security-group");
        assertThat(endpoints).allSatisfy(e -> {
            assertThat(input(e, "privateDnsEnabled")).as(e.name()).isEqualTo(true);
            assertThat(input(e, "vpcId")).isEqualTo(PROD_VPC);
            // AWS takes one subnet per zone: the first two share us-east-1a, the lower ID of them is chosen.
            assertThat(input(e, "subnetIds")).isEqualTo(List.of(PROD_SUBNETS.get(0), PROD_SUBNETS.get(2)));
            assertThat(input(e, "securityGroupIds")).isEqualTo(List.of(AwsAnswers.id(group.name())));
        });
        assertThat(endpoints).extracting(PlannedResource::name).contains("genomics-batch-ecr-dkr-endpoint",
                "genomics-batch-ecs-agent-endpoint");
    }

    @Test
    void theSubnetChoiceDoesNotDependOnTheLookupsOrder() {
        var a = new PrivateEndpoints.Subnet("subnet-2", ZONE_A, false);
        var b = new PrivateEndpoints.Subnet("subnet-1", ZONE_A, false);
        var c = new PrivateEndpoints.Subnet("subnet-0", ZONE_B, false);
        assertThat(PrivateEndpoints.onePerZone(List.of(a, b, c))).containsExactly("subnet-1", "subnet-0");
        assertThat(PrivateEndpoints.onePerZone(List.of(c, b, a))).containsExactly("subnet-1", "subnet-0");
    }

    @Test
    void theEndpointsAdmitHttpsFromTheHostsOnlyAndOpenNothing() {
        var r = privateStack(account());
        var group = resource(r, "genomics-batch-endpoint-security-group");
        assertThat(input(group, "vpcId")).isEqualTo(PROD_VPC);
        assertThat((List<?>) input(group, "ingress")).singleElement().satisfies(rule -> {
            var map = (Map<?, ?>) rule;
            assertThat(map.get("protocol")).isEqualTo("tcp");
            assertThat(map.get("fromPort")).isEqualTo(443.0);
            assertThat(map.get("toPort")).isEqualTo(443.0);
            assertThat(map.get("securityGroups")).isEqualTo(List.of(AwsAnswers.id("genomics-batch-host-security-group")));
            assertThat(map.get("cidrBlocks")).isNull();
            assertThat(map.get("ipv6CidrBlocks")).isNull();
        });
        assertThat(input(group, "egress")).isNull();
    }

    @Test
    void theS3GatewayEndpointIsBuiltUnderItsExistingName() {
        var r = privateStack(account());
        // The fixture leaves s3GatewayEndpoint at false: private networking needs it anyway.
        var gateway = resource(r, "genomics-batch-s3-gateway-endpoint");
        assertThat(input(gateway, "vpcEndpointType")).isEqualTo("Gateway");
        assertThat(input(gateway, "serviceName")).isEqualTo("com.amazonaws.us-east-1.s3");
    }

    @Test
    void offByDefaultNothingIsBuiltOrLookedUp() {
        var answers = new AwsAnswers();
        var r = succeeded(run("dev", ConfigSource.of(Map.of()), answers));
        assertThat(ofType(r, ENDPOINT)).isEmpty();
        assertThat(ofType(r, SECURITY_GROUP)).hasSize(1);
        assertThat(answers.invokes()).doesNotContain("aws:ec2/getSubnet:getSubnet");
        assertThat(String.valueOf(r.outputs().get("nextflowConfig"))).contains("// fusion.enabled = true");
    }

    @Test
    void awsDownloadsOfTheAwsCliAreRefusedNamingAwsCliUrl() {
        var config = new HashMap<>(Map.of("privateNetworking", "true"));
        var r = run("dev", ConfigSource.of(config), new AwsAnswers());
        assertThat(invalidConfig(r).problems()).extracting(ConfigProblem::message).singleElement()
                .satisfies(m -> assertThat(m).startsWith("genomics-batch:awsCliUrl: got \"https://awscli.amazonaws.com\""
                        + " with genomics-batch:privateNetworking = true;").contains("your mirror"));
        assertThat(r.resources()).isEmpty();
        config.put("awsCliUrl", "https://awscli.amazonaws.com/");
        assertThat(invalidConfig(run("dev", ConfigSource.of(config), new AwsAnswers())).problems()).hasSize(1);
        config.put("awsCliUrl", "https://mirror.example.org/awscli");
        succeeded(run("dev", ConfigSource.of(config), new AwsAnswers()));
    }

    @Test
    void aSubnetThatMapsPublicIpsOnLaunchIsWarnedAbout() {
        var r = privateStack(account().withSubnet(PROD_SUBNETS.get(2), ZONE_B, true));
        assertThat(r.warnings()).filteredOn(w -> w.contains("maps public IP addresses on launch")).singleElement()
                .satisfies(w -> assertThat(w).startsWith("genomics-batch:privateNetworking = true, but subnet "
                        + PROD_SUBNETS.get(2) + " (us-east-1b)").contains("genomics-batch:subnetIds"));
        assertThat(privateStack(account()).warnings()).noneMatch(w -> w.contains("public IP"));
    }

    @Test
    void theForecastPricesEachEndpointInEachZone() {
        var r = privateStack(account());
        var settings = ConfigReader.read(StackFiles.load(PROJECT_DIR, "prod-private").source()).orThrow();
        var zones = PlanEngine.endpointZones(r.resources());
        assertThat(zones).hasValue(2);
        var types = r.resources().stream().filter(res -> !res.isComponent()).map(PlannedResource::type).toList();
        var forecast = CostForecast.of(settings, Optional.of("us-east-1"), PriceTable.shipped(), types, zones);
        assertThat(forecast.unknown()).isEmpty();
        // 13 endpoints x 2 zones x $0.01 an hour x 730 hours (prices.tsv, aws.amazon.com/privatelink/pricing)
        assertThat(forecast.idle()).filteredOn(i -> i.what().contains("interface VPC endpoint")).singleElement()
                .satisfies(i -> {
                    assertThat(i.what()).isEqualTo("13 interface VPC endpoint(s) x 2 Availability Zone(s)");
                    assertThat(i.usdPerMonth()).isCloseTo(13 * 2 * 0.01 * 730, org.assertj.core.data.Offset.offset(1e-9));
                });
        assertThat(forecast.idle()).anySatisfy(i -> assertThat(i.what()).isEqualTo("1 S3 gateway endpoint(s)"));
        // Without the zones the cost is unknown, never zero.
        var unknown = CostForecast.of(settings, Optional.of("us-east-1"), PriceTable.shipped(), types);
        assertThat(unknown.idleFloorUsdPerMonth()).isNull();
    }

    @Test
    void theNextflowConfigSaysFusionAndWaveAreUnavailable() {
        var config = String.valueOf(privateStack(account()).outputs().get("nextflowConfig"));
        assertThat(config).contains("\nfusion.enabled = false\n", "\nwave.enabled = false\n",
                "Fusion and Wave are unavailable").doesNotContain("fusion.enabled = true");
    }

    // ---- what the hosts and jobs reach, scanned from what is delivered ------------------------

    /** Every reach found in the user data and engine configs has an endpoint, or needs none. */
    @Test
    void everyServiceTheUserDataAndEngineConfigsReachHasAnEndpoint() {
        var r = privateStack(account());
        var reached = reaches(r);
        // The scan finds what it is meant to (else it could pass by finding nothing).
        assertThat(reached.keySet()).contains("ec2", "monitoring", "s3", "ecs", "ecs-agent", "ecr.dkr", "logs", "batch",
                "ssm", "ssmmessages");
        assertThat(uncovered(reached, r)).isEmpty();
    }

    @Test
    void theSharedFileSystemsHostPartNeedsNoEndpointBeyondThem() {
        // The part installs its client from the Amazon Linux repositories (S3, through the gateway endpoint) and
        // mounts inside the VPC; scanned from the delivered user data like every other part.
        var r = succeeded(run("prod-private", io.genomicsbatch.support.TestStacks.stackFileWith("prod-private", Map.of(
                "sharedFileSystem", "{\"type\":\"efs\"}")), account()));
        assertThat(uncovered(reaches(r), r)).isEmpty();
        var template = resource(r, "genomics-batch-host-launch-template");
        var files = UserData.files(new String(Base64.getDecoder().decode(String.valueOf(input(template, "userData"))),
                StandardCharsets.US_ASCII));
        var part = new LinkedHashMap<String, String>();
        scanScript(UserData.SHARED_FILE_SYSTEM_PART, files.get(UserData.SHARED_FILE_SYSTEM_PART), part);
        assertThat(part).containsOnlyKeys("s3");
    }

    @Test
    void theScanFailsForAServiceWithoutAnEndpointOrAnInternetHost() {
        var r = privateStack(account());
        var reached = new LinkedHashMap<>(reaches(r));
        scanScript("new.sh", "aws --region \"$(imds placement/region)\" sqs send-message --queue-url x\n"
                + "GB_CLI_URL=https://awscli.amazonaws.com\n", reached);
        assertThat(uncovered(reached, r)).containsOnlyKeys("sqs", "internet: awscli.amazonaws.com");
        var withFusion = new LinkedHashMap<String, String>();
        scanEngineConfig("nextflowConfig", "fusion.enabled = true\n", withFusion);
        assertThat(uncovered(withFusion, r)).containsOnlyKeys("internet: Fusion and Wave");
    }

    /** Reaches that neither an endpoint built for the stack nor the instance itself answer. */
    static Map<String, String> uncovered(Map<String, String> reached, Recorder.Recording r) {
        var covered = new TreeSet<String>();
        for (var e : ofType(r, ENDPOINT)) {
            var name = String.valueOf(input(e, "serviceName"));
            covered.add(name.substring("com.amazonaws.us-east-1.".length()));
        }
        var out = new LinkedHashMap<String, String>();
        reached.forEach((service, where) -> {
            if (!covered.contains(service) && !service.equals(LOCAL)) {
                out.put(service, where);
            }
        });
        return out;
    }

    static final String LOCAL = "local (instance and task metadata)";

    /** The AWS CLI's service names that differ from their endpoint's. */
    static final Map<String, String> CLI_TO_ENDPOINT = Map.of("s3api", "s3", "ecr", "ecr.api",
            "cloudwatch", "monitoring");
    /** `aws [options] SERVICE` once quoted words are blanked (an option's value is one word, "X" or a word). */
    static final Pattern AWS_CLI = Pattern.compile("(?:^|[\\s;|&(`{])aws((?:\\s+--?[a-z-]+(?:\\s+X)?)*)\\s+([a-z0-9-]+)\\b");
    static final Pattern URL = Pattern.compile("https?://([^/\\s\"'`]+)");
    static final Pattern SIGV4 = Pattern.compile("aws:amz:[^:\\s\"]+:([a-z0-9-]+)");
    static final Pattern SERVICE_HOST = Pattern.compile("([a-z0-9-]+)\\.(?:\\$\\{?region\\}?|[a-z]{2}(?:-[a-z]+)+-\\d)\\."
            + "(?:\\$\\{?domain\\}?|amazonaws\\.com)");

    /** Service (endpoint name, "s3", {@link #LOCAL} or "internet: HOST") to where it was found. */
    static Map<String, String> reaches(Recorder.Recording r) {
        var reached = new LinkedHashMap<String, String>();
        var template = resource(r, "genomics-batch-host-launch-template");
        var mime = new String(Base64.getDecoder().decode(String.valueOf(input(template, "userData"))),
                StandardCharsets.US_ASCII);
        var files = UserData.files(mime);
        assertThat(files).isNotEmpty();
        files.forEach((name, text) -> scanScript(name, text, reached));
        // What runs on every host without a script calling it: the ECS agent (ecs.config is what the user data
        // configures it with) pulls job images and ships their logs; the SSM agent, whose managed policy the
        // instance role carries, reaches Systems Manager.
        if (files.values().stream().anyMatch(t -> t.contains("/etc/ecs/ecs.config"))) {
            for (var s : List.of("ecs", "ecs-agent", "ecs-telemetry", "ecr.api", "ecr.dkr", "s3", "logs")) {
                reached.putIfAbsent(s, "the ECS agent (ecs.config in the user data)");
            }
        }
        if (ofType(r, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").stream()
                .anyMatch(a -> String.valueOf(input(a, "policyArn")).endsWith("/AmazonSSMManagedInstanceCore"))) {
            for (var s : List.of("ssm", "ssmmessages", "ec2messages")) {
                reached.putIfAbsent(s, "the SSM agent (AmazonSSMManagedInstanceCore on the instance role)");
            }
        }
        for (var output : List.of("nextflowConfig", "cromwellBackendConfig", "snakemakeArgs")) {
            scanEngineConfig(output, String.valueOf(r.outputs().get(output)), reached);
        }
        return reached;
    }

    static void scanScript(String name, String text, Map<String, String> reached) {
        for (var line : text.lines().toList()) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            var where = name + ": " + line.strip();
            var blanked = line.replaceAll("\"[^\"]*\"|'[^']*'", "X");
            var cli = AWS_CLI.matcher(blanked);
            while (cli.find()) {
                var service = cli.group(2);
                reached.putIfAbsent(service.equals("s3") ? "s3" : CLI_TO_ENDPOINT.getOrDefault(service, service), where);
            }
            var sigv4 = SIGV4.matcher(line);
            while (sigv4.find()) {
                reached.putIfAbsent(sigv4.group(1), where);
            }
            var url = URL.matcher(line);
            while (url.find()) {
                reached.putIfAbsent(host(url.group(1)), where);
            }
            // Amazon Linux 2023's package repositories are S3 buckets of the region.
            if (line.matches(".*\\bdnf\\s+install\\b.*")) {
                reached.putIfAbsent("s3", where);
            }
        }
    }

    static void scanEngineConfig(String name, String text, Map<String, String> reached) {
        for (var line : text.lines().toList()) {
            var code = line.strip();
            if (code.startsWith("//") || code.startsWith("#")) {
                continue;
            }
            var where = name + ": " + code;
            if (code.matches("(fusion|wave)\\.enabled\\s*=\\s*true.*")) {
                reached.putIfAbsent("internet: Fusion and Wave", where);
            }
            if (code.contains("awsbatch") || code.contains("aws-batch") || code.contains("AwsBatchBackend")) {
                reached.putIfAbsent("batch", where);
            }
            if (code.contains("logsGroup")) {
                reached.putIfAbsent("logs", where);
            }
            if (code.contains("s3://") || code.matches(".*\\bs3\\b.*")) {
                reached.putIfAbsent("s3", where);
            }
            var url = URL.matcher(code);
            while (url.find()) {
                reached.putIfAbsent(host(url.group(1)), where);
            }
        }
    }

    /** What a URL's host is: instance or task metadata, S3, an AWS service of the region, or the internet. */
    static String host(String host) {
        if (host.equals("169.254.169.254") || host.equals("169.254.170.2")) {
            return LOCAL;
        }
        if (host.matches("(?:[a-z0-9.-]+\\.)?s3[.-][a-z0-9.-]*amazonaws\\.com")) {
            return "s3";
        }
        var service = SERVICE_HOST.matcher(host);
        return service.matches() ? service.group(1) : "internet: " + host;
    }

    /** The scanner's host rules, on the shapes the scripts use. */
    @Test
    void hostsAreClassifiedAsTheScriptsWriteThem() {
        assertThat(host("monitoring.$region.$domain")).isEqualTo("monitoring");
        assertThat(host("ec2.us-east-1.amazonaws.com")).isEqualTo("ec2");
        assertThat(host("acme-mirror.s3.us-east-1.amazonaws.com")).isEqualTo("s3");
        assertThat(host("169.254.169.254")).isEqualTo(LOCAL);
        assertThat(host("awscli.amazonaws.com")).isEqualTo("internet: awscli.amazonaws.com");
        var found = new ArrayList<String>();
        var m = AWS_CLI.matcher("  ec2() { aws --region X ec2 X; }".replaceAll("\"[^\"]*\"", "X"));
        while (m.find()) {
            found.add(m.group(2));
        }
        assertThat(found).containsExactly("ec2");
    }
}
