package io.genomicsbatch.plan;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import io.genomicsbatch.compute.ComputeEnvironments;
import io.genomicsbatch.compute.UserData;
import io.genomicsbatch.config.CapacityType;
import io.genomicsbatch.cost.CostForecast;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Prints a {@link Plan} for people (text, mermaid) and for machines (json). */
public final class PlanRenderer {
    private PlanRenderer() {
    }

    public enum Format { TEXT, JSON, MERMAID, USER_DATA }

    static final String QUEUE_TYPE = "aws:batch/jobQueue:JobQueue";
    static final String CE_TYPE = "aws:batch/computeEnvironment:ComputeEnvironment";
    private static final Pattern MIME_PART = Pattern.compile("filename=\"([^\"]+)\"");

    public static String render(Plan plan, Format format) {
        return switch (format) {
            case TEXT -> text(plan);
            case JSON -> json(plan);
            case MERMAID -> mermaid(plan);
            case USER_DATA -> userData(plan);
        };
    }

    // ---- user data ----------------------------------------------------------------------------

    /** Each launch template's host scripts, unpacked from its user data: what a reviewer reads. */
    static String userData(Plan plan) {
        var out = new StringBuilder();
        for (var r : plan.resources()) {
            if (r.inputs().get("userData") instanceof String base64) {
                var mime = new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
                var files = UserData.files(mime);
                out.append("# ").append(r.name()).append(": ").append(userDataSummary(mime, files)).append('\n');
                files.forEach((name, text) -> out.append("\n# ---- ").append(name).append(" ----\n").append(text));
                out.append('\n');
            }
        }
        return out.toString();
    }

    // ---- text -------------------------------------------------------------------------------

    static String text(Plan plan) {
        var out = new StringBuilder();
        out.append("Plan for stack ").append(plan.stack()).append(" (project ").append(plan.project())
                .append(", region ").append(plan.region().orElse("<unset: aws:region>")).append(")\n")
                .append("Offline: nothing was sent to AWS. Values in <after deploy: ...> are assigned by AWS on ")
                .append("deployment; <lookup: ...> values are looked up in the account on deployment.\n\n");
        out.append("Lookups:\n");
        for (var l : plan.lookups()) {
            out.append("  ").append(l.what()).append(": ").append(l.answer()).append("  (").append(l.source())
                    .append(")\n");
        }
        if (!plan.warnings().isEmpty()) {
            out.append("\nWarnings:\n");
            plan.warnings().forEach(w -> out.append("  ! ").append(w).append('\n'));
        }
        if (!plan.amis().isEmpty()) {
            out.append('\n').append(amisText(plan.amis()));
        }
        out.append('\n').append(forecastText(plan.forecast()));
        out.append("\nResources (").append(plan.resources().size()).append("):\n");
        for (var root : children(plan, Optional.empty())) {
            tree(plan, root, "", out);
        }
        out.append("\nOutputs:\n");
        plan.outputs().forEach((k, v) -> out.append("  ").append(k).append(" = ").append(inline(v)).append('\n'));
        return out.toString();
    }

    private static void tree(Plan plan, PlannedResource r, String indent, StringBuilder out) {
        out.append(indent).append("+ ").append(r.type()).append("  ").append(r.name()).append('\n');
        var detail = indent + "    ";
        for (var line : inputLines(r.inputs())) {
            out.append(detail).append(line).append('\n');
        }
        if (r.protect()) {
            out.append(detail).append("[protect]\n");
        }
        if (!r.dependsOn().isEmpty()) {
            out.append(detail).append("[dependsOn] ").append(r.dependsOn()).append('\n');
        }
        if (!r.ignoreChanges().isEmpty()) {
            out.append(detail).append("[ignoreChanges] ").append(r.ignoreChanges()).append('\n');
        }
        if (!r.customTimeouts().isEmpty()) {
            out.append(detail).append("[customTimeouts] ").append(r.customTimeouts()).append('\n');
        }
        if (!r.aliases().isEmpty()) {
            out.append(detail).append("[aliases] ").append(r.aliases())
                    .append("  (earlier names: `pulumi up` renames the existing resource, no replacement)\n");
        }
        for (var child : children(plan, Optional.of(r.name()))) {
            tree(plan, child, indent + "  ", out);
        }
    }

    private static List<PlannedResource> children(Plan plan, Optional<String> parent) {
        return plan.resources().stream().filter(r -> r.parent().equals(parent)).toList();
    }

    /** The inputs as "path = value" lines, nested maps flattened, user data and policies made readable. */
    static List<String> inputLines(Map<String, Object> inputs) {
        var lines = new ArrayList<String>();
        flatten("", readable(inputs), lines);
        return lines;
    }

    private static void flatten(String path, Object value, List<String> lines) {
        if (value instanceof Map<?, ?> map && !path.endsWith("tags")) {
            new TreeMap<>(map).forEach((k, v) -> flatten(path.isEmpty() ? k.toString() : path + "." + k, v, lines));
        } else if (value instanceof List<?> list && list.stream().anyMatch(v -> v instanceof Map<?, ?>)) {
            for (var i = 0; i < list.size(); i++) {
                flatten(path + "[" + i + "]", list.get(i), lines);
            }
        } else if (path.endsWith("launchTemplate.version")) {
            // The template's latest version: known only for a new stack.
            lines.add(path + " = " + inline(value) + "  (the template's latest version; 1 for a new stack)");
        } else {
            lines.add(path + " = " + inline(value));
        }
    }

    private static String inline(Object value) {
        if (value instanceof Map<?, ?> map) {
            var parts = new ArrayList<String>();
            new TreeMap<>(map).forEach((k, v) -> parts.add(k + "=" + inline(v)));
            return "{" + String.join(", ", parts) + "}";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(PlanRenderer::inline).toList().toString();
        }
        if (value instanceof Double d && d == Math.rint(d)) {
            return String.valueOf(d.longValue());
        }
        return String.valueOf(value);
    }

    /** Replaces base64 user data with its MIME parts and policy JSON with compact JSON. */
    private static Map<String, Object> readable(Map<String, Object> inputs) {
        var copy = new LinkedHashMap<String, Object>();
        inputs.forEach((k, v) -> {
            if (k.startsWith("__")) {
                return;
            }
            if (k.equals("userData") && v instanceof String s) {
                copy.put(k, userDataSummary(s));
            } else if ((k.equals("assumeRolePolicy") || k.equals("policy")) && v instanceof String s
                    && s.startsWith("{")) {
                copy.put(k, JsonParser.parseString(s).toString());
            } else {
                copy.put(k, v);
            }
        });
        return copy;
    }

    static String userDataSummary(String base64) {
        var mime = new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
        return userDataSummary(mime, mime.contains("<<'GB_BUNDLE'") ? UserData.files(mime) : Map.of());
    }

    /** The document's type, parts and size, and the host scripts it unpacks with their sizes. */
    private static String userDataSummary(String mime, Map<String, String> files) {
        var parts = new ArrayList<String>();
        var m = MIME_PART.matcher(mime);
        while (m.find()) {
            parts.add(m.group(1));
        }
        var type = mime.lines().filter(l -> l.startsWith("Content-Type:")).findFirst().orElse("?");
        var summary = type.substring("Content-Type:".length()).trim().split(";")[0] + " with parts " + parts + " ("
                + mime.length() + " bytes)";
        if (files.isEmpty()) {
            return summary;
        }
        // The host scripts travel compressed: name each with its delivered size.
        var sizes = new ArrayList<String>();
        files.forEach((name, text) -> sizes.add(name + " " + text.length()));
        return summary + ", unpacking " + sizes + " bytes of script";
    }

    // ---- pinned AMIs ---------------------------------------------------------------------------

    /** What each environment runs, and what a new image does to it (docs/restricted-accounts.md). */
    static String amisText(List<Plan.PinnedAmi> amis) {
        var out = new StringBuilder("Pinned AMIs (imageIdOverride; docs/restricted-accounts.md):\n");
        for (var a : amis) {
            out.append("  ").append(a.computeEnvironment()).append(": ")
                    .append(a.byId() ? "approved image " + a.source() : "SSM parameter " + a.source()
                            + " (read at each preview)").append(" (").append(a.key()).append(")\n")
                    .append("    a new image ").append(a.replaced()
                            ? "REPLACES this compute environment: " + a.allocationStrategy() + " is not updated in "
                            + "place by pulumi-aws 6.83.0 (BEST_FIT_PROGRESSIVE and SPOT_CAPACITY_OPTIMIZED are)"
                            : "updates it in place (" + a.allocationStrategy() + "): Batch replaces its instances, "
                            + "giving running jobs up to " + ComputeEnvironments.UPDATE_TIMEOUT_MINUTES + " minutes")
                    .append('\n');
        }
        return out.toString();
    }

    /** The pinned AMIs for machines: each environment's source and "update" or "replace" on a new image. */
    static List<Map<String, Object>> amisJson(List<Plan.PinnedAmi> amis) {
        var list = new ArrayList<Map<String, Object>>();
        for (var a : amis) {
            var m = new LinkedHashMap<String, Object>();
            m.put("computeEnvironment", a.computeEnvironment());
            m.put(a.byId() ? "amiId" : "ssmParameter", a.source());
            m.put("key", a.key());
            m.put("allocationStrategy", a.allocationStrategy());
            m.put("onNewImage", a.replaced() ? "replace" : "update");
            list.add(m);
        }
        return list;
    }

    // ---- cost forecast ------------------------------------------------------------------------

    /** The forecast's lines, each naming the price table's date (docs/cost.md says how it is computed). */
    static String forecastText(CostForecast f) {
        var date = " (prices of " + f.priceDate() + (f.region().map(r -> ", " + r).orElse("")) + ")";
        var out = new StringBuilder("Cost forecast (docs/cost.md; On-Demand Linux prices, no discounts or taxes):\n");
        out.append("  Worst case per hour").append(date).append(": ").append(usd(f.worstCaseUsdPerHour()))
                .append(" with data volumes at their initial size, ").append(usd(f.worstCaseUsdPerHourAtMaxStorage()))
                .append(" grown to their cap\n");
        for (var e : f.computeEnvironments()) {
            out.append("    ").append(e.name()).append(": ");
            if (e.computeUsdPerHour() == null) {
                out.append("unknown (").append(e.maxVcpus()).append(" vCPUs)\n");
                continue;
            }
            out.append(e.maxVcpus()).append(" vCPUs x ").append(usd4(e.usdPerVcpuHour())).append("/vCPU-hour (")
                    .append(e.dearestType()).append(e.capacity() == CapacityType.SPOT
                            ? ", Spot at its cap: " + e.pricePercent() + "% of On-Demand" : ", On-Demand")
                    .append(") = ").append(usd(e.computeUsdPerHour())).append(" + volumes of ").append(e.hosts())
                    .append(" hosts (").append(e.maxVcpus()).append(" / ").append(e.smallestVcpus())
                    .append(" vCPUs, the smallest size) ").append(usd(e.volumesUsdPerHour())).append(" to ")
                    .append(usd(e.volumesUsdPerHourAtMaxStorage())).append('\n');
        }
        out.append("  Idle floor per month").append(date).append(": ").append(usd(f.idleFloorUsdPerMonth()))
                .append(" (no job running)\n");
        for (var i : f.idle()) {
            out.append("    ").append(i.what()).append(": ").append(usd(i.usdPerMonth())).append(" (").append(i.basis())
                    .append(")\n");
        }
        f.unknown().forEach(u -> out.append("  ! unknown: ").append(u).append('\n'));
        return out.toString();
    }

    private static String usd(Double value) {
        return value == null ? "unknown" : String.format(Locale.ROOT, "$%,.2f", value);
    }

    private static String usd4(Double value) {
        return String.format(Locale.ROOT, "$%.4f", value);
    }

    /** The forecast for machines: numbers in USD rounded to 4 decimals, null where unknown. */
    static Map<String, Object> forecastJson(CostForecast f) {
        var doc = new LinkedHashMap<String, Object>();
        doc.put("priceDate", f.priceDate());
        doc.put("priceSource", f.priceSource());
        doc.put("region", f.region().orElse(null));
        doc.put("hoursPerMonth", CostForecast.HOURS_PER_MONTH);
        doc.put("worstCaseUsdPerHour", round(f.worstCaseUsdPerHour()));
        doc.put("worstCaseUsdPerHourAtMaxStorage", round(f.worstCaseUsdPerHourAtMaxStorage()));
        doc.put("idleFloorUsdPerMonth", round(f.idleFloorUsdPerMonth()));
        var environments = new ArrayList<Map<String, Object>>();
        for (var e : f.computeEnvironments()) {
            var m = new LinkedHashMap<String, Object>();
            m.put("name", e.name());
            m.put("capacity", e.capacity().name());
            m.put("minVcpus", e.minVcpus());
            m.put("maxVcpus", e.maxVcpus());
            m.put("pricePercentOfOnDemand", e.pricePercent());
            m.put("dearestInstanceType", e.dearestType());
            m.put("usdPerVcpuHour", round(e.usdPerVcpuHour()));
            m.put("computeUsdPerHour", round(e.computeUsdPerHour()));
            m.put("smallestVcpus", e.smallestVcpus());
            m.put("hosts", e.hosts());
            m.put("volumesUsdPerHour", round(e.volumesUsdPerHour()));
            m.put("volumesUsdPerHourAtMaxStorage", round(e.volumesUsdPerHourAtMaxStorage()));
            environments.add(m);
        }
        doc.put("computeEnvironments", environments);
        var idle = new ArrayList<Map<String, Object>>();
        for (var i : f.idle()) {
            var m = new LinkedHashMap<String, Object>();
            m.put("what", i.what());
            m.put("usdPerMonth", round(i.usdPerMonth()));
            m.put("basis", i.basis());
            idle.add(m);
        }
        doc.put("idle", idle);
        doc.put("unknown", f.unknown());
        return doc;
    }

    private static Double round(Double value) {
        return value == null ? null : Math.round(value * 10_000) / 10_000.0;
    }

    // ---- json -------------------------------------------------------------------------------

    static String json(Plan plan) {
        var doc = new LinkedHashMap<String, Object>();
        doc.put("project", plan.project());
        doc.put("stack", plan.stack());
        doc.put("region", plan.region().orElse(null));
        doc.put("offline", true);
        doc.put("lookups", plan.lookups());
        doc.put("warnings", plan.warnings());
        var resources = new ArrayList<Map<String, Object>>();
        for (var r : plan.resources()) {
            var entry = new LinkedHashMap<String, Object>();
            entry.put("type", r.type());
            entry.put("name", r.name());
            entry.put("parent", r.parent().orElse(null));
            entry.put("inputs", r.inputs());
            entry.put("protect", r.protect());
            entry.put("dependsOn", r.dependsOn());
            entry.put("ignoreChanges", r.ignoreChanges());
            entry.put("customTimeouts", r.customTimeouts());
            entry.put("aliases", r.aliases());
            resources.add(entry);
        }
        doc.put("resources", resources);
        doc.put("outputs", plan.outputs());
        doc.put("forecast", forecastJson(plan.forecast()));
        // Only with pinning on: without it the document is what it was before pinning existed.
        if (!plan.amis().isEmpty()) {
            doc.put("amis", amisJson(plan.amis()));
        }
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(doc)
                + "\n";
    }

    // ---- mermaid ----------------------------------------------------------------------------

    static String mermaid(Plan plan) {
        var out = new StringBuilder("flowchart LR\n");
        var environments = plan.resources().stream().filter(r -> r.type().equals(CE_TYPE)).toList();
        for (var q : plan.resources().stream().filter(r -> r.type().equals(QUEUE_TYPE)).toList()) {
            out.append("  ").append(id(q.name())).append("[\"queue ").append(q.inputs().get("name"))
                    .append("<br/>priority ").append(inline(q.inputs().get("priority"))).append("\"]\n");
        }
        for (var ce : environments) {
            var resources = (Map<?, ?>) ce.inputs().getOrDefault("computeResources", Map.of());
            out.append("  ").append(id(ce.name())).append("[(\"").append(ce.name()).append("<br/>")
                    .append(resources.get("type")).append(" ").append(resources.get("allocationStrategy"))
                    .append("<br/>").append(inline(resources.get("minVcpus"))).append("-")
                    .append(inline(resources.get("maxVcpus"))).append(" vCPUs\")]\n");
        }
        for (var q : plan.resources().stream().filter(r -> r.type().equals(QUEUE_TYPE)).toList()) {
            var orders = (List<?>) q.inputs().getOrDefault("computeEnvironmentOrders", List.of());
            for (var o : orders) {
                var order = (Map<?, ?>) o;
                var target = environments.stream()
                        .filter(ce -> PlanMocks.afterDeploy(ce.name(), "arn").equals(order.get("computeEnvironment")))
                        .findFirst()
                        .map(PlannedResource::name)
                        .orElse(String.valueOf(order.get("computeEnvironment")));
                out.append("  ").append(id(q.name())).append(" -->|").append(inline(order.get("order")))
                        .append("| ").append(id(target)).append('\n');
            }
        }
        return out.toString();
    }

    private static String id(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "_");
    }
}
