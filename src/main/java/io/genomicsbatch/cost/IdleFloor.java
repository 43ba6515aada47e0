package io.genomicsbatch.cost;

import io.genomicsbatch.alerts.Alarm;
import io.genomicsbatch.config.Settings;
import io.genomicsbatch.network.PrivateEndpoints;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The idle floor before anything is registered, so that a budget below it is refused with the other bad
 * input: the forecast over the resource types these settings bill by the month or by storage (the rest
 * are free while idle). BudgetTest keeps this in step with the forecast of what the program registers.
 */
public final class IdleFloor {
    private IdleFloor() {
    }

    /** The resource types the settings create that the forecast prices while idle, once per resource. */
    static List<String> billedTypes(Settings.Environment s) {
        var types = new ArrayList<String>();
        types.add(CostForecast.LOG_GROUP);
        if (s.network().s3GatewayEndpoint() || s.privateNetworking().enabled()) {
            types.add(CostForecast.VPC_ENDPOINT);
        }
        if (s.privateNetworking().enabled()) {
            for (var ignored : PrivateEndpoints.Service.values()) {
                types.add(CostForecast.VPC_ENDPOINT);
            }
        }
        var a = s.alerts();
        if (!a.emails().isEmpty()) {
            types.add("aws:kms/key:Key");
        }
        for (var alarm : Alarm.values()) {
            if (alarm == Alarm.PROVISIONING_FAILURES ? a.provisioningAlarm() : a.enabled()) {
                types.add("aws:cloudwatch/metricAlarm:MetricAlarm");
            }
        }
        if (a.enabled()) {
            types.add("aws:cloudwatch/dashboard:Dashboard");
        }
        if (s.budget().stops()) {
            types.add("aws:budgets/budgetAction:BudgetAction");
        }
        return types;
    }

    /** $ a month; empty when a price is unknown (no region, or one the price table lacks). */
    public static OptionalDouble usdPerMonth(Settings.Environment s, Optional<String> region, PriceTable prices) {
        // Before the subnet lookup the endpoints' zones are unknown: one, the fewest, keeps this a floor.
        var floor = CostForecast.of(s, region, prices, billedTypes(s), java.util.OptionalInt.of(1))
                .idleFloorUsdPerMonth();
        return floor == null ? OptionalDouble.empty() : OptionalDouble.of(floor);
    }
}
