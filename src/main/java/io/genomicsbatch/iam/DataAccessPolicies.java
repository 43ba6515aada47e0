package io.genomicsbatch.iam;

import io.genomicsbatch.config.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What jobs (and head jobs) may do with data: read and write the data buckets, tag their objects
 * (Fusion tags every object it writes), only read the reference buckets, and use the data
 * buckets' KMS keys. Each is its own inline policy, so a preview shows which one changed.
 */
final class DataAccessPolicies {
    private DataAccessPolicies() {
    }

    static final List<String> BUCKET_ACTIONS = List.of(
            "s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads");
    /** Read, write, delete (engines clean up), multipart uploads, and object tags. */
    static final List<String> OBJECT_ACTIONS = List.of(
            "s3:GetObject", "s3:PutObject", "s3:DeleteObject",
            "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts",
            "s3:GetObjectTagging", "s3:PutObjectTagging");
    /** Reference data: list and read, never write. */
    static final List<String> REFERENCE_BUCKET_ACTIONS = List.of("s3:GetBucketLocation", "s3:ListBucket");
    static final List<String> REFERENCE_OBJECT_ACTIONS = List.of("s3:GetObject", "s3:GetObjectTagging");
    /** SSE-KMS: decrypt to read, generate data keys to write. */
    static final List<String> KMS_ACTIONS = List.of("kms:Decrypt", "kms:GenerateDataKey");

    /** Inline policy suffix ("data-buckets") -> the policy, for the lists that are not empty. */
    static Map<String, String> policies(String partition, Settings.DataAccess data) {
        var out = new java.util.LinkedHashMap<String, String>();
        dataBuckets(partition, data.dataBucketNames()).ifPresent(p -> out.put("data-buckets", p));
        referenceBuckets(partition, data.referenceBucketNames()).ifPresent(p -> out.put("reference-buckets", p));
        kmsKeys(data.kmsKeyArns()).ifPresent(p -> out.put("data-kms-keys", p));
        return out;
    }

    static Optional<String> dataBuckets(String partition, List<String> buckets) {
        if (buckets.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(PolicyDocuments.document(List.of(
                PolicyDocuments.allow("ListDataBuckets", BUCKET_ACTIONS, bucketArns(partition, buckets)),
                PolicyDocuments.allow("ReadWriteDataObjects", OBJECT_ACTIONS, objectArns(partition, buckets)))));
    }

    static Optional<String> referenceBuckets(String partition, List<String> buckets) {
        if (buckets.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(PolicyDocuments.document(List.of(
                PolicyDocuments.allow("ListReferenceBuckets", REFERENCE_BUCKET_ACTIONS, bucketArns(partition, buckets)),
                PolicyDocuments.allow("ReadReferenceObjects", REFERENCE_OBJECT_ACTIONS,
                        objectArns(partition, buckets)))));
    }

    static Optional<String> kmsKeys(List<String> keyArns) {
        if (keyArns.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(PolicyDocuments.document(List.of(
                PolicyDocuments.allow("UseDataKeys", KMS_ACTIONS, keyArns))));
    }

    private static List<String> bucketArns(String partition, List<String> buckets) {
        return buckets.stream().map(b -> "arn:" + partition + ":s3:::" + b).toList();
    }

    private static List<String> objectArns(String partition, List<String> buckets) {
        return new ArrayList<>(bucketArns(partition, buckets).stream().map(arn -> arn + "/*").toList());
    }
}
