#!/usr/bin/env node
// Evaluates the IAM policies the Pulumi program registers, offline, with @cloud-copilot/iam-simulate.
//
// Input: target/iam/<stack>.json, written by IamExportTest (`./mvnw verify`): every role's trust
// policy, inline and customer-managed policies and AWS-managed policy ARNs, every customer-managed
// policy (the submitter policy), the queues, the config's buckets, keys and work directory, each role's
// permissions boundary ARN; the roles a stack brings as the account team makes them from the export.
// AWS-managed policy documents come from managed-policies/ beside this script, boundary documents from boundaries/.
//
// Usage: node .ci/iam/check.mjs [--dir DIR]
// Prints one line per scenario and a closing "iam: N passed, N failed" line; exits 1 on any failure.

import { runSimulation } from '@cloud-copilot/iam-simulate'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const argv = process.argv.slice(2)
const dirFlag = argv.indexOf('--dir')
const dir = dirFlag >= 0 ? resolve(argv[dirFlag + 1]) : resolve(here, '../../target/iam')
const unknown = argv.filter((a, i) => !['--dir'].includes(a) && argv[i - 1] !== '--dir')
if (unknown.length > 0) {
  console.error(`usage: node .ci/iam/check.mjs [--dir DIR] (unknown: ${unknown.join(' ')})`)
  process.exit(2)
}

const JOB_ROLE = 'genomics-batch-job-role'
const INSTANCE_ROLE = 'genomics-batch-instance-role'
const HEAD_JOB_ROLE = 'genomics-batch-head-job-role'
/** A CI role with nothing but the submitter policy attached (the policy is for principals outside the stack). */
const SUBMITTER = 'ci-runner-with-submitter-policy'
const SUBMITTER_POLICY = 'genomics-batch-submitter-policy'
/** The boot-loop stop (bootLoopStop): the automation's role and the role EventBridge starts it with. */
const AUTOMATION_ROLE = 'genomics-batch-boot-loop-stop-role'
const AUTOMATION_EVENTS_ROLE = 'genomics-batch-boot-loop-stop-events-role'
/** An account that is neither this environment's nor a public dataset's. */
const OTHER_ACCOUNT = '210987654321'
/** The owner of public reference buckets (AWS Open Data): another account than ours. */
const DATASET_ACCOUNT = '000011112222'
const UNRELATED_BUCKET = 'someone-elses-genomics-bucket'
const OBJECT_KEY = 'runs/sample-1/reads_R1.fastq.gz'
/** A job definition as Nextflow registers it for a task image (nf-<image, normalized>). */
const NEXTFLOW_JOB_DEFINITION = 'nf-quay-io-biocontainers-fastqc-0-12-1--hdfd78af-0'
const REFERENCE_KEYS = {
  'ngi-igenomes': 'igenomes/Homo_sapiens/NCBI/GRCh38/Sequence/WholeGenomeFasta/genome.fa',
  'annotation-cache': 'vep_cache/homo_sapiens/113_GRCh38/info.txt'
}

const document = (statements) => ({ Version: '2012-10-17', Statement: statements })
/** A public dataset's bucket policy: anyone may read and list. */
const publicReadPolicy = (bucket) =>
  document([
    {
      Effect: 'Allow',
      Principal: '*',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]
    }
  ])
/** The worst bucket policy: anyone may do anything, so only our own role's policy can refuse a write. */
const openBucketPolicy = (bucket) =>
  document([
    { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }
  ])
/** A KMS key's default policy: the account's IAM policies decide. */
const defaultKeyPolicy = (account) =>
  document([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }])

/** The scenarios that the program as it is must pass. */
function currentScenarios(env) {
  const s = []
  const data = env.dataBucketNames
  const someBucket = data[0] ?? 'acme-example-data'
  s.push(trust(env, JOB_ROLE, 'ecs-tasks.amazonaws.com', env.account, 'Allowed'))
  s.push(trust(env, JOB_ROLE, 'ecs-tasks.amazonaws.com', OTHER_ACCOUNT, 'Denied'))
  s.push(trust(env, JOB_ROLE, 'ec2.amazonaws.com', env.account, 'Denied'))
  s.push(trust(env, INSTANCE_ROLE, 'ec2.amazonaws.com', env.account, 'Allowed'))
  for (const bucket of data) {
    s.push(s3(env, JOB_ROLE, 's3:GetObject', bucket, OBJECT_KEY, 'Allowed'))
    s.push(s3(env, JOB_ROLE, 's3:PutObject', bucket, OBJECT_KEY, 'Allowed'))
    s.push(s3(env, JOB_ROLE, 's3:ListBucket', bucket, null, 'Allowed'))
  }
  if (data.length === 0) {
    s.push({ ...s3(env, JOB_ROLE, 's3:GetObject', someBucket, OBJECT_KEY, 'Denied'), note: 'dataBucketNames is empty' })
  }
  for (const action of ['s3:GetObject', 's3:PutObject']) {
    s.push(s3(env, JOB_ROLE, action, UNRELATED_BUCKET, OBJECT_KEY, 'Denied'))
    s.push(s3(env, INSTANCE_ROLE, action, someBucket, OBJECT_KEY, 'Denied'))
  }
  return s
}

/**
 * Host storage growth (issue 9): the instance role may create only encrypted gp3 volumes tagged for
 * its own environment, and attach, detach or delete only volumes (and instances) carrying that tag;
 * it may set delete-on-termination, not protection or shutdown attributes, and put one metric.
 */
function storageScenarios(env) {
  const s = []
  const tagKey = 'genomics-batch-environment'
  // The environment's name prefix, as its log group carries it (/aws/batch/<namePrefix>).
  const ours = env.outputs.jobLogGroupName.replace('/aws/batch/', '')
  const volume = `arn:aws:ec2:${env.region}:${env.account}:volume/vol-0123456789abcdef0`
  const instance = `arn:aws:ec2:${env.region}:${env.account}:instance/i-0123456789abcdef0`
  const create = (tags, encrypted, type, size, expect, note) =>
    call(env, INSTANCE_ROLE, 'ec2:CreateVolume', volume, expect, {
      note,
      context: {
        ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
        'aws:TagKeys': Object.keys(tags),
        'ec2:Encrypted': encrypted,
        'ec2:VolumeType': type,
        'ec2:VolumeSize': String(size)
      }
    })
  s.push(create({ [tagKey]: ours }, 'true', 'gp3', 100, 'Allowed', 'tagged, encrypted gp3'))
  s.push(create({}, 'true', 'gp3', 100, 'Denied', 'untagged'))
  s.push(create({ [tagKey]: 'genomics-batch-someone-else' }, 'true', 'gp3', 100, 'Denied', "another environment's tag"))
  s.push(create({ [tagKey]: ours, Name: 'extra' }, 'true', 'gp3', 100, 'Denied', 'an extra tag'))
  // Issue 18: a grown volume carries the launch template's volume tags (the stack's tags and ours), and no other key.
  s.push(create({ ...env.volumeTags, [tagKey]: ours }, 'true', 'gp3', 100, 'Allowed',
    `the launch template's volume tags (${Object.keys(env.volumeTags).join(', ')})`))
  s.push(create({ ...env.volumeTags, [tagKey]: ours, Owner: 'someone' }, 'true', 'gp3', 100, 'Denied',
    "the launch template's volume tags and a key they do not have"))
  s.push(create({ ...env.volumeTags, [tagKey]: 'genomics-batch-someone-else' }, 'true', 'gp3', 100, 'Denied',
    "the launch template's volume tags with another environment's tag"))
  s.push(create({ [tagKey]: ours }, 'false', 'gp3', 100, 'Denied', 'unencrypted'))
  s.push(create({ [tagKey]: ours }, 'true', 'io2', 100, 'Denied', 'not gp3'))
  const tagged = (resource, action, value, expect, note) =>
    call(env, INSTANCE_ROLE, action, resource, expect, { note, context: { [`ec2:ResourceTag/${tagKey}`]: value } })
  s.push(tagged(volume, 'ec2:DeleteVolume', ours, 'Allowed', 'its own volume'))
  s.push(tagged(volume, 'ec2:DeleteVolume', 'genomics-batch-someone-else', 'Denied', "another environment's volume"))
  s.push(tagged(volume, 'ec2:AttachVolume', ours, 'Allowed', 'its own volume'))
  s.push(tagged(instance, 'ec2:AttachVolume', 'genomics-batch-someone-else', 'Denied', "another environment's instance"))
  s.push(tagged(instance, 'ec2:ModifyInstanceAttribute', 'genomics-batch-someone-else', 'Denied', "another environment's instance"))
  s.push(call(env, INSTANCE_ROLE, 'ec2:CreateTags', volume, 'Denied', { note: 'outside CreateVolume', context: { 'ec2:CreateAction': 'CreateSnapshot' } }))
  // A failed attempt detaches its volume before deleting it (issue 16).
  s.push(tagged(volume, 'ec2:DetachVolume', ours, 'Allowed', 'its own volume'))
  s.push(tagged(instance, 'ec2:DetachVolume', 'genomics-batch-someone-else', 'Denied', "another environment's instance"))
  // Delete-on-termination through the block device mapping, but no protection or shutdown changes.
  const modify = (attribute, expect, note) =>
    call(env, INSTANCE_ROLE, 'ec2:ModifyInstanceAttribute', instance, expect, {
      note,
      context: { [`ec2:ResourceTag/${tagKey}`]: ours, ...(attribute ? { [`ec2:Attribute/${attribute}`]: 'true' } : {}) }
    })
  s.push(modify(null, 'Allowed', 'block device mapping (delete-on-termination)'))
  s.push(modify('DisableApiTermination', 'Denied', 'termination protection'))
  s.push(modify('DisableApiStop', 'Denied', 'stop protection'))
  s.push(modify('InstanceInitiatedShutdownBehavior', 'Denied', 'shutdown behaviour'))
  s.push(modify('GroupSet', 'Denied', 'security groups'))
  // A failed host's signal: the ProvisioningFailed metric, in its own namespace only.
  const metric = (namespace, expect) =>
    call(env, INSTANCE_ROLE, 'cloudwatch:PutMetricData', '*', expect, {
      note: `namespace ${namespace}`,
      context: { 'cloudwatch:namespace': namespace }
    })
  s.push(metric('GenomicsBatch', 'Allowed'))
  s.push(metric('AWS/EC2', 'Denied'))
  return s
}

/** Workflow engines: the head-job role, reference buckets, object tagging, KMS. */
function engineScenarios(env) {
  const s = []
  for (const role of [JOB_ROLE, HEAD_JOB_ROLE]) {
    for (const bucket of env.referenceBucketNames) {
      const key = REFERENCE_KEYS[bucket] ?? 'reference/genome.fa'
      const read = { resourceAccount: DATASET_ACCOUNT, resourcePolicy: publicReadPolicy(bucket) }
      const open = { resourceAccount: DATASET_ACCOUNT, resourcePolicy: openBucketPolicy(bucket) }
      s.push({ ...s3(env, role, 's3:GetObject', bucket, key, 'Allowed'), ...read })
      s.push({ ...s3(env, role, 's3:ListBucket', bucket, null, 'Allowed'), ...read })
      s.push({ ...s3(env, role, 's3:PutObject', bucket, key, 'Denied'), ...open })
      s.push({ ...s3(env, role, 's3:DeleteObject', bucket, key, 'Denied'), ...open })
    }
  }
  for (const bucket of env.dataBucketNames) {
    s.push(s3(env, JOB_ROLE, 's3:PutObjectTagging', bucket, OBJECT_KEY, 'Allowed'))
    s.push(s3(env, JOB_ROLE, 's3:GetObjectTagging', bucket, OBJECT_KEY, 'Allowed'))
    s.push(s3(env, HEAD_JOB_ROLE, 's3:GetObject', bucket, OBJECT_KEY, 'Allowed'))
    s.push(s3(env, HEAD_JOB_ROLE, 's3:PutObject', bucket, OBJECT_KEY, 'Allowed'))
  }
  for (const key of env.kmsKeyArns) {
    const keyAccount = key.split(':')[4]
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
      s.push(call(env, JOB_ROLE, action, key, 'Allowed', { resourceAccount: keyAccount, resourcePolicy: defaultKeyPolicy(keyAccount) }))
    }
  }
  if (env.kmsKeyArns.length > 0) {
    const otherKey = `arn:aws:kms:${env.region}:${env.account}:key/00000000-1111-2222-3333-444444444444`
    s.push(call(env, JOB_ROLE, 'kms:Decrypt', otherKey, 'Denied', { resourcePolicy: defaultKeyPolicy(env.account) }))
  }
  s.push(trust(env, HEAD_JOB_ROLE, 'ecs-tasks.amazonaws.com', env.account, 'Allowed'))
  s.push(trust(env, HEAD_JOB_ROLE, 'ecs-tasks.amazonaws.com', OTHER_ACCOUNT, 'Denied'))
  for (const queue of openQueues(env)) {
    s.push(call(env, HEAD_JOB_ROLE, 'batch:SubmitJob', queue.arn, 'Allowed'))
  }
  // Another environment's queue in this account, and a queue of this name in another account.
  const sibling = env.stack.startsWith('prod') ? 'dev' : 'prod'
  s.push(call(env, HEAD_JOB_ROLE, 'batch:SubmitJob',
    `arn:aws:batch:${env.region}:${env.account}:job-queue/genomics-batch-${sibling}-default`, 'Denied'))
  const ours = openQueues(env)[0]
  s.push(call(env, HEAD_JOB_ROLE, 'batch:SubmitJob', ours.arn.replace(`:${env.account}:`, `:${OTHER_ACCOUNT}:`), 'Denied',
    { resourceAccount: OTHER_ACCOUNT }))
  // What Nextflow documents for a head job inside Batch (shared/docs/workflow-engines.md). Describe and
  // List calls take no resource-level scoping; Nextflow names its task job definitions nf-<image>.
  for (const action of ['batch:DescribeJobQueues', 'batch:DescribeJobs', 'batch:ListJobs',
    'batch:DescribeComputeEnvironments', 'batch:DescribeJobDefinitions', 'ecs:DescribeTasks',
    'ecs:DescribeContainerInstances', 'ec2:DescribeInstances', 'ec2:DescribeInstanceTypes',
    'ec2:DescribeInstanceAttribute']) {
    s.push(call(env, HEAD_JOB_ROLE, action, '*', 'Allowed'))
  }
  const taskDefinition = `arn:aws:batch:${env.region}:${env.account}:job-definition/${NEXTFLOW_JOB_DEFINITION}`
  s.push(call(env, HEAD_JOB_ROLE, 'batch:RegisterJobDefinition', taskDefinition, 'Allowed'))
  s.push(call(env, HEAD_JOB_ROLE, 'batch:SubmitJob', `${taskDefinition}:1`, 'Allowed'))
  const job = `arn:aws:batch:${env.region}:${env.account}:job/4d3c2b1a-0000-4000-8000-123456789abc`
  s.push(call(env, HEAD_JOB_ROLE, 'batch:CancelJob', job, 'Allowed'))
  s.push(call(env, HEAD_JOB_ROLE, 'batch:TerminateJob', job, 'Allowed'))
  const logGroup = env.outputs.jobLogGroupName
  const stream = (group) => `arn:aws:logs:${env.region}:${env.account}:log-group:${group}:log-stream:default/task/abc123`
  if (logGroup) {
    s.push(call(env, HEAD_JOB_ROLE, 'logs:GetLogEvents', stream(logGroup), 'Allowed'))
  } else {
    s.push({ ...call(env, HEAD_JOB_ROLE, 'logs:GetLogEvents', stream('<jobLogGroupName>'), 'Allowed'), missing: 'no stack output jobLogGroupName' })
  }
  s.push(call(env, HEAD_JOB_ROLE, 'logs:GetLogEvents', stream('/aws/batch/job'), 'Denied'))
  s.push(call(env, HEAD_JOB_ROLE, 'iam:PassRole', roleArn(env, JOB_ROLE), 'Allowed'))
  s.push(call(env, HEAD_JOB_ROLE, 'iam:PassRole', roleArn(env, INSTANCE_ROLE), 'Denied'))
  s.push(call(env, HEAD_JOB_ROLE, 'iam:PassRole', `arn:aws:iam::${env.account}:role/OrganizationAccountAccessRole`, 'Denied'))
  return s
}

/**
 * The submitter policy (issue 17) on a principal that has nothing else: submit to this environment's
 * queues with the engines' job definitions, follow jobs and logs, pass the job and head-job roles, and
 * read and write the work directory's prefix only (nothing in S3 without one).
 */
function submitterScenarios(env) {
  const s = []
  const batch = `arn:aws:batch:${env.region}:${env.account}:`
  const ours = env.outputs.jobLogGroupName.replace('/aws/batch/', '')
  for (const queue of openQueues(env)) {
    s.push(call(env, SUBMITTER, 'batch:SubmitJob', queue.arn, 'Allowed', { note: queue.name }))
  }
  const sibling = env.stack.startsWith('prod') ? 'dev' : 'prod'
  s.push(call(env, SUBMITTER, 'batch:SubmitJob', `${batch}job-queue/genomics-batch-${sibling}-default`, 'Denied',
    { note: "another environment's queue" }))
  const first = openQueues(env)[0]
  s.push(call(env, SUBMITTER, 'batch:SubmitJob', first.arn.replace(`:${env.account}:`, `:${OTHER_ACCOUNT}:`), 'Denied',
    { resourceAccount: OTHER_ACCOUNT, note: 'a queue of this name in another account' }))
  // Job definitions as each engine names them, and ours; any other name is refused.
  const engineDefinitions = [NEXTFLOW_JOB_DEFINITION, 'cromwell_quay_io_biocontainers_samtools_1_19_0123456789abcdef',
    'snakejob-def-bwa_map-6f1c0b9e', `${ours}-align`]
  for (const name of engineDefinitions) {
    s.push(call(env, SUBMITTER, 'batch:RegisterJobDefinition', `${batch}job-definition/${name}`, 'Allowed'))
    s.push(call(env, SUBMITTER, 'batch:SubmitJob', `${batch}job-definition/${name}:3`, 'Allowed'))
    s.push(call(env, SUBMITTER, 'batch:DeregisterJobDefinition', `${batch}job-definition/${name}:3`, 'Allowed'))
    s.push(call(env, SUBMITTER, 'batch:TagResource', `${batch}job-definition/${name}:3`, 'Allowed', { note: 'tags on registration' }))
  }
  for (const name of ['bwa-mem2-align', 'nfx-lookalike', `${sibling}-nf-thing`, `genomics-batch-${sibling}-align`]) {
    s.push(call(env, SUBMITTER, 'batch:RegisterJobDefinition', `${batch}job-definition/${name}`, 'Denied', { note: 'not an engine prefix' }))
    s.push(call(env, SUBMITTER, 'batch:SubmitJob', `${batch}job-definition/${name}:1`, 'Denied', { note: 'not an engine prefix' }))
  }
  const job = `${batch}job/4d3c2b1a-0000-4000-8000-123456789abc`
  for (const action of ['batch:CancelJob', 'batch:TerminateJob', 'batch:TagResource']) {
    s.push(call(env, SUBMITTER, action, job, 'Allowed'))
  }
  for (const action of ['batch:DescribeJobQueues', 'batch:DescribeComputeEnvironments', 'batch:DescribeJobDefinitions',
    'batch:DescribeJobs', 'batch:ListJobs']) {
    s.push(call(env, SUBMITTER, action, '*', 'Allowed'))
  }
  // Nothing that changes the environment itself.
  s.push(call(env, SUBMITTER, 'batch:TagResource', first.arn, 'Denied', { note: "the environment's queue" }))
  s.push(call(env, SUBMITTER, 'batch:UpdateJobQueue', first.arn, 'Denied'))
  s.push(call(env, SUBMITTER, 'batch:DeleteJobQueue', first.arn, 'Denied'))
  s.push(call(env, SUBMITTER, 'iam:PassRole', roleArn(env, JOB_ROLE), 'Allowed'))
  s.push(call(env, SUBMITTER, 'iam:PassRole', roleArn(env, HEAD_JOB_ROLE), 'Allowed'))
  s.push(call(env, SUBMITTER, 'iam:PassRole', roleArn(env, INSTANCE_ROLE), 'Denied'))
  s.push(call(env, SUBMITTER, 'iam:PassRole', `arn:aws:iam::${env.account}:role/OrganizationAccountAccessRole`, 'Denied'))
  const group = (name) => `arn:aws:logs:${env.region}:${env.account}:log-group:${name}`
  const stream = (name) => `${group(name)}:log-stream:nf-task/default/abc123`
  s.push(call(env, SUBMITTER, 'logs:GetLogEvents', stream(env.outputs.jobLogGroupName), 'Allowed'))
  s.push(call(env, SUBMITTER, 'logs:FilterLogEvents', group(env.outputs.jobLogGroupName), 'Allowed'))
  s.push(call(env, SUBMITTER, 'logs:DescribeLogStreams', group(env.outputs.jobLogGroupName), 'Allowed'))
  s.push(call(env, SUBMITTER, 'logs:GetLogEvents', stream('/aws/batch/job'), 'Denied'))
  s.push(call(env, SUBMITTER, 'logs:GetLogEvents', stream(`${env.outputs.jobLogGroupName}-other`), 'Denied'))

  const work = env.workDirectory ?? null
  if (!work) {
    for (const bucket of env.dataBucketNames.length > 0 ? env.dataBucketNames : ['acme-example-data']) {
      for (const action of ['s3:GetObject', 's3:PutObject']) {
        s.push({ ...s3(env, SUBMITTER, action, bucket, OBJECT_KEY, 'Denied'), note: 'no workDirectory: no S3' })
      }
      s.push({ ...s3(env, SUBMITTER, 's3:ListBucket', bucket, null, 'Denied'), note: 'no workDirectory: no S3' })
    }
    return s
  }
  const { bucket, prefix } = work
  const inside = `${prefix}/nextflow/work/3f/9a1c2b/.command.run`
  for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:PutObjectTagging']) {
    s.push(s3(env, SUBMITTER, action, bucket, inside, 'Allowed'))
  }
  s.push(s3(env, SUBMITTER, 's3:GetBucketLocation', bucket, null, 'Allowed'))
  const list = (p, expect, note) => ({ ...s3(env, SUBMITTER, 's3:ListBucket', bucket, null, expect),
    context: p === null ? {} : { 's3:prefix': p }, note })
  s.push(list(`${prefix}/`, 'Allowed', 'the work directory'))
  s.push(list(`${prefix}/nextflow/work/3f/`, 'Allowed', 'under it'))
  s.push(list('', 'Denied', 'the whole bucket'))
  s.push(list(null, 'Denied', 'no prefix given'))
  s.push(list('raw/', 'Denied', 'another prefix'))
  s.push(list(`${prefix}-old/`, 'Denied', 'a sibling prefix'))
  // Outside the prefix: a sibling prefix, another prefix, the bucket's root; the other data buckets (raw
  // reads). The simulator reads a '*' in a requested key as a pattern, so keys with one are left out here.
  const outside = [`${prefix}-old/x.bam`, 'raw/sample-1_R1.fastq.gz', 'sample-1_R1.fastq.gz']
  for (const key of outside.filter((k) => !k.includes('*'))) {
    s.push(s3(env, SUBMITTER, 's3:GetObject', bucket, key, 'Denied'))
    s.push(s3(env, SUBMITTER, 's3:DeleteObject', bucket, key, 'Denied'))
  }
  for (const other of env.dataBucketNames.filter((b) => b !== bucket)) {
    s.push({ ...s3(env, SUBMITTER, 's3:DeleteObject', other, `${prefix}/x`, 'Denied'), note: 'another data bucket' })
    s.push({ ...s3(env, SUBMITTER, 's3:ListBucket', other, null, 'Denied'), context: { 's3:prefix': `${prefix}/` },
      note: 'another data bucket' })
  }
  if (prefix.includes('*')) {
    // '*' in the prefix is a character (the policy writes "${*}"): a key where it stands for other text is
    // outside. (The "may" scenarios above, whose keys hold the '*', show that some such key is allowed.)
    const widened = prefix.replaceAll('*', 'XYZ')
    s.push({ ...s3(env, SUBMITTER, 's3:PutObject', bucket, `${widened}/x`, 'Denied'), note: "'*' is literal" })
    s.push({ ...list(`${widened}/`, 'Denied'), note: "'*' is literal" })
  }
  for (const key of env.kmsKeyArns) {
    const keyAccount = key.split(':')[4]
    const via = (service, expect) => call(env, SUBMITTER, 'kms:GenerateDataKey', key, expect, {
      resourceAccount: keyAccount, resourcePolicy: defaultKeyPolicy(keyAccount),
      context: service ? { 'kms:ViaService': service } : {}, note: service ? `via ${service}` : 'directly' })
    s.push(via(`s3.${env.region}.amazonaws.com`, 'Allowed'))
    s.push(via(null, 'Denied'))
    s.push(via(`secretsmanager.${env.region}.amazonaws.com`, 'Denied'))
  }
  return s
}

/**
 * The boot-loop stop (issue 18): the automation's role may set this environment's compute environments'
 * state and do nothing else, and only SSM Automation of this account may assume it; EventBridge's role may
 * start this one document and pass that role to SSM only, and only the boot-loop rule may assume it.
 */
function bootLoopScenarios(env) {
  if (!env.bootLoop) {
    return []
  }
  const s = []
  const ces = Object.values(env.computeEnvironments)
  const batch = `arn:aws:batch:${env.region}:${env.account}:`
  for (const ce of ces) {
    s.push(call(env, AUTOMATION_ROLE, 'batch:UpdateComputeEnvironment', ce, 'Allowed'))
  }
  s.push(call(env, AUTOMATION_ROLE, 'batch:UpdateComputeEnvironment',
    `${batch}compute-environment/genomics-batch-staging-spot-20250101000000000000000001`, 'Denied',
    { note: "another environment's compute environment" }))
  s.push(call(env, AUTOMATION_ROLE, 'batch:UpdateComputeEnvironment', ces[0].replace(`:${env.account}:`, `:${OTHER_ACCOUNT}:`),
    'Denied', { resourceAccount: OTHER_ACCOUNT, note: 'the same name in another account' }))
  for (const action of ['batch:DeleteComputeEnvironment', 'batch:CreateComputeEnvironment', 'batch:TagResource']) {
    s.push(call(env, AUTOMATION_ROLE, action, ces[0], 'Denied'))
  }
  const queue = Object.values(env.queues)[0].arn
  s.push(call(env, AUTOMATION_ROLE, 'batch:UpdateJobQueue', queue, 'Denied'))
  s.push(call(env, AUTOMATION_ROLE, 'iam:PassRole', roleArn(env, INSTANCE_ROLE), 'Denied'))
  const execution = (account) => `arn:aws:ssm:${env.region}:${account}:automation-execution/0123abcd-4567-89ef-0123-456789abcdef`
  s.push(trustWith(env, AUTOMATION_ROLE, 'ssm.amazonaws.com',
    { 'aws:SourceAccount': env.account, 'aws:SourceArn': execution(env.account) }, 'Allowed', 'an automation of this account'))
  s.push(trustWith(env, AUTOMATION_ROLE, 'ssm.amazonaws.com',
    { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': execution(OTHER_ACCOUNT) }, 'Denied', 'an automation of another account'))
  s.push(trustWith(env, AUTOMATION_ROLE, 'ec2.amazonaws.com', { 'aws:SourceAccount': env.account }, 'Denied'))

  const definition = (name) => `arn:aws:ssm:${env.region}:${env.account}:automation-definition/${name}:$DEFAULT`
  s.push(call(env, AUTOMATION_EVENTS_ROLE, 'ssm:StartAutomationExecution', definition(env.bootLoop.documentName), 'Allowed'))
  s.push(call(env, AUTOMATION_EVENTS_ROLE, 'ssm:StartAutomationExecution', definition('genomics-batch-staging-stop-boot-loop'),
    'Denied', { note: 'another document' }))
  const elsewhere = env.region === 'eu-west-1' ? 'us-east-1' : 'eu-west-1'
  s.push(call(env, AUTOMATION_EVENTS_ROLE, 'ssm:StartAutomationExecution',
    definition(env.bootLoop.documentName).replace(`:ssm:${env.region}:`, `:ssm:${elsewhere}:`), 'Denied',
    { note: 'a document of this name in another region' }))
  const pass = (role, service, expect) => call(env, AUTOMATION_EVENTS_ROLE, 'iam:PassRole', roleArn(env, role), expect,
    { context: { 'iam:PassedToService': service }, note: `to ${service}` })
  s.push(pass(AUTOMATION_ROLE, 'ssm.amazonaws.com', 'Allowed'))
  s.push(pass(AUTOMATION_ROLE, 'ec2.amazonaws.com', 'Denied'))
  s.push(pass(JOB_ROLE, 'ssm.amazonaws.com', 'Denied'))
  s.push(trustWith(env, AUTOMATION_EVENTS_ROLE, 'events.amazonaws.com',
    { 'aws:SourceAccount': env.account, 'aws:SourceArn': env.bootLoop.ruleArn }, 'Allowed', 'the boot-loop rule'))
  s.push(trustWith(env, AUTOMATION_EVENTS_ROLE, 'events.amazonaws.com',
    { 'aws:SourceAccount': env.account, 'aws:SourceArn': env.bootLoop.ruleArn.replace(/rule\/.*/, 'rule/someone-elses-rule') },
    'Denied', 'another rule'))
  return s
}

/**
 * Restricted accounts (issue 19): every role the stack creates carries the configured boundary, and the boundary is
 * honoured: under a boundary without s3:DeleteObject the job role can no longer delete, though its own policy allows
 * it, and still reads and writes; with the boundary that allows it, it can. A role's path is part of its ARN: the
 * head-job role may pass the job role under its path, not a role of that name elsewhere. Brought roles carry none
 * of ours (their boundary is the account team's).
 */
function boundaryScenarios(env) {
  const s = []
  if (!env.permissionsBoundaryArn) {
    return s
  }
  // The roles the stack created (those the export names a path for) each carry the configured boundary.
  for (const [name, role] of Object.entries(env.roles).filter(([, r]) => r.path !== undefined)) {
    if (role.permissionsBoundaryArn !== env.permissionsBoundaryArn) {
      s.push({ role: name, action: 'carries the boundary', expect: 'Allowed',
        missing: `${name} has boundary ${role.permissionsBoundaryArn}, not ${env.permissionsBoundaryArn}` })
    }
  }
  const job = env.roles[JOB_ROLE]
  if (job && !job.brought) {
    const withoutDelete = boundaryArn(env.permissionsBoundaryArn, 'genomics-boundary-without-delete')
    for (const bucket of env.dataBucketNames) {
      s.push({ ...s3(env, JOB_ROLE, 's3:DeleteObject', bucket, OBJECT_KEY, 'Allowed'), note: 'the boundary allows it' })
      s.push({ ...s3(env, JOB_ROLE, 's3:DeleteObject', bucket, OBJECT_KEY, 'Denied'), boundary: withoutDelete,
        note: 'a boundary without s3:DeleteObject' })
      s.push({ ...s3(env, JOB_ROLE, 's3:GetObject', bucket, OBJECT_KEY, 'Allowed'), boundary: withoutDelete,
        note: 'a boundary without s3:DeleteObject' })
      s.push({ ...s3(env, JOB_ROLE, 's3:PutObject', bucket, OBJECT_KEY, 'Allowed'), boundary: withoutDelete,
        note: 'a boundary without s3:DeleteObject' })
    }
  }
  const head = env.roles[HEAD_JOB_ROLE]
  if (head && !head.brought && job && job.arn.includes('/genomics/')) {
    s.push(call(env, HEAD_JOB_ROLE, 'iam:PassRole', job.arn.replace('/genomics/', '/'), 'Denied',
      { note: 'the job role\'s name without its path' }))
    s.push(call(env, HEAD_JOB_ROLE, 'iam:PassRole', job.arn.replace('/genomics/', '/other/'), 'Denied',
      { note: 'the job role\'s name under another path' }))
  }
  return s
}

/** The boundary ARN with another policy name (a boundaries/ document of the same account). */
function boundaryArn(arn, name) {
  return arn.replace(/[^/]+$/, name)
}

const boundaryCache = new Map()
function boundaryPolicy(arn) {
  if (!boundaryCache.has(arn)) {
    const name = arn.replace(/^.*\//, '')
    const file = arn.includes(':iam::aws:policy/') ? join(here, 'managed-policies', `${arn.replace(/^arn:[^:]+:iam::aws:policy\//, '')}.json`)
      : join(here, 'boundaries', `${name}.json`)
    if (!existsSync(file)) {
      throw new Error(`no document for the permissions boundary ${arn}: add ${file.replace(`${here}/`, '')}`)
    }
    boundaryCache.set(arn, JSON.parse(readFileSync(file, 'utf8')))
  }
  return boundaryCache.get(arn)
}

/** Principals the budget stop applies to, as they are once AWS Budgets attached its policy. */
const STOPPED_HEAD_JOB_ROLE = 'genomics-batch-head-job-role+budget-stop'
const ANYTHING_GOES_STOPPED = 'allow-everything+budget-stop'

/** The queues every submitter and the head-job role may use: all but the fair-share queue (fairShare). */
function openQueues(env) {
  return Object.values(env.queues).filter((q) => q.arn !== env.outputs.sharedJobQueueArn)
}

/** A principal of a share's group: the submitter policy and that share's policy (fairShare), nothing else. */
const shareGroup = (id) => `group-${id.replace('*', '-prefix')}`

/**
 * Fair share (issue 20). SubmitJob is authorized on the job queue and on the job, and AWS gives
 * batch:ShareIdentifier to the job's authorization only (the Service Authorization Reference, as the
 * simulator's data has it), so a submission is judged on both: each share's policy, beside the submitter
 * policy, lets its group submit to the fair-share queue with its identifier (a prefix share: any identifier
 * starting with the prefix) and with no other; the submitter policy alone and the head-job role (one role for
 * every group) may not submit there at all. Without an identifier IAM cannot refuse: the job does not name its
 * queue, and the submitter policy allows jobs without one (on the other queues); AWS Batch itself refuses such a
 * job on a fair-share queue.
 */
function fairShareScenarios(env) {
  const s = []
  const queue = env.outputs.sharedJobQueueArn
  const shares = env.outputs.shareSubmitterPolicyArns
  if (!queue || !shares) {
    return s
  }
  const ids = Object.keys(shares)
  const job = `arn:aws:batch:${env.region}:${env.account}:job/4d3c2b1a-0000-4000-8000-123456789abc`
  const submit = (role, shareIdentifier, expect, note, target = queue) => ({
    ...call(env, role, 'batch:SubmitJob', target, expect, { note }),
    resources: [target, job],
    context: shareIdentifier === null ? {} : { 'batch:ShareIdentifier': shareIdentifier }
  })
  // An identifier a job of this share carries: itself, or one under its prefix.
  const carried = (id) => (id.endsWith('*') ? `${id.slice(0, -1)}Member1` : id)
  for (const id of ids) {
    const group = shareGroup(id)
    s.push(submit(group, carried(id), 'Allowed', `its own share ${carried(id)}`))
    for (const other of ids.filter((o) => o !== id)) {
      s.push(submit(group, carried(other), 'Denied', `another group's share ${carried(other)}`))
    }
    s.push(submit(group, `not${carried(id)}`, 'Denied', 'a share no policy names'))
    if (id.endsWith('*')) {
      s.push(submit(group, id.slice(0, -2) || 'x', 'Denied', 'shorter than the prefix'))
    }
    s.push(submit(group, null, 'Allowed', 'without an identifier: IAM cannot refuse it, AWS Batch does'))
    // The rest of a run comes from the submitter policy: the other queues, without an identifier (and never
    // with another group's).
    s.push(submit(group, null, 'Allowed', 'an ordinary queue', openQueues(env)[0].arn))
    const another = ids.find((o) => o !== id)
    if (another) {
      s.push(submit(group, carried(another), 'Denied', `an ordinary queue as ${carried(another)}`, openQueues(env)[0].arn))
    }
  }
  for (const role of [SUBMITTER, HEAD_JOB_ROLE]) {
    s.push(submit(role, carried(ids[0]), 'Denied', `${carried(ids[0])}, without a share's policy`))
    s.push(submit(role, null, 'Denied', "without an identifier, without a share's policy"))
  }
  return s
}

/** One principal per share (fairShare), with the submitter policy and that share's policy. */
function withShareGroups(env) {
  const shares = env.outputs?.shareSubmitterPolicyArns
  const submitter = env.policies?.[SUBMITTER_POLICY]
  if (!shares || !submitter) {
    return env
  }
  const byArn = Object.fromEntries(Object.entries(env.policies).map(([name, p]) => [p.arn, { name, policy: p.policy }]))
  const roles = { ...env.roles }
  for (const [id, arn] of Object.entries(shares)) {
    if (!byArn[arn]) {
      throw new Error(`share ${id}: no customer-managed policy ${arn} in the export`)
    }
    roles[shareGroup(id)] = {
      arn: `arn:aws:iam::${env.account}:role/${shareGroup(id)}`,
      inlinePolicies: [],
      customerManagedPolicies: [{ name: SUBMITTER_POLICY, policy: submitter.policy }, byArn[arn]],
      managedPolicyArns: []
    }
  }
  return { ...env, roles }
}

function withBudgetStop(env) {
  const stop = env.budgetStop
  if (!stop) {
    return env
  }
  const policy = { name: stop.policy, policy: env.policies[stop.policy].policy }
  const head = env.roles[HEAD_JOB_ROLE]
  const anything = {
    arn: `arn:aws:iam::${env.account}:role/allow-everything`,
    inlinePolicies: [{ name: 'everything', policy: document([{ Effect: 'Allow', Action: '*', Resource: '*' }]) }],
    customerManagedPolicies: [policy],
    managedPolicyArns: []
  }
  return {
    ...env,
    roles: {
      ...env.roles,
      [STOPPED_HEAD_JOB_ROLE]: { ...head, customerManagedPolicies: [...head.customerManagedPolicies, policy] },
      [ANYTHING_GOES_STOPPED]: anything
    }
  }
}

/**
 * The budget stop (issue 18): its policy denies batch:SubmitJob on this environment's queues and nothing
 * else; AWS Budgets' execution role may attach and detach that policy only, to the stopped roles only, and
 * only AWS Budgets of this account, for this budget, may assume it.
 */
function budgetStopScenarios(env) {
  const stop = env.budgetStop
  if (!stop) {
    return []
  }
  const s = []
  const queues = Object.values(env.queues).map((q) => q.arn)
  const batch = `arn:aws:batch:${env.region}:${env.account}:`
  for (const queue of queues) {
    s.push(call(env, HEAD_JOB_ROLE, 'batch:SubmitJob', queue, 'Allowed', { note: 'before the stop' }))
    s.push(call(env, STOPPED_HEAD_JOB_ROLE, 'batch:SubmitJob', queue, 'Denied', { note: 'after the stop' }))
    s.push(call(env, ANYTHING_GOES_STOPPED, 'batch:SubmitJob', queue, 'Denied', { note: 'even with Allow *' }))
  }
  // Nothing else: other queues, job definitions, running jobs, compute environments and hosts are untouched.
  const otherQueue = `${batch}job-queue/genomics-batch-staging-default`
  const jobDefinition = `${batch}job-definition/${NEXTFLOW_JOB_DEFINITION}:1`
  const job = `${batch}job/0123abcd-4567-89ef-0123-456789abcdef`
  for (const [action, resource, note] of [
    ['batch:SubmitJob', otherQueue, "another environment's queue"],
    ['batch:SubmitJob', jobDefinition, 'a job definition'],
    ['batch:TerminateJob', job, 'a running job'],
    ['batch:CancelJob', job, 'a queued job'],
    ['batch:UpdateJobQueue', queues[0], 'its own queue'],
    ['batch:UpdateComputeEnvironment', Object.values(env.computeEnvironments)[0], 'a compute environment'],
    ['ec2:TerminateInstances', `arn:aws:ec2:${env.region}:${env.account}:instance/i-0123456789abcdef0`, 'a host']]) {
    s.push(call(env, ANYTHING_GOES_STOPPED, action, resource, 'Allowed', { note }))
  }
  const role = stop.executionRole
  const iamRole = (name, account = env.account) => `arn:aws:iam::${account}:role/${name}`
  const withPolicy = (arn) => ({ context: { 'iam:PolicyARN': arn } })
  for (const name of stop.roleNames) {
    for (const action of ['iam:AttachRolePolicy', 'iam:DetachRolePolicy']) {
      s.push(call(env, role, action, iamRole(name), 'Allowed', { ...withPolicy(stop.policyArn), note: 'the stop policy' }))
      s.push(call(env, role, action, iamRole(`team/${name}`), 'Allowed', { ...withPolicy(stop.policyArn), note: 'the same role name under a path' }))
    }
    s.push(call(env, role, 'iam:AttachRolePolicy', iamRole(name), 'Denied',
      { ...withPolicy('arn:aws:iam::aws:policy/AdministratorAccess'), note: 'another policy' }))
    s.push(call(env, role, 'iam:AttachRolePolicy', iamRole(name), 'Denied',
      { ...withPolicy(env.policies[SUBMITTER_POLICY].arn), note: "another of this stack's policies" }))
    s.push(call(env, role, 'iam:AttachRolePolicy', iamRole(name, OTHER_ACCOUNT), 'Denied',
      { ...withPolicy(stop.policyArn), resourceAccount: OTHER_ACCOUNT, note: 'a role of this name in another account' }))
    s.push(call(env, role, 'iam:PutRolePolicy', iamRole(name), 'Denied'))
  }
  s.push(call(env, role, 'iam:AttachRolePolicy', iamRole(`${stop.roleNames[0]}-other`), 'Denied',
    { ...withPolicy(stop.policyArn), note: 'a role whose name only starts the same' }))
  for (const other of ['genomics-batch-job-role-generated', 'genomics-batch-instance-role-generated', 'Admin']) {
    s.push(call(env, role, 'iam:AttachRolePolicy', iamRole(other), 'Denied', { ...withPolicy(stop.policyArn), note: 'a role not stopped' }))
  }
  for (const action of ['iam:AttachUserPolicy', 'iam:AttachGroupPolicy']) {
    const target = action === 'iam:AttachUserPolicy' ? `arn:aws:iam::${env.account}:user/alice` : `arn:aws:iam::${env.account}:group/lab`
    s.push(call(env, role, action, target, 'Denied', withPolicy(stop.policyArn)))
  }
  s.push(call(env, role, 'iam:CreatePolicyVersion', stop.policyArn, 'Denied', { note: 'rewriting the stop policy' }))
  const action = (account, budget) => `arn:aws:budgets::${account}:budget/${budget}/action/0123abcd-4567-89ef-0123-456789abcdef`
  s.push(trustWith(env, role, 'budgets.amazonaws.com',
    { 'aws:SourceAccount': env.account, 'aws:SourceArn': action(env.account, stop.budgetName) }, 'Allowed', "this budget's action"))
  s.push(trustWith(env, role, 'budgets.amazonaws.com',
    { 'aws:SourceAccount': env.account, 'aws:SourceArn': action(env.account, `${stop.budgetName}-other`) }, 'Denied', 'another budget'))
  s.push(trustWith(env, role, 'budgets.amazonaws.com',
    { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': action(OTHER_ACCOUNT, stop.budgetName) }, 'Denied', 'another account'))
  s.push(trustWith(env, role, 'ssm.amazonaws.com', { 'aws:SourceAccount': env.account }, 'Denied'))
  return s
}

/**
 * The registry cache (issue 19): on the first pull of an image through a cache, the hosts (the instance
 * role: the ECS agent pulls) may create its repository and import it, under this environment's cache
 * prefixes only; the role ECR assumes for the repository creation templates may create and tag there only.
 * Without a cache, the hosts may create no repository at all.
 */
function registryCacheScenarios(env) {
  const s = []
  const ecr = (region, account, name) => `arn:aws:ecr:${region}:${account}:repository/${name}`
  const repository = (name) => ecr(env.region, env.account, name)
  const image = 'biocontainers/fastqc'
  const prefixes = env.registryCachePrefixes ?? []
  if (prefixes.length === 0) {
    s.push(call(env, INSTANCE_ROLE, 'ecr:CreateRepository', repository(`genomics-batch-${env.stack}/quay/${image}`), 'Denied',
      { note: 'no registry cache' }))
    s.push(call(env, INSTANCE_ROLE, 'ecr:BatchImportUpstreamImage', repository(`genomics-batch-${env.stack}/quay/${image}`),
      'Denied', { note: 'no registry cache' }))
    return s
  }
  for (const prefix of prefixes) {
    for (const action of ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage']) {
      s.push(call(env, INSTANCE_ROLE, action, repository(`${prefix}/${image}`), 'Allowed'))
      s.push(call(env, INSTANCE_ROLE, action, repository(`${prefix}/library/ubuntu`), 'Allowed'))
    }
    // Pulling a cached image needs only the managed policy's read actions.
    s.push(call(env, INSTANCE_ROLE, 'ecr:BatchGetImage', repository(`${prefix}/${image}`), 'Allowed'))
    // Nothing that writes or deletes images or repositories beyond the cache's own import.
    for (const action of ['ecr:PutImage', 'ecr:DeleteRepository', 'ecr:BatchDeleteImage', 'ecr:SetRepositoryPolicy',
      'ecr:TagResource']) {
      s.push(call(env, INSTANCE_ROLE, action, repository(`${prefix}/${image}`), 'Denied'))
    }
    s.push(call(env, INSTANCE_ROLE, 'ecr:CreateRepository', repository(prefix), 'Denied',
      { note: 'the prefix itself is no cache repository' }))
    s.push(call(env, INSTANCE_ROLE, 'ecr:CreateRepository', ecr('eu-west-1', env.account, `${prefix}/${image}`), 'Denied',
      { note: 'another region' }))
    s.push(call(env, INSTANCE_ROLE, 'ecr:CreateRepository', ecr(env.region, OTHER_ACCOUNT, `${prefix}/${image}`), 'Denied',
      { resourceAccount: OTHER_ACCOUNT, note: 'another account' }))
    s.push(call(env, 'genomics-batch-registry-cache-template-role', 'ecr:TagResource', repository(`${prefix}/${image}`),
      'Allowed'))
    s.push(call(env, 'genomics-batch-registry-cache-template-role', 'ecr:CreateRepository', repository(`${prefix}/${image}`),
      'Allowed'))
  }
  for (const other of ['genomics-batch-prod/quay', 'team-images', `${prefixes[0]}-other`]) {
    for (const action of ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage']) {
      s.push(call(env, INSTANCE_ROLE, action, repository(`${other}/${image}`), 'Denied',
        { note: "outside this environment's cache prefixes" }))
    }
    s.push(call(env, 'genomics-batch-registry-cache-template-role', 'ecr:TagResource', repository(`${other}/${image}`),
      'Denied', { note: "outside this environment's cache prefixes" }))
  }
  s.push(trustWith(env, 'genomics-batch-registry-cache-template-role', 'ecr.amazonaws.com', {}, 'Allowed'))
  s.push(trustWith(env, 'genomics-batch-registry-cache-template-role', 'ec2.amazonaws.com', {}, 'Denied'))
  return s
}

/** A service assuming the role with these request context keys, judged by the role's trust policy. */
function trustWith(env, role, service, context, expect, note) {
  return { role, trustedBy: service, action: 'sts:AssumeRole', resource: roleArn(env, role), resourceAccount: env.account,
    context, expect, note }
}

/** The submitter policy on a principal of its own, when the program registered it. */
function withSubmitter(env) {
  const policy = env.policies?.[SUBMITTER_POLICY]
  if (!policy) {
    return env
  }
  const principal = {
    arn: `arn:aws:iam::${env.account}:role/${SUBMITTER}`,
    inlinePolicies: [],
    customerManagedPolicies: [{ name: SUBMITTER_POLICY, policy: policy.policy }],
    managedPolicyArns: []
  }
  return { ...env, roles: { ...env.roles, [SUBMITTER]: principal } }
}

function roleArn(env, role) {
  const r = env.roles[role]
  return r ? r.arn : `arn:aws:iam::${env.account}:role/${role}`
}

function call(env, role, action, resource, expect, extra = {}) {
  return { role, action, resource, resourceAccount: env.account, expect, ...extra }
}

function s3(env, role, action, bucket, key, expect) {
  return call(env, role, action, key === null ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`, expect)
}

/** A service assuming the role, judged by the role's trust policy. */
function trust(env, role, service, sourceAccount, expect) {
  return {
    role,
    trustedBy: service,
    action: 'sts:AssumeRole',
    resource: roleArn(env, role),
    resourceAccount: env.account,
    context: { 'aws:SourceAccount': sourceAccount },
    expect,
    note: sourceAccount === env.account ? undefined : `from account ${sourceAccount}`
  }
}

const managedCache = new Map()
function managedPolicy(arn) {
  if (!managedCache.has(arn)) {
    const path = arn.replace(/^arn:[^:]+:iam::aws:policy\//, '')
    const file = join(here, 'managed-policies', `${path}.json`)
    if (!existsSync(file)) {
      throw new Error(`no document for the AWS-managed policy ${arn}: add managed-policies/${path}.json`)
    }
    managedCache.set(arn, JSON.parse(readFileSync(file, 'utf8')))
  }
  return managedCache.get(arn)
}

function identityPolicies(role) {
  return [
    ...role.inlinePolicies.map((p) => ({ name: p.name, policy: p.policy })),
    ...role.customerManagedPolicies.map((p) => ({ name: p.name, policy: p.policy })),
    ...role.managedPolicyArns.map((arn) => ({ name: arn, policy: managedPolicy(arn) }))
  ]
}

async function evaluate(env, scenario) {
  if (scenario.missing) {
    return { got: scenario.missing }
  }
  if (scenario.resources) {
    // One request authorized on several resources (SubmitJob: the queue and the job): allowed if each is.
    for (const resource of scenario.resources) {
      const { got } = await evaluate(env, { ...scenario, resources: undefined, resource })
      if (got !== 'Allowed') {
        return { got }
      }
    }
    return { got: 'Allowed' }
  }
  const role = env.roles[scenario.role]
  if (!role) {
    return { got: `no role ${scenario.role} registered` }
  }
  const simulation = scenario.trustedBy
    ? {
        request: {
          principal: scenario.trustedBy,
          action: scenario.action,
          resource: { resource: scenario.resource, accountId: scenario.resourceAccount },
          contextVariables: scenario.context ?? {}
        },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: role.trustPolicy
      }
    : {
        request: {
          principal: role.arn,
          action: scenario.action,
          resource: { resource: scenario.resource, accountId: scenario.resourceAccount },
          contextVariables: scenario.context ?? {}
        },
        identityPolicies: identityPolicies(role),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(scenario.resourcePolicy ? { resourcePolicy: scenario.resourcePolicy } : {}),
        ...boundaryOf(role, scenario)
      }
  const response = await runSimulation(simulation, {})
  if (response.resultType === 'error') {
    return { got: `simulator error ${JSON.stringify(response.errors)}` }
  }
  return { got: response.overallResult === 'Allowed' ? 'Allowed' : 'Denied' }
}

/** The role's permissions boundary (or the scenario's instead), as the simulator takes it. */
function boundaryOf(role, scenario) {
  const arn = scenario.boundary ?? role.permissionsBoundaryArn
  return arn ? { permissionBoundaryPolicies: [{ name: arn, policy: boundaryPolicy(arn) }] } : {}
}

function describe(scenario) {
  const target = scenario.resources ? scenario.resources.join(' and ') : scenario.resource
  const who = scenario.trustedBy ? `${scenario.trustedBy} ${scenario.action} ${scenario.role}` : `${scenario.role} ${scenario.action} ${target}`
  const verb = scenario.expect === 'Allowed' ? 'may' : 'may not'
  return `${verb}: ${who}${scenario.note ? ` (${scenario.note})` : ''}`
}

const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : []
if (files.length === 0) {
  console.error(`iam: no exports in ${dir}; run ./mvnw verify first (IamExportTest writes them)`)
  process.exit(1)
}

let passed = 0
let failed = 0
for (const file of files) {
  const env = withShareGroups(withBudgetStop(withSubmitter(JSON.parse(readFileSync(join(dir, file), 'utf8')))))
  const scenarios = [...currentScenarios(env), ...engineScenarios(env), ...storageScenarios(env), ...submitterScenarios(env),
    ...bootLoopScenarios(env), ...budgetStopScenarios(env), ...registryCacheScenarios(env),
    ...boundaryScenarios(env), ...fairShareScenarios(env)]
  for (const scenario of scenarios) {
    let got
    try {
      ;({ got } = await evaluate(env, scenario))
    } catch (e) {
      got = `error: ${e.message}`
    }
    const ok = got === scenario.expect
    ok ? passed++ : failed++
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${env.stack}: ${describe(scenario)}${ok ? '' : ` -> got ${got}`}`)
  }
}
console.log(`iam: ${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
