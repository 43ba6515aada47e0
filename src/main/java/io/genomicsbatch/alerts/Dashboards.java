package io.genomicsbatch.alerts;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The environment's CloudWatch dashboard: one graph per alarm's metric, with the alarm's threshold. */
final class Dashboards {
    private Dashboards() {
    }

    static final int WIDTH = 12;
    static final int HEIGHT = 6;

    /** @param ruleNames each alert rule's AWS name */
    static String body(String namePrefix, String region, String environmentTag, Map<AlertRule, String> ruleNames) {
        var widgets = new ArrayList<Map<String, Object>>();
        var i = 0;
        for (var alarm : Alarm.values()) {
            var metric = alarm.rule().map(r -> Alarm.Metric.rule(ruleNames.get(r)))
                    .orElse(Alarm.Metric.provisioningFailed(environmentTag));
            var line = new ArrayList<Object>(List.of(metric.namespace(), metric.name()));
            metric.dimensions().forEach((k, v) -> {
                line.add(k);
                line.add(v);
            });
            var properties = new LinkedHashMap<String, Object>();
            properties.put("title", namePrefix + ": " + alarm.suffix().replace('-', ' '));
            properties.put("region", region);
            properties.put("view", "timeSeries");
            properties.put("stat", "Sum");
            properties.put("period", alarm == Alarm.PROVISIONING_FAILURES ? 300 : 3600);
            properties.put("metrics", List.of(line));
            var widget = new LinkedHashMap<String, Object>();
            widget.put("type", "metric");
            widget.put("x", (i % 2) * WIDTH);
            widget.put("y", (i / 2) * HEIGHT);
            widget.put("width", WIDTH);
            widget.put("height", HEIGHT);
            widget.put("properties", properties);
            widgets.add(widget);
            i++;
        }
        return io.genomicsbatch.iam.PolicyDocuments.json(Map.of("widgets", widgets));
    }
}
