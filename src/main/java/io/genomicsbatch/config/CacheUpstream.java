package io.genomicsbatch.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The public registries an ECR pull-through cache rule of this stack may front (Amazon ECR user guide,
 * "Sync an upstream registry with an Amazon ECR private registry"; the URLs are CreatePullThroughCacheRule's
 * {@code upstreamRegistryUrl} values). Quay and ECR Public are cached without authentication and take no
 * credentials; Docker Hub requires a Secrets Manager secret.
 */
public enum CacheUpstream {
    QUAY("quay", "quay.io", "quay.io", false),
    ECR_PUBLIC("ecr-public", "public.ecr.aws", "public.ecr.aws", false),
    DOCKER_HUB("docker-hub", "registry-1.docker.io", "docker.io", true);

    private final String key;
    private final String registryUrl;
    private final String imageHost;
    private final boolean needsCredential;

    CacheUpstream(String key, String registryUrl, String imageHost, boolean needsCredential) {
        this.key = key;
        this.registryUrl = registryUrl;
        this.imageHost = imageHost;
        this.needsCredential = needsCredential;
    }

    /** The name in the stack config, also the last part of the cache's repository prefix. */
    public String key() {
        return key;
    }

    /** The rule's {@code upstreamRegistryUrl}. */
    public String registryUrl() {
        return registryUrl;
    }

    /** The registry host users write in image names ({@code quay.io/biocontainers/...}). */
    public String imageHost() {
        return imageHost;
    }

    /** Whether AWS requires a credential (a Secrets Manager secret) for this upstream. */
    public boolean needsCredential() {
        return needsCredential;
    }

    public static Optional<CacheUpstream> byKey(String key) {
        return Arrays.stream(values()).filter(u -> u.key.equals(key)).findFirst();
    }

    /** The config names, in declaration order. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(CacheUpstream::key).toList();
    }
}
