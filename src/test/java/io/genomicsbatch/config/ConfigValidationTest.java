package io.genomicsbatch.config;

import io.genomicsbatch.plan.Recorder;
import io.genomicsbatch.support.AwsAnswers;
import io.genomicsbatch.support.TestStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static io.genomicsbatch.support.TestStacks.invalidConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Bad stack config is refused before any resource is registered, with messages that name the key. */
class ConfigValidationTest {

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                // key, raw value, text the message must show for the value, text of what is allowed
                arguments("spotMaxVcpus", "lots", "\"lots\"", "whole number"),
                arguments("spotMaxVcpus", "0", "0", "at least 1"),
                arguments("spotMinVcpus", "-1", "-1", "at least 0"),
                arguments("spotMinVcpus", "300", "300", "spotMinVcpus <= spotMaxVcpus"),
                arguments("spotBidPercentage", "0", "0", "from 1 to 100"),
                arguments("spotBidPercentage", "150", "150", "from 1 to 100"),
                arguments("spotBidPercentage", "50%", "\"50%\"", "whole number"),
                arguments("spotAllocationStrategy", "CHEAPEST", "\"CHEAPEST\"", "SPOT_CAPACITY_OPTIMIZED"),
                arguments("spotAllocationStrategy", "spot_capacity_optimized", "\"spot_capacity_optimized\"",
                        "SPOT_CAPACITY_OPTIMIZED"),
                arguments("onDemandAllocationStrategy", "SPOT_CAPACITY_OPTIMIZED", "\"SPOT_CAPACITY_OPTIMIZED\"",
                        "[BEST_FIT, BEST_FIT_PROGRESSIVE]"),
                arguments("onDemandMaxVcpus", "12.5", "\"12.5\"", "whole number"),
                arguments("onDemandMaxVcpus", "99999999999", "\"99999999999\"", "whole number"),
                arguments("onDemandMinVcpus", "100", "100", "onDemandMinVcpus <= onDemandMaxVcpus"),
                arguments("defaultQueuePriority", "1001", "1001", "from 0 to 1000"),
                arguments("highPriorityQueuePriority", "-5", "-5", "from 0 to 1000"),
                arguments("highPriorityQueuePriority", "1", "1", "highPriorityQueuePriority > defaultQueuePriority"),
                arguments("queueSpillover", "yes", "\"yes\"", "true or false"),
                arguments("runnableTimeoutMinutes", "5", "5", "from 10 to 1440"),
                arguments("runnableTimeoutMinutes", "1441", "1441", "from 10 to 1440"),
                arguments("scratchVolumeGiB", "0", "0", "from 1 to 65536"),
                arguments("scratchVolumeGiB", "70000", "70000", "from 1 to 65536"),
                // pulumi-aws 6.83.0 validates launch template gp3 throughput as 125-1000 MiB/s
                arguments("scratchVolumeThroughput", "1001", "1001", "from 125 to 1000"),
                arguments("vpcId", "vpc-123", "\"vpc-123\"", "8 or 17 hex digits"),
                arguments("vpcId", "VPC-0A1B2C3D", "\"VPC-0A1B2C3D\"", "8 or 17 hex digits"),
                arguments("vpcId", "vpc-0a1b2c3d4e5f6789", "\"vpc-0a1b2c3d4e5f6789\"", "8 or 17 hex digits"),
                arguments("subnetIds", "subnet-0a1b2c3d", "\"subnet-0a1b2c3d\"", "list of strings"),
                arguments("subnetIds", "[\"subnet-xyz\"]", "\"subnet-xyz\"", "8 or 17 hex digits"),
                arguments("subnetIds", "[\"subnet-0a1b2c3d\",\"subnet-0a1b2c3d\"]", "\"subnet-0a1b2c3d\"",
                        "more than once"),
                arguments("alertEmails", "lab@example.org", "\"lab@example.org\"", "list of strings"),
                arguments("alertEmails", "[\"genomics-alerts\"]", "\"genomics-alerts\"", "expected e-mail addresses"),
                arguments("alertEmails", "[\"a@example.org;b@example.org\"]", "\"a@example.org;b@example.org\"",
                        "one per item"),
                arguments("alertEmails", "[\"lab @example.org\"]", "\"lab @example.org\"", "expected e-mail"),
                arguments("alertEmails", "[\"lab@example\"]", "\"lab@example\"", "dot-separated labels"),
                arguments("alertEmails", "[\"a..b@example.org\"]", "\"a..b@example.org\"", "single inner dots"),
                arguments("alertEmails", "[\"lab@example.org\",\"lab@example.org\"]", "\"lab@example.org\"",
                        "more than once"),
                arguments("alertTopicArn", "genomics-alerts", "\"genomics-alerts\"", "expected an SNS topic ARN"),
                arguments("alertTopicArn", "arn:aws:sqs:us-east-1:123456789012:alerts",
                        "\"arn:aws:sqs:us-east-1:123456789012:alerts\"", "arn:PARTITION:sns:REGION:ACCOUNT:NAME"),
                arguments("alertTopicArn", "arn:aws:sns:us-east-1:12345:alerts", "\"arn:aws:sns:us-east-1:12345:alerts\"",
                        "expected an SNS topic ARN"),
                arguments("alertTopicArn", "arn:aws:sns:cn-north-1:123456789012:alerts",
                        "\"arn:aws:sns:cn-north-1:123456789012:alerts\"", "arn:aws-cn:sns:cn-north-1:"),
                arguments("alertTopicArn", "arn:aws:sns:us-east-1:123456789012:alerts:sub",
                        "\"arn:aws:sns:us-east-1:123456789012:alerts:sub\"", "expected an SNS topic ARN"),
                arguments("bootLoopStop", "yes", "\"yes\"", "true or false"),
                arguments("bootLoopFailures", "0", "0", "from 1 to 100"),
                arguments("bootLoopFailures", "101", "101", "from 1 to 100"),
                // Every fault of a list key in one message: each value at fault, and the repeated ones.
                arguments("subnetIds", "[\"subnet-xyz\",\"subnet-0a1b2c3d\",\"subnet-0a1b2c3d\"]",
                        "\"subnet-xyz\": not a subnet ID", "listed more than once: [\"subnet-0a1b2c3d\"]"),
                arguments("dataBucketNames", "[\"ab\",\"s3://acme\",\"acme-reads\",\"acme-reads\"]",
                        "\"ab\": not an S3 bucket name; \"s3://acme\": give the bare bucket name",
                        "listed more than once: [\"acme-reads\"]; expected S3 bucket names, each once: 3-63 characters"),
                arguments("dataKmsKeyArns", "[\"alias/genomics\",\"alias/genomics\"]",
                        "\"alias/genomics\": give the key ARN", "listed more than once: [\"alias/genomics\"]"),
                arguments("instanceTypes", "[]", "[]", "at least one"),
                arguments("instanceTypes", "[\"m6i.huge\"]", "\"m6i.huge\"", "m6i has sizes large, xlarge, 2xlarge"),
                arguments("instanceTypes", "[\"M6I\"]", "\"M6I\"", "lower case"),
                // The catalog: families and sizes the EC2 API knows, with the closest names to a typo.
                arguments("instanceTypes", "[\"r9z\"]", "\"r9z\"", "not an EC2 instance family or type (closest: r7iz"),
                arguments("instanceTypes", "[\"c6i\",\"m6x\"]", "\"m6x\": not an EC2 instance family or type",
                        "closest: m6i"),
                arguments("instanceTypes", "[\"optimall\"]", "\"optimall\"", "closest: optimal"),
                arguments("instanceTypes", "[\"c6i \"]", "\"c6i \"", "names have no spaces around them: c6i"),
                arguments("instanceTypes", "[\"Optimal\"]", "\"Optimal\"", "names are lower case: optimal"),
                // Known to the API, but NVIDIA GPUs, which no key of this program can run (p2 is older than p3).
                arguments("instanceTypes", "[\"p2.xlarge\"]", "\"p2.xlarge\" (NVIDIA, by its name)",
                        "nor can genomics-batch:gpuInstanceTypes take them: GPUs older than p3's and g3's"),
                // Mac instances run only on Dedicated Hosts.
                arguments("instanceTypes", "[\"mac2-m2pro.metal\"]", "\"mac2-m2pro.metal\"", "only on Dedicated Hosts"),
                arguments("instanceTypes", "[\"mac1\",\"m6i\"]", "\"mac1\"", "AWS Batch managed compute environments"),
                arguments("instanceTypes", "[\"c6i.metal-48xl\"]", "\"c6i.metal-48xl\"", "c6i has sizes"),
                arguments("instanceTypes", "[\"m6i\",\"m6g\"]", "\"m6g\"", "one architecture"),
                arguments("instanceTypes", "[\"default_arm64\",\"c6i\"]", "\"default_arm64\"", "one architecture"),
                arguments("instanceTypes", "[4]", "[4]", "every item a string"),
                arguments("dataBucketNames", "[\"s3://my-bucket\"]", "\"s3://my-bucket\"", "bare bucket name"),
                arguments("dataBucketNames", "[\"ab\"]", "\"ab\"", "3-63 characters"),
                arguments("dataBucketNames", "[\"192.168.1.1\"]", "\"192.168.1.1\"", "not an IP address"),
                arguments("dataBucketNames", "[\"my..bucket\"]", "\"my..bucket\"", "no '..'"),
                arguments("dataBucketNames", "[\"xn--bucket\"]", "\"xn--bucket\"", "reserved"),
                arguments("dataBucketNames", "[\"reads-s3alias\"]", "\"reads-s3alias\"", "reserved"),
                arguments("dataBucketNames", "[\"fast--use1-az4--x-s3\"]", "\"fast--use1-az4--x-s3\"",
                        "directory buckets"),
                arguments("protect", "maybe", "\"maybe\"", "true or false"),
                arguments("instanceTypes", "[\"a1\"]", "\"a1\"", "does not support A1"),
                arguments("instanceTypes", "[\"m6g\",\"a1.large\"]", "\"a1.large\"", "does not support A1"),
                arguments("instanceTypes", "[\"c6i\",\"g5\"]", "\"g5\" (NVIDIA A10G)", "in genomics-batch:gpuInstanceTypes"),
                arguments("instanceTypes", "[\"p4d.24xlarge\"]", "\"p4d.24xlarge\"", "genomics-batch:gpuMaxVcpus"),
                arguments("gpuMaxVcpus", "-8", "-8", "0 (no gpu compute environment)"),
                arguments("sharedFileSystemSecurityGroupIds", "[\"sg-12\"]", "\"sg-12\"", "8 or 17 hex digits"),
                arguments("referenceBucketNames", "[\"s3://ngi-igenomes\"]", "\"s3://ngi-igenomes\"", "bare bucket name"),
                arguments("dataKmsKeyArns", "[\"alias/genomics\"]", "\"alias/genomics\"", "not an alias"),
                arguments("dataKmsKeyArns", "[\"arn:aws:kms:eu-wast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"]",
                        "eu-wast-1", "not an AWS region (AWS region list of"),
                arguments("dataKmsKeyArns", "[\"arn:aws:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"]",
                        "cn-north-1", "in partition aws-cn, so the ARN starts arn:aws-cn:kms:cn-north-1:"),
                arguments("logRetentionDays", "45", "45", "retention periods"),
                arguments("allowAllEgress", "sometimes", "\"sometimes\"", "true or false"),
                arguments("spotMaxVcpu", "512", "spotMaxVcpu", "did you mean genomics-batch:spotMaxVcpus"),
                // Host provisioning (issue 16)
                arguments("hostBootTimeoutMinutes", "4", "4", "from 5 to 120"),
                arguments("hostBootTimeoutMinutes", "121", "121", "from 5 to 120"),
                arguments("hostBootTimeoutMinutes", "30m", "\"30m\"", "whole number"),
                arguments("awsCliUrl", "http://mirror.example.org/awscli", "\"http://mirror.example.org/awscli\"",
                        "expected an https:// URL"),
                arguments("awsCliUrl", "https://awscli.amazonaws.com?x=1", "\"https://awscli.amazonaws.com?x=1\"",
                        "without query or fragment"),
                arguments("awsCliUrl", "https:///awscli", "\"https:///awscli\"", "expected an https:// URL"),
                arguments("awsCliUrl", "https://a.example/" + "x".repeat(120), "\"https://a.example/x",
                        "at most 128 characters"),
                arguments("awsCliUrl", "s3://lab-mirror/awscli", "\"s3://lab-mirror/awscli\"", "expected an https:// URL"),
                arguments("awsCliVersion", "1.36.7", "\"1.36.7\"", "AWS CLI v2 release number"),
                arguments("awsCliVersion", "2.36", "\"2.36\"", "2.MINOR.PATCH"),
                arguments("awsCliVersion", "latest", "\"latest\"", "2.MINOR.PATCH"),
                arguments("awsCliVersion", "2.36.7; rm -rf /", "\"2.36.7; rm -rf /\"", "2.MINOR.PATCH"),
                // The work directory (dev names no data bucket, so none can be one)
                arguments("workDirectory", "acme-work/runs", "\"acme-work/runs\"", "expected s3://BUCKET/PREFIX"),
                arguments("workDirectory", "s3://", "\"s3://\"", "expected s3://BUCKET/PREFIX"),
                arguments("workDirectory", "S3://acme-work/runs", "\"S3://acme-work/runs\"", "expected s3://BUCKET/PREFIX"),
                arguments("workDirectory", "s3://ab/runs", "\"s3://ab/runs\"", "3-63 characters"),
                arguments("workDirectory", "s3://arn:aws:s3:::acme/runs", "\"s3://arn:aws:s3:::acme/runs\"",
                        "bare bucket name"),
                arguments("workDirectory", "s3://acme-work/runs", "\"s3://acme-work/runs\"",
                        "genomics-batch:dataBucketNames, which is empty"),
                // Spot retries in every engine (issue 20): AWS Batch's retry strategy takes 1-10 attempts
                arguments("engineSpotAttempts", "11", "11", "from 0 to 10 attempts per job (AWS Batch's retry "
                        + "strategy takes 1-10; 0 leaves the engine configs as they were)"),
                arguments("engineSpotAttempts", "-1", "-1", "from 0 to 10"),
                arguments("engineSpotAttempts", "three", "\"three\"", "whole number"),
                arguments("nextflowOnDemandFallback", "yes", "\"yes\"", "true or false"),
                // IAM in restricted accounts: each ARN of its own type, in a partition AWS has; IAM's path rule
                arguments("iamPermissionsBoundaryArn", "arn:aws:iam::123456789012:role/boundary",
                        "\"arn:aws:iam::123456789012:role/boundary\"", "this ARN names a role, and a permissions "
                                + "boundary is a managed policy; expected a managed policy ARN"),
                arguments("iamPermissionsBoundaryArn", "arn:aws-mars:iam::123456789012:policy/boundary",
                        "\"arn:aws-mars:iam::123456789012:policy/boundary\"", "PARTITION one of [aws, aws-cn,"),
                arguments("iamPermissionsBoundaryArn", "genomics-boundary", "\"genomics-boundary\"",
                        "arn:PARTITION:iam::ACCOUNT:policy/[PATH/]NAME"),
                arguments("iamPermissionsBoundaryArn", "arn:aws:iam::12345678901:policy/boundary",
                        "\"arn:aws:iam::12345678901:policy/boundary\"", "expected a managed policy ARN"),
                arguments("iamPermissionsBoundaryArn", "arn:aws:iam::123456789012:policy/team!/boundary",
                        "\"arn:aws:iam::123456789012:policy/team!/boundary\"", "PATH parts and NAME"),
                arguments("iamRolePath", "genomics", "\"genomics\"", "expected an IAM path"),
                arguments("iamRolePath", "/genomics", "\"/genomics\"", "starting and ending with '/'"),
                arguments("iamRolePath", "//", "\"//\"", "expected an IAM path"),
                arguments("iamRolePath", "/lab team/", "\"/lab team/\"", "no spaces"),
                arguments("iamRolePath", "/" + "p".repeat(511) + "/", "(513 characters)", "at most 512 characters"),
                arguments("instanceProfileArn", "arn:aws:iam::123456789012:role/hosts",
                        "\"arn:aws:iam::123456789012:role/hosts\"", "this ARN names a role, and Batch launches hosts "
                                + "with an instance profile"),
                arguments("instanceProfileArn", "acme-batch-hosts", "\"acme-batch-hosts\"",
                        "expected an instance profile ARN"),
                arguments("jobRoleArn", "arn:aws:iam::123456789012:instance-profile/jobs",
                        "\"arn:aws:iam::123456789012:instance-profile/jobs\"", "this ARN names an instance profile, "
                                + "and jobs run as a role; expected a role ARN"),
                arguments("jobRoleArn", "arn:aws:iam::123456789012:role/" + "r".repeat(65),
                        "\"arn:aws:iam::123456789012:role/", "NAME 1-64"),
                arguments("headJobRoleArn", "arn:aws:sts::123456789012:assumed-role/head/session",
                        "\"arn:aws:sts::123456789012:assumed-role/head/session\"", "expected a role ARN"),
                arguments("headJobRoleArn", "arn:aws-cn:iam::123456789012:role/head jobs",
                        "\"arn:aws-cn:iam::123456789012:role/head jobs\"", "expected a role ARN"));
    }

    @Test
    void broughtRolesOfDifferentAccountsOrOfAnotherPartitionThanTheRegionsAreRefused() {
        var answers = new AwsAnswers();
        var recording = TestStacks.run("dev", ConfigSource.of(Map.of(
                "instanceProfileArn", "arn:aws:iam::123456789012:instance-profile/hosts",
                "jobRoleArn", "arn:aws:iam::210987654321:role/jobs")), answers);
        assertThat(invalidConfig(recording).problems()).singleElement().satisfies(p -> {
            assertThat(p.keys()).containsExactly(ConfigKey.INSTANCE_PROFILE_ARN, ConfigKey.JOB_ROLE_ARN);
            assertThat(p.message()).isEqualTo("genomics-batch:instanceProfileArn, genomics-batch:jobRoleArn: got "
                    + "ARNs of accounts 123456789012 (instanceProfileArn), 210987654321 (jobRoleArn); expected one "
                    + "account, the stack's: EC2 launches hosts with an instance profile of its own account, and a "
                    + "role passed to a job is the account's own");
        });
        assertThat(recording.resources()).isEmpty();
        assertThat(answers.invokes()).isEmpty();

        var china = TestStacks.run("dev", ConfigSource.of(Map.of("jobRoleArn", "arn:aws:iam::123456789012:role/jobs",
                "iamPermissionsBoundaryArn", "arn:aws-cn:iam::aws:policy/PowerUserAccess"), Set.of(),
                Optional.of("cn-north-1")), new AwsAnswers());
        assertThat(invalidConfig(china).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .isEqualTo("genomics-batch:jobRoleArn: got \"arn:aws:iam::123456789012:role/jobs\"; an ARN of "
                        + "partition aws-cn, the partition of the stack's region cn-north-1 (aws:region): "
                        + "arn:aws-cn:iam::..."));
        assertThat(china.resources()).isEmpty();
    }

    @Test
    void theSameRoleForJobsAndHeadJobsWarns() {
        var role = "arn:aws:iam::123456789012:role/genomics/lab";
        assertThat(warnings(Map.of("jobRoleArn", role, "headJobRoleArn", role))).anySatisfy(w -> assertThat(w)
                .startsWith("genomics-batch:jobRoleArn and genomics-batch:headJobRoleArn are the same role"));
    }

    /** A work directory in a bucket of dataBucketNames, with a prefix the engines and IAM take as it is. */
    static Stream<Arguments> badWorkDirectories() {
        var prefixRule = "PREFIX parts separated by single '/', each of AWS's safe characters for object keys";
        return Stream.of(
                arguments("s3://acme-other/runs", "with BUCKET one of genomics-batch:dataBucketNames [\"acme-raw-reads\", "
                        + "\"acme-work\"] (jobs may write to those buckets only)"),
                arguments("s3://ACME-WORK/runs", "one of genomics-batch:dataBucketNames"), // legacy-shaped, not listed
                arguments("s3://acme-work", "and a PREFIX: the engines' work files, which they delete, stay apart"),
                arguments("s3://acme-work/", "and a PREFIX"),
                arguments("s3://acme-work//", "and a PREFIX"),
                arguments("s3://acme-work//runs", prefixRule),
                arguments("s3://acme-work/a//b", prefixRule),
                arguments("s3://acme-work/./runs", prefixRule),
                arguments("s3://acme-work/runs/..", prefixRule),
                arguments("s3://acme-work/my runs", prefixRule),
                arguments("s3://acme-work/runs$1", prefixRule),
                arguments("s3://acme-work/runs?", prefixRule),
                arguments("s3://acme-work/r\u00fcns", prefixRule),
                arguments("s3://acme-work/a\\b", prefixRule),
                arguments("s3://acme-work/runs:1", prefixRule));
    }

    @ParameterizedTest(name = "workDirectory = {0}")
    @MethodSource("badWorkDirectories")
    void refusesAWorkDirectoryOutsideTheDataBucketsOrWithoutAPlainPrefix(String value, String allowed) {
        var answers = new AwsAnswers();
        var recording = TestStacks.run("dev", ConfigSource.of(Map.of("dataBucketNames",
                "[\"acme-raw-reads\",\"acme-work\"]", "workDirectory", value)), answers);
        assertThat(invalidConfig(recording).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("genomics-batch:workDirectory: got \"" + value.replaceAll("/+$", "") + "\"; expected "
                        + "s3://BUCKET/PREFIX").contains(allowed));
        assertThat(recording.resources()).as("resources registered").isEmpty();
        assertThat(answers.invokes()).as("lookups made").isEmpty();
    }

    /** What AWS's bucket keys accept never fails later, legacy us-east-1 names included. */
    @ParameterizedTest
    @ValueSource(strings = {"s3://acme-work/runs", "s3://acme-work/runs/", "s3://acme-work/team-a/2026/runs_v1.2",
            "s3://acme-work/it's/(copy)/!*_-.", "s3://Legacy_Reads/work", "s3://acme.work.bucket/w"})
    void acceptsEveryWorkDirectoryOfTheRulesAndBuildsWithIt(String value) {
        var config = Map.of("dataBucketNames", "[\"acme-work\",\"Legacy_Reads\",\"acme.work.bucket\"]",
                "workDirectory", value);
        var recording = TestStacks.succeeded(TestStacks.run("dev", config));
        var uri = value.replaceAll("/+$", "");
        assertThat(recording.outputs()).containsEntry("workDirectory", uri);
        assertThat(warnings(config)).noneSatisfy(w -> assertThat(w).startsWith("genomics-batch:workDirectory"));
    }

    @Test
    void firstRunGapsAreWarned() {
        var none = SettingsValidator.warnings(ConfigReader.defaults());
        assertThat(none).anySatisfy(w -> assertThat(w).startsWith("genomics-batch:dataBucketNames is empty: jobs may"
                + " read the reference buckets but write to no S3 bucket"));
        assertThat(none).anySatisfy(w -> assertThat(w).startsWith("genomics-batch:workDirectory is not set:")
                .contains("s3://<work-bucket>/<prefix>").contains("the submitter policy grants no S3 access"));
        var bucketsOnly = SettingsValidator.warnings(ConfigReader.read(ConfigSource.of(Map.of("dataBucketNames",
                "[\"acme-work\"]"))).orThrow());
        assertThat(bucketsOnly).singleElement().satisfies(w -> assertThat(w).startsWith("genomics-batch:workDirectory"));
        // The program logs them, so `pulumi up` and the plan show them; they stop nothing.
        var recording = TestStacks.succeeded(TestStacks.run("dev", Map.of()));
        assertThat(recording.warnings()).containsAll(none);
        assertThat(recording.resources()).isNotEmpty();
    }

    @Test
    void aWorkDirectoryTooLongForTheSubmitterPolicyIsRefusedBeforeAnythingIsRegistered() {
        var value = "s3://acme-work/" + "p".repeat(1000);
        var recording = TestStacks.run("dev", Map.of("dataBucketNames", "[\"acme-work\"]", "workDirectory", value));
        assertThat(invalidConfig(recording).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("genomics-batch:workDirectory, genomics-batch:dataKmsKeyArns: got \""
                        + value.substring(0, 160) + "\"... (" + value.length() + " characters) (a prefix of 1000"
                        + " characters) and 0 keys, which need up to")
                .contains("IAM allows 6144 per managed policy: use a shorter prefix or fewer keys"));
        assertThat(recording.resources()).isEmpty();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badConfigs")
    void refusesBadValueBeforeRegisteringAnything(String key, String value, String shownValue, String allowed) {
        var answers = new AwsAnswers();
        var recording = TestStacks.run("dev", ConfigSource.of(Map.of(key, value)), answers);

        var problem = invalidConfig(recording);
        assertThat(problem.problems()).hasSize(1);
        var message = problem.problems().get(0).message();
        assertThat(message).startsWith("genomics-batch:" + key).contains(shownValue).contains(allowed);
        assertThat(recording.resources()).as("resources registered").isEmpty();
        assertThat(answers.invokes()).as("lookups made").isEmpty();
    }

    @Test
    void alertEmailsAndAlertTopicArnTogetherAreRefused() {
        var answers = new AwsAnswers();
        var recording = TestStacks.run("dev", ConfigSource.of(Map.of("alertEmails", "[\"lab@example.org\"]",
                "alertTopicArn", "arn:aws:sns:us-east-1:123456789012:lab-alerts")), answers);
        var problem = invalidConfig(recording);
        assertThat(problem.problems()).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("genomics-batch:alertEmails and genomics-batch:alertTopicArn are both set; set one"));
        assertThat(recording.resources()).isEmpty();
    }

    @Test
    void aTopicOfAnotherRegionThanTheStacksIsRefused() {
        var answers = new AwsAnswers();
        var arn = "arn:aws:sns:eu-west-1:123456789012:lab-alerts";
        var recording = TestStacks.run("dev", ConfigSource.of(Map.of("alertTopicArn", arn), Set.of(),
                Optional.of("us-east-1")), answers);
        assertThat(invalidConfig(recording).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .isEqualTo("genomics-batch:alertTopicArn: got \"" + arn + "\"; a topic in the stack's region "
                        + "us-east-1 (aws:region): EventBridge rules and CloudWatch alarms publish to a topic of "
                        + "their own region only"));
        assertThat(recording.resources()).isEmpty();
        // The same region, a FIFO topic name and the longest name are accepted.
        for (var ok : List.of("arn:aws:sns:us-east-1:123456789012:lab-alerts",
                "arn:aws-us-gov:sns:us-gov-west-1:123456789012:a_b-c", "arn:aws:sns:us-east-1:123456789012:"
                        + "x".repeat(256), "arn:aws:sns:us-east-1:123456789012:alerts.fifo")) {
            assertThat(ConfigReader.read(ConfigSource.of(Map.of("alertTopicArn", ok))).problems()).as(ok).isEmpty();
            assertThat(SettingsValidator.problems(ConfigReader.read(ConfigSource.of(Map.of("alertTopicArn", ok)))
                    .settings())).as(ok).isEmpty();
        }
        assertThat(SettingsValidator.problems(ConfigReader.read(ConfigSource.of(Map.of("alertTopicArn",
                "arn:aws:sns:us-east-1:123456789012:" + "x".repeat(257)))).settings())).hasSize(1);
    }

    @Test
    void addressesOfEveryShapeAMailServerTakesAreAccepted() {
        var ok = List.of("genomics-alerts@example.org", "first.last+batch@lab.example.ac.uk", "o'brien@x-y.io",
                "a@b.co", "user_name!#$%&*=?^`{|}~@example.org");
        var settings = ConfigReader.read(ConfigSource.of(Map.of("alertEmails",
                "[" + String.join(",", ok.stream().map(e -> "\"" + e + "\"").toList()) + "]"))).settings();
        assertThat(SettingsValidator.problems(settings)).isEmpty();
        assertThat(settings.alerts().emails()).containsExactlyElementsOf(ok);
    }

    /** Rules of the GPU environment, which only exists when gpuMaxVcpus is set. */
    static Stream<Arguments> badGpuConfigs() {
        return Stream.of(
                arguments("[\"m6i\"]", "\"m6i\"", "no GPUs (CPU types and Batch categories belong in "
                        + "genomics-batch:instanceTypes)"),
                arguments("[\"optimal\"]", "\"optimal\"", "no GPUs"),
                arguments("[\"inf2\"]", "\"inf2\"", "no GPUs"),
                arguments("[\"g4ad\"]", "\"g4ad\"", "AMD Radeon"),
                arguments("[\"dl1.24xlarge\"]", "\"dl1.24xlarge\"", "Habana Gaudi"),
                arguments("[\"g5g.xlarge\"]", "\"g5g.xlarge\"", "x86_64 only"),
                arguments("[\"p3dn.24xlarge\"]", "\"p3dn.24xlarge\" (NVIDIA V100)", "does not support p3 and g3"),
                // Names the API knows that moto's recording lacks: refused by Batch's own rule, not as unknown.
                arguments("[\"p3.2xlarge\"]", "\"p3.2xlarge\" (NVIDIA, by its name)", "does not support p3 and g3"),
                arguments("[\"g3s\"]", "\"g3s\"", "AWS Batch does not support p3 and g3 instance types on "
                        + "ECS_AL2023_NVIDIA"),
                arguments("[\"p2\"]", "\"p2\"", "GPUs older than p3's and g3's"),
                arguments("[\"p6e-gb200.36xlarge\"]", "\"p6e-gb200.36xlarge\"", "arm64, and ECS_AL2023_NVIDIA is "
                        + "built for x86_64 only"),
                arguments("[\"mac2\"]", "\"mac2\"", "only on Dedicated Hosts"),
                arguments("[\"g9\"]", "\"g9\"", "not an EC2 instance family or type"),
                arguments("[]", "[]", "at least one"));
    }

    @ParameterizedTest(name = "gpuInstanceTypes = {0}")
    @MethodSource("badGpuConfigs")
    void refusesWhatTheNvidiaAmiCannotRun(String value, String shownValue, String allowed) {
        var recording = TestStacks.run("dev", Map.of("gpuMaxVcpus", "64", "gpuInstanceTypes", value));
        var problems = invalidConfig(recording).problems();
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("genomics-batch:gpuInstanceTypes").contains(shownValue).contains(allowed));
        assertThat(recording.resources()).isEmpty();
    }

    /** However many values of an instance type key are wrong, and however, the key gets one message naming each. */
    @Test
    void eachInstanceTypeKeyGetsOneMessageNamingEveryBadValue() {
        var gpu = invalidConfig(TestStacks.run("dev", Map.of("gpuMaxVcpus", "64",
                "gpuInstanceTypes", "[\"g4ad\",\"g5g\",\"m6i\",\"g5\"]"))).problems();
        assertThat(gpu).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("genomics-batch:gpuInstanceTypes: got [\"g4ad\", \"g5g\", \"m6i\", \"g5\"]; ")
                .contains("\"g4ad\" (AMD Radeon Pro V520): GPUs of another maker than NVIDIA")
                .contains("\"g5g\" (NVIDIA T4g): arm64, and ECS_AL2023_NVIDIA is built for x86_64 only")
                .contains("\"m6i\": no GPUs")
                .doesNotContain("\"g5\" (")
                .doesNotContain("mixes architectures")
                .endsWith("or their types (e.g. g6.2xlarge), each once"));
        var cpu = invalidConfig(TestStacks.run("dev", Map.of("instanceTypes",
                "[\"m6x\",\"g5\",\"p5\",\"mac2\",\"a1\",\"m6i\",\"m6g\",\"m6i\",\"dl1\"]"))).problems();
        assertThat(cpu).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("genomics-batch:instanceTypes: got [\"m6x\", \"g5\", \"p5\", \"mac2\", \"a1\", \"m6i\", "
                        + "\"m6g\", \"m6i\", \"dl1\"]; \"m6x\": not an EC2 instance family or type (closest: m6i")
                // Values broken alike share their reason.
                .contains("\"g5\" (NVIDIA A10G), \"p5\" (NVIDIA H100): NVIDIA GPU families, which ECS_AL2023 has no "
                        + "driver for: list them in genomics-batch:gpuInstanceTypes")
                .contains("\"mac2\": EC2 Mac families")
                .contains("\"a1\": Amazon Linux 2023 (ECS_AL2023) does not support A1 instances")
                .contains("listed more than once: [\"m6i\"]")
                // Architectures are judged on the values that fit: dl1 is an x86_64 host.
                .contains("mixes architectures {arm64=[\"m6g\"], x86_64=[\"m6i\", \"dl1\"]}")
                .contains("; expected EC2 instance families"));
    }

    @Test
    void gpuQueueAndStrategyFollowTheRulesOfTheirKind() {
        var priority = invalidConfig(TestStacks.run("dev", Map.of("gpuMaxVcpus", "64", "gpuQueuePriority", "1001")));
        assertThat(priority.problems()).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("genomics-batch:gpuQueuePriority: got 1001").contains("from 0 to 1000"));
        var strategy = invalidConfig(TestStacks.run("dev", Map.of("gpuMaxVcpus", "64",
                "gpuAllocationStrategy", "SPOT_CAPACITY_OPTIMIZED")));
        assertThat(strategy.problems()).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("genomics-batch:gpuAllocationStrategy: got \"SPOT_CAPACITY_OPTIMIZED\"")
                .contains("[BEST_FIT, BEST_FIT_PROGRESSIVE]"));
    }

    @Test
    void instanceTypeListsThatExpandBeyondWhatBatchLaunchesFromWarn() {
        // Sizes per family as EC2 documents them: c6i, m6i and r6i 10 (large to 32xlarge, metal), r7i 11
        // (large to 48xlarge, metal-24xl, metal-48xl): 41 instance types.
        assertThat(warnings(Map.of("instanceTypes", "[\"c6i\",\"m6i\",\"r6i\",\"r7i\"]"))).singleElement()
                .satisfies(w -> assertThat(w).startsWith("genomics-batch:instanceTypes: 4 entries expand to 41"
                        + " instance types (their sizes in the EC2 catalog of ").contains("more than the 40")
                        .contains("largest sizes"));
        // Sizes count one each, categories expand inside Batch.
        assertThat(warnings(Map.of("instanceTypes", "[\"c6i\",\"m6i\",\"r6i\",\"r7i.24xlarge\"]"))).isEmpty();
        assertThat(warnings(Map.of("instanceTypes", "[\"default_x86_64\"]"))).isEmpty();
        // Small families count what they have: x2idn 4, x2iedn 8, z1d 7, i4i 10, d3 4 (33); m6id adds 10.
        assertThat(warnings(Map.of("instanceTypes", "[\"x2idn\",\"x2iedn\",\"z1d\",\"i4i\",\"d3\"]"))).isEmpty();
        assertThat(warnings(Map.of("instanceTypes", "[\"x2idn\",\"x2iedn\",\"z1d\",\"i4i\",\"d3\",\"m6id\"]")))
                .singleElement().satisfies(w -> assertThat(w).contains("expand to 43 instance types"));
        // Sizes the EC2 API names that moto's recording lacks count too: i3 7 (metal among them), u-12tb1 and
        // u-9tb1 2 each (112xlarge, metal): with c6i, m6i and r6i, 41.
        assertThat(warnings(Map.of("instanceTypes", "[\"c6i\",\"m6i\",\"r6i\",\"i3\",\"u-12tb1\",\"u-9tb1\"]")))
                .singleElement().satisfies(w -> assertThat(w).contains("6 entries expand to 41 instance types"));
        // GPU families: g4dn 7, g5, g6 and g6e 8 each, gr6 and p5 2 each: 35, within the limit.
        assertThat(warnings(Map.of("gpuMaxVcpus", "32", "gpuInstanceTypes",
                "[\"g4dn\",\"g5\",\"g6\",\"g6e\",\"gr6\",\"p5\"]"))).isEmpty();
        // ... and with p4d, p4de, p5e, p5en (one size each) and g6f (4): 43.
        assertThat(warnings(Map.of("gpuMaxVcpus", "32", "gpuInstanceTypes",
                "[\"g4dn\",\"g5\",\"g6\",\"g6e\",\"gr6\",\"p5\",\"p4d\",\"p4de\",\"p5e\",\"p5en\",\"g6f\"]")))
                .singleElement().satisfies(w -> assertThat(w)
                        .startsWith("genomics-batch:gpuInstanceTypes: 11 entries expand to 43 instance types"));
    }

    @Test
    void bucketListsTooLongForTheRolesInlinePoliciesAreRefusedBeforeAnythingIsRegistered() {
        var many = java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> "\"acme-genomics-sequencing-results-" + i + "-archive-bucket\"")
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
        var recording = TestStacks.run("dev", Map.of("dataBucketNames", many, "referenceBucketNames", many
                .replace("results", "reference")));
        assertThat(invalidConfig(recording).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("genomics-batch:dataBucketNames, genomics-batch:referenceBucketNames, "
                        + "genomics-batch:dataKmsKeyArns: 40 data buckets, 40 reference buckets and 0 keys need up to")
                .contains("IAM allows 10240 per role"));
        assertThat(recording.resources()).isEmpty();
        // A handful of buckets fits, as in the shipped prod stack.
        TestStacks.succeeded(TestStacks.run("dev", Map.of("dataBucketNames", many.substring(0, many.indexOf(",")) + "]")));
    }

    /** A policy's size is judged on names that are valid: a refused name is reported as such, once. */
    @Test
    void aRefusedNameIsNotAlsoCountedAgainstThePolicySizes() {
        var huge = "[\"" + "x".repeat(20_000) + "\"]";
        var recording = TestStacks.run("dev", Map.of("dataBucketNames", huge, "dataKmsKeyArns", huge));
        assertThat(invalidConfig(recording).problems()).extracting(ConfigProblem::message).hasSize(2)
                .anySatisfy(m -> assertThat(m).startsWith("genomics-batch:dataBucketNames: got [\"xxx"))
                .anySatisfy(m -> assertThat(m).startsWith("genomics-batch:dataKmsKeyArns: got [\"xxx"))
                .noneSatisfy(m -> assertThat(m).contains("characters of inline IAM policy"));
        assertThat(recording.resources()).isEmpty();
    }

    @Test
    void allowAllEgressWarns() {
        assertThat(warnings(Map.of("allowAllEgress", "true"))).singleElement().satisfies(w -> assertThat(w)
                .startsWith("genomics-batch:allowAllEgress = true").contains("sharedFileSystemSecurityGroupIds"));
    }


    @Test
    void reportsEveryProblemAtOnce() {
        var recording = TestStacks.run("dev", Map.of(
                "spotMaxVcpus", "lots",
                "spotBidPercentage", "101",
                "vpcId", "vpc-nope",
                "instanceTypes", "[\"m6i\",\"m6i\"]"));
        var e = invalidConfig(recording);
        assertThat(e.problems()).extracting(p -> p.message().substring(0, p.message().indexOf(':',
                "genomics-batch:".length()))).containsExactlyInAnyOrder("genomics-batch:spotMaxVcpus",
                "genomics-batch:spotBidPercentage", "genomics-batch:vpcId", "genomics-batch:instanceTypes");
        assertThat(e.getMessage()).startsWith("invalid stack configuration (4 problems); nothing was created");
        assertThat(recording.resources()).isEmpty();
    }

    @Test
    void doesNotJudgeRelationsOnAValueItCouldNotRead() {
        // spotMaxVcpus is unreadable: "spotMinVcpus <= spotMaxVcpus" would compare with a default the user never set.
        var e = invalidConfig(TestStacks.run("dev", Map.of("spotMinVcpus", "300", "spotMaxVcpus", "lots")));
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).message()).startsWith("genomics-batch:spotMaxVcpus");
    }

    @Test
    void doesNotJudgeTheWorkDirectoryAgainstBucketsItCouldNotRead() {
        var e = invalidConfig(TestStacks.run("dev", Map.of("dataBucketNames", "acme-work",
                "workDirectory", "s3://acme-work/runs")));
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("genomics-batch:dataBucketNames: got \"acme-work\"; expected a list of strings"));
    }

    /**
     * Formats AWS issues must be accepted: refusing a real ID is as bad as accepting garbage. Each
     * case is one or more KEY=VALUE joined by '&', read and then judged as the component judges them.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "vpcId=vpc-0a1b2c3d",
            "vpcId=vpc-0a1b2c3d4e5f67890",
            "subnetIds=[\"subnet-0a1b2c3d\",\"subnet-0a1b2c3d4e5f67890\"]",
            "instanceTypes=[\"optimal\"]",
            "instanceTypes=[\"default_x86_64\"]",
            "instanceTypes=[\"default_arm64\",\"m6g\",\"c7gn.16xlarge\",\"r8gd.metal-24xl\",\"is4gen.xlarge\"]",
            "instanceTypes=[\"m8azn.medium\",\"c7i-flex.xlarge\"]",
            "instanceTypes=[\"c8gd.metal-48xl\",\"x8g.metal-24xl\"]",
            "instanceTypes=[\"u-6tb1.56xlarge\",\"m7i-flex.large\",\"r7iz.metal-16xl\",\"x2iedn.32xlarge\",\"u7i-12tb.224xlarge\",\"c5n.18xlarge\",\"t3.nano\"]",
            "instanceTypes=[\"inf2\",\"trn1.2xlarge\",\"f2.6xlarge\",\"vt1.3xlarge\"]",
            // Non-NVIDIA accelerators run as ordinary hosts on ECS_AL2023 (their accelerators unused).
            "instanceTypes=[\"dl1\",\"dl2q.24xlarge\",\"g4ad.xlarge\",\"inf1\",\"trn2\",\"f1.2xlarge\",\"c6i\"]",
            // Names the EC2 API knows that moto's recording lacks (AWS hides older types from newer accounts).
            "instanceTypes=[\"i3.metal\",\"u-6tb1.metal\",\"u-12tb1.112xlarge\",\"u7ib-12tb\",\"hs1.8xlarge\",\"f1\"]",
            "gpuMaxVcpus=64&gpuInstanceTypes=[\"p6-b200.48xlarge\",\"g4dn.xlarge\",\"p4de\",\"g6e.48xlarge\",\"gr6\"]",
            "dataKmsKeyArns=[\"arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\",\"arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab\"]",
            "dataKmsKeyArns=[\"arn:aws-eusc:kms:eusc-de-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"]",
            "dataBucketNames=[\"my.bucket-1\",\"abc\",\"a23456789012345678901234567890123456789012345678901234567890123\"]",
            "spotBidPercentage=1",
            "spotBidPercentage=100",
            "defaultQueuePriority=0",
            "highPriorityQueuePriority=1000",
            "runnableTimeoutMinutes=10",
            "runnableTimeoutMinutes=1440",
            "scratchVolumeGiB=6",
            "scratchVolumeGiB=65536",
            "spotAllocationStrategy=BEST_FIT_PROGRESSIVE",
            "onDemandAllocationStrategy=BEST_FIT",
            "queueSpillover=false",
            "protect=true",
            "hostBootTimeoutMinutes=5",
            "hostBootTimeoutMinutes=120",
            "awsCliVersion=2.0.0",
            "awsCliVersion=2.36.7",
            "awsCliUrl=https://awscli.amazonaws.com",
            "awsCliUrl=https://lab-mirror.s3.eu-west-1.amazonaws.com/awscli/",
            "awsCliUrl=https://10.0.2.2:8443/awscli",
            // IAM: customer and AWS-managed boundaries with paths, IAM's path characters, brought roles with paths
            "iamPermissionsBoundaryArn=arn:aws:iam::123456789012:policy/boundaries/team.a/genomics+boundary@1",
            "iamPermissionsBoundaryArn=arn:aws:iam::aws:policy/PowerUserAccess",
            "iamPermissionsBoundaryArn=arn:aws-us-gov:iam::aws:policy/job-function/DataScientist",
            "iamRolePath=/",
            "iamRolePath=/genomics/",
            "iamRolePath=/org/unit-1/genomics_batch!*~/",
            "iamRolePath=///",
            "instanceProfileArn=arn:aws:iam::123456789012:instance-profile/acme-batch-hosts",
            "instanceProfileArn=arn:aws-cn:iam::123456789012:instance-profile/team/a/hosts_1+=,.@-&jobRoleArn=arn:aws-cn:iam::123456789012:role/team/jobs",
            "jobRoleArn=arn:aws:iam::123456789012:role/jobs&headJobRoleArn=arn:aws:iam::123456789012:role/a/b/c/head",
            "headJobRoleArn=arn:aws-eusc:iam::123456789012:role/head-jobs"})
    void acceptsEveryFormatAwsIssues(String assignments) {
        var config = new HashMap<String, String>();
        for (var assignment : assignments.split("&")) {
            config.put(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1));
        }
        var result = ConfigReader.read(ConfigSource.of(config));
        assertThat(result.problems()).isEmpty();
        assertThat(SettingsValidator.problems(result.settings())).isEmpty();
    }

    static Recorder.Recording inRegion(String region) {
        return TestStacks.run("dev", ConfigSource.of(Map.of(), java.util.Set.of(), java.util.Optional.of(region)),
                new AwsAnswers());
    }

    /** aws:region against the dated region list: the AWS provider itself skips region validation. */
    @ParameterizedTest
    @ValueSource(strings = {"eu-west1", "us-east-1 ", "US-EAST-1", "eu-central-3", "useast1", ""})
    void regionTyposAreRefusedBeforeAnythingIsRegistered(String region) {
        var answers = new AwsAnswers();
        var recording = TestStacks.run("dev", ConfigSource.of(Map.of(), java.util.Set.of(), java.util.Optional.of(region)),
                answers);
        assertThat(invalidConfig(recording).problems()).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("aws:region: got \"" + region + "\"; not an AWS region (AWS region list of ")
                .contains("expected a region code such as us-east-1"));
        assertThat(recording.resources()).isEmpty();
        assertThat(answers.invokes()).isEmpty();
    }

    @Test
    void regionTyposNameTheClosestRegions() {
        assertThat(invalidConfig(inRegion("eu-west1")).getMessage()).contains("closest: eu-west-1");
        assertThat(invalidConfig(inRegion("us-gov-west")).getMessage()).contains("closest: us-gov-west-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"us-east-1", "eu-west-1", "ap-southeast-7", "mx-central-1", "cn-northwest-1", "us-gov-west-1",
            "eusc-de-east-1", "us-isof-south-1"})
    void everyPartitionsRegionsAreAccepted(String region) {
        TestStacks.succeeded(inRegion(region));
    }

    @Test
    void legacyBucketNamesAreAcceptedWithAWarning() {
        var result = ConfigReader.read(ConfigSource.of(Map.of("dataBucketNames", "[\"Legacy_Reads\"]")));
        assertThat(result.problems()).isEmpty();
        assertThat(SettingsValidator.warnings(result.settings())).filteredOn(w -> w.contains("Legacy_Reads"))
                .singleElement().satisfies(w -> assertThat(w)
                .startsWith("genomics-batch:dataBucketNames: \"Legacy_Reads\" follows the legacy us-east-1 naming")
                .contains("2018-03-01")
                // workDirectory may name such a bucket (WorkflowEngineResourcesTest): no word against it.
                .doesNotContain("work directory"));
    }

    @Test
    void riskySettingsAreLoggedAsPulumiWarnings() {
        var recording = TestStacks.succeeded(TestStacks.run("dev", Map.of(
                "spotAllocationStrategy", "SPOT_PRICE_CAPACITY_OPTIMIZED",
                "onDemandMaxVcpus", "4096",
                "spotMinVcpus", "8",
                "dataBucketNames", "[\"acme-work\"]",
                "workDirectory", "s3://acme-work/runs")));
        assertThat(recording.warnings()).hasSize(3);
        assertThat(recording.warnings()).anySatisfy(w -> assertThat(w)
                .startsWith("genomics-batch:spotAllocationStrategy").contains("#38695"));
        assertThat(recording.warnings()).anySatisfy(w -> assertThat(w)
                .startsWith("genomics-batch:onDemandMaxVcpus").contains("quota"));
        assertThat(recording.warnings()).anySatisfy(w -> assertThat(w)
                .startsWith("genomics-batch:spotMinVcpus").contains("billed"));
        assertThat(recording.resources()).isNotEmpty(); // warnings do not stop the deployment
    }

    @Test
    void otherRiskySettingsWarnToo() {
        var bestFit = warnings(Map.of("onDemandAllocationStrategy", "BEST_FIT", "protect", "true"));
        assertThat(bestFit).anySatisfy(w -> assertThat(w).startsWith("genomics-batch:onDemandAllocationStrategy = "
                + "BEST_FIT:").contains("cannot be updated in place"));
        assertThat(bestFit).anySatisfy(w -> assertThat(w).startsWith("genomics-batch:onDemandAllocationStrategy = "
                + "BEST_FIT with genomics-batch:protect = true").contains("on-demand compute environment fails while it is protected"));
        var allSubnets = warnings(Map.of("vpcId", "vpc-0a1b2c3d"));
        assertThat(allSubnets).singleElement().satisfies(w -> assertThat(w).startsWith("genomics-batch:subnetIds is empty")
                .contains("vpc-0a1b2c3d").contains("public ones included"));
        assertThat(warnings(Map.of())).isEmpty();
    }

    /** The warnings of a config with a work directory, so that the tests of other keys see their own only. */
    static List<String> warnings(Map<String, String> config) {
        var withWork = new HashMap<>(WORK_DIRECTORY_SET);
        withWork.putAll(config);
        return SettingsValidator.warnings(ConfigReader.read(ConfigSource.of(withWork)).orThrow());
    }

    static final Map<String, String> WORK_DIRECTORY_SET = Map.of("dataBucketNames", "[\"acme-work\"]",
            "workDirectory", "s3://acme-work/runs");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theFixtureStacksValidateWithOnlyTheFirstRunWarnings(String stack) {
        var result = ConfigReader.read(StackFiles.load(TestStacks.PROJECT_DIR, stack).source());
        assertThat(result.problems()).isEmpty();
        assertThat(SettingsValidator.problems(result.settings())).isEmpty();
        // Neither fixture names a work directory (dev names no data bucket either): only that is warned.
        var firstRun = new ArrayList<String>(List.of("genomics-batch:workDirectory is not set"));
        if (stack.equals("dev")) {
            firstRun.add(0, "genomics-batch:dataBucketNames is empty");
        }
        assertThat(SettingsValidator.warnings(result.settings())).hasSameSizeAs(firstRun)
                .zipSatisfy(firstRun, (w, start) -> assertThat(w).startsWith(start));
    }

    @Test
    void componentArgsGetTheSameChecksAsStackConfig() {
        var d = ConfigReader.defaults();
        var spot = d.computeEnvironment(Lineup.SPOT).orElseThrow();
        var mixed = new Settings.ComputeEnvironmentSpec(spot.name(), spot.capacity(), spot.imageType(),
                List.of("m6i", "m6g"), spot.minVcpus(), spot.maxVcpus(), spot.allocationStrategy(),
                spot.bidPercentage(), spot.keys());
        var queues = d.queues().stream().map(q -> new Settings.QueueSpec(q.name(), 5, q.computeEnvironments(),
                q.onDemandOnly(), q.priorityKey())).toList();
        var bad = new Settings.Environment(d.network(), List.of(mixed, d.computeEnvironments().get(1)), queues,
                d.runnableTimeoutMinutes(), d.storage(), d.hosts(), d.data(), d.logRetentionDays(), d.protect());
        var recording = Recorder.run("dev", new AwsAnswers(), ctx -> new io.genomicsbatch.GenomicsBatchEnvironment(
                "custom", new io.genomicsbatch.GenomicsBatchEnvironment.Args("custom", bad, Map.of())));
        // the instance types mix architectures (reported once, on the key) and the priorities are equal
        assertThat(invalidConfig(recording).problems()).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).startsWith("genomics-batch:instanceTypes: got [\"m6i\", \"m6g\"]; mixes"))
                .anySatisfy(m -> assertThat(m).startsWith("genomics-batch:highPriorityQueuePriority: got 5, not above"))
                .noneSatisfy(m -> assertThat(m).contains("mix architectures"));
        assertThat(recording.resources()).isEmpty();
    }

    @Test
    void aQueueWhoseEnvironmentsEachHaveOneArchitectureButDifferMixesArchitectures() {
        var d = ConfigReader.defaults();
        var spot = d.computeEnvironment(Lineup.SPOT).orElseThrow();
        var arm = new Settings.ComputeEnvironmentSpec(spot.name(), spot.capacity(), spot.imageType(),
                List.of("m6g"), spot.minVcpus(), spot.maxVcpus(), spot.allocationStrategy(),
                spot.bidPercentage(), spot.keys());
        var intel = d.computeEnvironments().get(1);
        var mixedQueues = new Settings.Environment(d.network(), List.of(arm, intel), d.queues(),
                d.runnableTimeoutMinutes(), d.storage(), d.hosts(), d.data(), d.logRetentionDays(), d.protect());
        assertThat(SettingsValidator.problems(mixedQueues)).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).startsWith("queue default ([spot, on-demand]): its compute "
                        + "environments mix architectures [arm64, x86_64]"))
                .anySatisfy(m -> assertThat(m).startsWith("queue high-priority ([on-demand, spot]): its compute "
                        + "environments mix architectures [arm64, x86_64]"));
    }

    // ---- randomized: valid settings always give a graph, invalid ones never do ------------------

    /** Values each key may take that are invalid whatever the other keys say. */
    static final Map<String, List<String>> ALWAYS_INVALID = Map.ofEntries(
            Map.entry("vpcId", List.of("vpc-12345", "subnet-0a1b2c3d", "vpc-0A1B2C3D")),
            Map.entry("subnetIds", List.of("[\"subnet-1\"]", "subnet-0a1b2c3d", "[1]")),
            Map.entry("instanceTypes", List.of("[]", "[\"m6i.enormous\"]", "[\"c6i\",\"c6g\"]")),
            Map.entry("spotMinVcpus", List.of("-1", "x", "1.5")),
            Map.entry("spotMaxVcpus", List.of("0", "-3", "many")),
            Map.entry("spotBidPercentage", List.of("0", "101", "ten")),
            Map.entry("spotAllocationStrategy", List.of("FASTEST", "best_fit", "")),
            Map.entry("onDemandMinVcpus", List.of("-2", "a")),
            Map.entry("onDemandMaxVcpus", List.of("0", "1e3")),
            Map.entry("onDemandAllocationStrategy", List.of("SPOT_CAPACITY_OPTIMIZED", "SPOT_PRICE_CAPACITY_OPTIMIZED")),
            Map.entry("defaultQueuePriority", List.of("-1", "1001")),
            Map.entry("highPriorityQueuePriority", List.of("1001", "top")),
            Map.entry("queueSpillover", List.of("1", "TRUE", "no")),
            Map.entry("runnableTimeoutMinutes", List.of("9", "1441", "0")),
            Map.entry("scratchVolumeGiB", List.of("0", "65537")),
            Map.entry("dataBucketNames", List.of("[\"a\"]", "[\"-bucket\"]", "\"bucket\"")),
            Map.entry("workDirectory", List.of("s3://never-listed-bucket/runs", "reads/runs", "s3://ab/runs")),
            Map.entry("protect", List.of("yes", "")),
            Map.entry("engineSpotAttempts", List.of("11", "-2", "5.5")),
            Map.entry("nextflowOnDemandFallback", List.of("on", "")),
            Map.entry("iamRolePath", List.of("genomics", "/genomics", "")),
            Map.entry("jobRoleArn", List.of("jobs", "arn:aws:iam::123456789012:user/jobs")));

    /** A consistent valid config: relations (min <= max, high > default) hold. */
    static Map<String, String> randomValid(Random random) {
        var config = new HashMap<String, String>();
        if (random.nextBoolean()) {
            config.put("vpcId", random.nextBoolean() ? "vpc-0a1b2c3d" : "vpc-0a1b2c3d4e5f67890");
            config.put("subnetIds", "[\"subnet-0a1b2c3d\",\"subnet-0a1b2c3d4e5f67891\"]");
        }
        var typeSets = List.of("[\"c6i\",\"m6i\",\"r6i\"]", "[\"optimal\"]", "[\"m6g.xlarge\",\"c7g\"]",
                "[\"default_arm64\"]", "[\"m7i-flex.large\",\"u-6tb1.56xlarge\"]");
        config.put("instanceTypes", typeSets.get(random.nextInt(typeSets.size())));
        var spotMax = 1 + random.nextInt(1024);
        config.put("spotMaxVcpus", Integer.toString(spotMax));
        config.put("spotMinVcpus", Integer.toString(random.nextInt(spotMax + 1)));
        config.put("spotBidPercentage", Integer.toString(1 + random.nextInt(100)));
        var spotStrategies = List.of("BEST_FIT", "BEST_FIT_PROGRESSIVE", "SPOT_CAPACITY_OPTIMIZED",
                "SPOT_PRICE_CAPACITY_OPTIMIZED");
        config.put("spotAllocationStrategy", spotStrategies.get(random.nextInt(spotStrategies.size())));
        var onDemandMax = 1 + random.nextInt(512);
        config.put("onDemandMaxVcpus", Integer.toString(onDemandMax));
        config.put("onDemandMinVcpus", Integer.toString(random.nextInt(onDemandMax + 1)));
        config.put("onDemandAllocationStrategy", random.nextBoolean() ? "BEST_FIT" : "BEST_FIT_PROGRESSIVE");
        var low = random.nextInt(1000);
        config.put("defaultQueuePriority", Integer.toString(low));
        config.put("highPriorityQueuePriority", Integer.toString(low + 1 + random.nextInt(1000 - low)));
        config.put("queueSpillover", Boolean.toString(random.nextBoolean()));
        config.put("runnableTimeoutMinutes", Integer.toString(10 + random.nextInt(1431)));
        config.put("scratchVolumeGiB", Integer.toString(1 + random.nextInt(65536)));
        if (random.nextBoolean()) {
            var bucket = "reads-" + random.nextInt(1000);
            config.put("dataBucketNames", "[\"" + bucket + "\"]");
            if (random.nextBoolean()) {
                config.put("workDirectory", "s3://" + bucket + "/work-" + random.nextInt(1000));
            }
        } else {
            config.put("dataBucketNames", "[]");
        }
        config.put("protect", Boolean.toString(random.nextBoolean()));
        config.put("engineSpotAttempts", Integer.toString(random.nextInt(11)));
        config.put("nextflowOnDemandFallback", Boolean.toString(random.nextBoolean()));
        return config;
    }

    @Test
    void validSettingsAlwaysGiveAGraphAndInvalidOnesNever() {
        var random = new Random(20261124L);
        var keys = new ArrayList<>(ALWAYS_INVALID.keySet());
        keys.sort(null);
        for (var i = 0; i < 60; i++) {
            var config = randomValid(random);
            var broken = new ArrayList<String>();
            if (random.nextInt(3) > 0) { // two in three runs break one to three keys
                for (var n = 1 + random.nextInt(3); n > 0; n--) {
                    var key = keys.get(random.nextInt(keys.size()));
                    var bad = ALWAYS_INVALID.get(key);
                    config.put(key, bad.get(random.nextInt(bad.size())));
                    if (!broken.contains(key)) {
                        broken.add(key);
                    }
                }
            }
            var answers = new AwsAnswers(Map.of(AwsAnswers.DEFAULT_VPC, AwsAnswers.DEFAULT_VPC_SUBNETS,
                    "vpc-0a1b2c3d", List.of("subnet-0a1b2c3d", "subnet-0a1b2c3d4e5f67891"),
                    "vpc-0a1b2c3d4e5f67890", List.of("subnet-0a1b2c3d", "subnet-0a1b2c3d4e5f67891")));
            var recording = TestStacks.run("dev", ConfigSource.of(config), answers);
            if (broken.isEmpty()) {
                assertThat(recording.exceptions()).as("valid config %s", config).isEmpty();
                assertThat(recording.resources()).as("valid config %s", config).hasSizeGreaterThanOrEqualTo(12);
            } else {
                var messages = invalidConfig(recording).getMessage();
                for (var key : broken) {
                    assertThat(messages).as("config %s", config).contains("genomics-batch:" + key);
                }
                assertThat(recording.resources()).as("invalid config %s", config).isEmpty();
            }
        }
    }
}
