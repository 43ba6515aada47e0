package io.genomicsbatch.engines;

/**
 * Spot retries in every engine config, beyond Nextflow's own {@code maxSpotAttempts}: each engine
 * asks AWS Batch for a retry strategy that retries a job only when its host was terminated (status
 * reason {@value #HOST_TERMINATED}, which a Spot reclaim reports) and exits on anything else, so real
 * failures still reach the engine. Any value can be held; the stack config and {@link EngineInputs} judge it.
 *
 * @param attempts         attempts per Batch job, 1-{@value #MAX_ATTEMPTS}; 0: the configs as they were
 *                         (Nextflow {@value EngineInputs#DEFAULT_MAX_SPOT_ATTEMPTS}, Cromwell and Snakemake none)
 * @param onDemandFallback Nextflow: a task whose Batch job a Spot reclaim ended runs again on the
 *                         high-priority (On-Demand first) queue
 */
public record SpotRetries(int attempts, boolean onDemandFallback) {
    /** Nothing beyond Nextflow's default: the engine configs as they were before this setting existed. */
    public static final SpotRetries NONE = new SpotRetries(0, false);
    /** AWS Batch's retry strategy takes 1-10 attempts (RetryStrategy.attempts). */
    public static final int MAX_ATTEMPTS = 10;
    /**
     * The status reason pattern of a job whose host went away ("Host EC2 (instance i-...) terminated."):
     * AWS Batch's documented pattern for retrying Spot reclaims, and Nextflow's.
     */
    public static final String HOST_TERMINATED = "Host EC2*";

    /** Whether every engine gets {@link #attempts}. */
    public boolean everyEngine() {
        return attempts > 0;
    }

    /** The status reason's fixed start, as an engine's failure message begins with it. */
    static String hostTerminatedPrefix() {
        return HOST_TERMINATED.substring(0, HOST_TERMINATED.length() - 1);
    }
}
