// The dev stack of genomics-batch written for Pulumi's Node.js SDK and run under its mocks:
// every resource of the Java plan, with the same inputs, wired to each other's outputs as the Java
// program wires them, and the same data-source calls. Used only to time Node.js beside the JVM.
const pulumi = require("@pulumi/pulumi");
// The plan JSON of a stack (`plan --format json`), path in the first argument.
const plan = require(require("path").resolve(process.argv[2]));
pulumi.runtime.setMocks({
  newResource: (args) => ({
    id: `${args.name}-id`,
    state: { ...args.inputs, arn: `arn:aws:x:us-east-1:123456789012:${args.name}`, name: args.inputs.name ?? `${args.name}-generated`, latestVersion: 1 },
  }),
  call: (args) => {
    switch (args.token) {
      case "aws:ec2/getVpc:getVpc": return { id: "vpc-0d0d0d0d0d0d0d0d0" };
      case "aws:ec2/getSubnets:getSubnets": return { id: "vpc-0d0d0d0d0d0d0d0d0", ids: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"] };
      case "aws:index/getPartition:getPartition": return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com" };
      case "aws:index/getCallerIdentity:getCallerIdentity": return { id: "123456789012", accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/x", userId: "x" };
      case "aws:index/getRegion:getRegion": return { id: "us-east-1", name: "us-east-1" };
      default: return {};
    }
  },
}, "genomics-batch", plan.stack, false);
const aws = require("@pulumi/aws");

const classes = {
  "aws:ec2/securityGroup:SecurityGroup": aws.ec2.SecurityGroup,
  "aws:ec2/launchTemplate:LaunchTemplate": aws.ec2.LaunchTemplate,
  "aws:iam/role:Role": aws.iam.Role,
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": aws.iam.RolePolicyAttachment,
  "aws:iam/rolePolicy:RolePolicy": aws.iam.RolePolicy,
  "aws:iam/instanceProfile:InstanceProfile": aws.iam.InstanceProfile,
  "aws:iam/policy:Policy": aws.iam.Policy,
  "aws:batch/computeEnvironment:ComputeEnvironment": aws.batch.ComputeEnvironment,
  "aws:batch/jobQueue:JobQueue": aws.batch.JobQueue,
  "aws:cloudwatch/logGroup:LogGroup": aws.cloudwatch.LogGroup,
};

class BatchEnvironment extends pulumi.ComponentResource {
  constructor(name) {
    super("genomics-batch:index:BatchEnvironment", name, {}, {});
    const vpc = aws.ec2.getVpcOutput({ default: true }, { parent: this });
    const subnets = aws.ec2.getSubnetsOutput({ filters: [{ name: "vpc-id", values: [vpc.id] }] }, { parent: this });
    const partition = aws.getPartitionOutput({}, { parent: this });
    const account = aws.getCallerIdentityOutput({}, { parent: this });
    const region = aws.getRegionOutput({}, { parent: this });
    const built = {};
    // "<after deploy: X.attr>" and lookups become the outputs of what they name.
    const wire = (value) => {
      if (typeof value === "string") {
        const m = value.match(/^<after deploy: (.+)\.(\w+)>$/);
        if (m && built[m[1]]) return built[m[1]][m[2]];
        if (value.startsWith("<lookup:")) return value.includes("VPC") ? vpc.id : account.accountId;
        return value;
      }
      if (Array.isArray(value)) return value.map(wire);
      if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wire(v)]));
      return value;
    };
    for (const r of plan.resources.filter((r) => r.type !== "genomics-batch:index:BatchEnvironment")) {
      const inputs = wire(r.inputs);
      if (r.type.startsWith("aws:batch/computeEnvironment")) inputs.computeResources.subnets = subnets.ids;
      const deps = r.dependsOn.map((d) => built[d]).filter(Boolean);
      built[r.name] = new classes[r.type](r.name, inputs, { parent: this, protect: r.protect, dependsOn: deps,
        ignoreChanges: r.ignoreChanges });
    }
    this.outputs = Object.fromEntries(Object.keys(plan.outputs).map((k) => [k, pulumi.output(plan.outputs[k])]));
    this.registerOutputs({ region: region.name, partition: partition.partition });
  }
}
const env = new BatchEnvironment("genomics-batch");
module.exports = env.outputs;
