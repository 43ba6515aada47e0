package io.genomicsbatch.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dated catalogs the checks read (written by .ci/catalog/generate.py): they say when and where
 * their facts come from, hold the facts AWS documents, and every refusal based on them says their date.
 */
class CatalogTest {

    static final String ISO_DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}";

    @Test
    void bothCatalogsCarryTheirDateAndSource() {
        var ec2 = CatalogFile.read(InstanceCatalog.RESOURCE, 5);
        assertThat(ec2.date()).matches(ISO_DATE);
        assertThat(ec2.source()).contains("moto").contains("DescribeInstanceTypes").contains("botocore");
        var regions = CatalogFile.read(AwsRegions.RESOURCE, 4);
        assertThat(regions.date()).matches(ISO_DATE);
        assertThat(regions.source()).contains("botocore").contains("endpoints.json");
    }

    @Test
    void instanceFamiliesHaveTheSizesArchitecturesAndGpusEc2Documents() {
        var ec2 = InstanceCatalog.ec2();
        var m6g = ec2.family("m6g").orElseThrow();
        assertThat(m6g.architecture()).isEqualTo("arm64");
        assertThat(m6g.gpu()).isEmpty();
        assertThat(ec2.family("c6i").orElseThrow().sizes()).containsExactly("large", "xlarge", "2xlarge", "4xlarge",
                "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge", "metal");
        assertThat(ec2.family("g5").orElseThrow().gpu()).contains("NVIDIA A10G");
        assertThat(ec2.family("g4ad").orElseThrow().gpuManufacturer()).contains("AMD");
        assertThat(ec2.family("g5g").orElseThrow().architecture()).isEqualTo("arm64");
        // c1 also runs 32-bit code; Batch's AMIs are 64-bit.
        assertThat(ec2.family("c1").orElseThrow().architecture()).isEqualTo("x86_64");
        assertThat(ec2.match("p5.48xlarge")).isEqualTo(InstanceCatalog.Match.KNOWN);
        // Names the EC2 API knows are known, whether or not moto's recording (one account's view) has them.
        assertThat(ec2.match("p2.xlarge")).isEqualTo(InstanceCatalog.Match.KNOWN);
        assertThat(ec2.match("i3.metal")).isEqualTo(InstanceCatalog.Match.KNOWN);
        assertThat(ec2.family("i3").orElseThrow().sizes()).endsWith("16xlarge", "metal");
        assertThat(ec2.instanceTypes("u-6tb1")).isEqualTo(3); // 56xlarge, 112xlarge, metal
        assertThat(ec2.match("m6i.huge")).isEqualTo(InstanceCatalog.Match.UNKNOWN_SIZE);
        assertThat(ec2.match("r9z")).isEqualTo(InstanceCatalog.Match.UNKNOWN);
        // Families the recording lacks: architecture and GPU read from the name.
        var p3 = ec2.family("p3").orElseThrow();
        assertThat(p3.recorded()).isFalse();
        assertThat(p3.gpuManufacturer()).contains("NVIDIA");
        assertThat(p3.architecture()).isEqualTo("x86_64");
        assertThat(ec2.family("cg1").orElseThrow().gpuManufacturer()).contains("NVIDIA");
        assertThat(ec2.family("p6e-gb200").orElseThrow().architecture()).isEqualTo("arm64"); // Grace
        var u12 = ec2.family("u-12tb1").orElseThrow();
        assertThat(u12.architecture()).isEqualTo("x86_64");
        assertThat(u12.gpu()).isEmpty();
        assertThat(ec2.family("f1").orElseThrow().gpu()).isEmpty(); // FPGAs
        // Mac families, by their EC2 architectures.
        assertThat(ec2.family("mac1").orElseThrow().mac()).isTrue();
        assertThat(ec2.family("mac2-m2pro").orElseThrow().architecture()).isEqualTo("arm64_mac");
        assertThat(ec2.family("m6i").orElseThrow().mac()).isFalse();
        // What the GPU environment's AMI runs: NVIDIA and x86_64, not the generations Batch dropped.
        assertThat(AwsFormats.nvidiaAmiFamilies()).contains("g4dn", "g5", "g6", "g6e", "p4d", "p5")
                .doesNotContain("g4ad", "g5g", "p3dn", "dl1", "inf2", "m6i", "p2", "p3", "g2", "g3", "g3s", "cg1",
                        "p6e-gb200");
    }

    @Test
    void regionsOfEveryPartitionWithTheirPartition() {
        assertThat(AwsRegions.regions()).extracting(AwsRegions.Region::partition)
                .contains("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b");
        for (var entry : Map.of("us-east-1", "aws", "cn-north-1", "aws-cn", "us-gov-west-1", "aws-us-gov").entrySet()) {
            assertThat(AwsRegions.region(entry.getKey()).orElseThrow().partition()).isEqualTo(entry.getValue());
        }
        assertThat(AwsRegions.region("eu-west1")).isEmpty();
        // The IAM budget sizes ARNs with the longest names AWS could write.
        assertThat(AwsRegions.longestPartition().length()).isGreaterThanOrEqualTo("aws-us-gov".length());
        assertThat(AwsRegions.longestRegion().length()).isGreaterThanOrEqualTo("ap-southeast-7".length());
    }

    @Test
    void refusalsBasedOnACatalogSayItsDate() {
        var ec2 = CatalogFile.read(InstanceCatalog.RESOURCE, 5).date();
        var result = ConfigReader.read(ConfigSource.of(Map.of("instanceTypes", "[\"r9z\"]")));
        assertThat(SettingsValidator.problems(result.settings())).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("genomics-batch:instanceTypes: got [\"r9z\"]; \"r9z\": not an EC2 instance family or type "
                        + "(closest: r7iz")
                .contains("the EC2 API knows (the EC2 catalog of " + ec2 + ")"));
        var regions = CatalogFile.read(AwsRegions.RESOURCE, 4).date();
        assertThat(ConfigReader.read(ConfigSource.of(Map.of(), java.util.Set.of(), java.util.Optional.of("eu-west1")))
                .problems()).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("aws:region: got \"eu-west1\"; not an AWS region (AWS region list of " + regions));
    }
}
