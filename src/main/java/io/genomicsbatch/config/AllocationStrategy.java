package io.genomicsbatch.config;

/**
 * How Batch picks instance types when it scales a compute environment. Which ones a capacity type
 * accepts is {@link CapacityType#allowedStrategies()}.
 */
public enum AllocationStrategy {
    /** Cheapest type that fits, one type at a time. Slow to scale; no in-place infrastructure updates. */
    BEST_FIT(false),
    /** Like BEST_FIT, but adds further types when the first has no capacity. Updates in place. */
    BEST_FIT_PROGRESSIVE(true),
    /** Spot only: pools least likely to be interrupted. Updates in place. */
    SPOT_CAPACITY_OPTIMIZED(true),
    /**
     * Spot only: pools with the best mix of price and interruption risk. AWS updates it in place,
     * but pulumi-aws 6.83.0 plans a replacement on every infrastructure change
     * (terraform-provider-aws #38695).
     */
    SPOT_PRICE_CAPACITY_OPTIMIZED(false);

    private final boolean updatesInPlace;

    AllocationStrategy(boolean updatesInPlace) {
        this.updatesInPlace = updatesInPlace;
    }

    /** Whether a change to the compute resources is applied to the existing compute environment. */
    public boolean updatesInPlace() {
        return updatesInPlace;
    }
}
