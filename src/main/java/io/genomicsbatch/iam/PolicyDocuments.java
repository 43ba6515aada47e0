package io.genomicsbatch.iam;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** IAM policy documents as JSON. Built from maps so that no value is spliced into JSON text. */
public final class PolicyDocuments {
    private PolicyDocuments() {
    }

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /** A trust policy that lets one AWS service principal assume the role. */
    static String trust(String servicePrincipal, Map<String, Object> condition) {
        var statement = new LinkedHashMap<String, Object>();
        statement.put("Effect", "Allow");
        statement.put("Principal", Map.of("Service", servicePrincipal));
        statement.put("Action", "sts:AssumeRole");
        if (!condition.isEmpty()) {
            statement.put("Condition", condition);
        }
        return document(List.of(statement));
    }

    /** Trust for ECS tasks of one account only (the confused-deputy guard of job roles). */
    static String ecsTasksTrust(String accountId) {
        return trust("ecs-tasks.amazonaws.com", Map.of("StringEquals", Map.of("aws:SourceAccount", accountId)));
    }

    static Map<String, Object> allow(String sid, List<String> actions, List<String> resources) {
        return statement("Allow", sid, actions, resources);
    }

    static Map<String, Object> deny(String sid, List<String> actions, List<String> resources) {
        return statement("Deny", sid, actions, resources);
    }

    private static Map<String, Object> statement(String effect, String sid, List<String> actions,
                                                 List<String> resources) {
        var statement = new LinkedHashMap<String, Object>();
        statement.put("Sid", sid);
        statement.put("Effect", effect);
        statement.put("Action", actions);
        statement.put("Resource", resources);
        return statement;
    }

    /** Any other AWS JSON document (an ECR lifecycle policy), written the same way. */
    public static String json(Object document) {
        return GSON.toJson(ordered(document));
    }

    /**
     * The document with every map in a fixed key order: as built where the map keeps one (LinkedHashMap,
     * TreeMap), else sorted. Map.of iterates in an order that changes from one JVM run to the next, and a
     * policy's text must not: the plan and every preview would show a change that is none.
     */
    private static Object ordered(Object value) {
        if (value instanceof Map<?, ?> map) {
            var out = map instanceof java.util.LinkedHashMap<?, ?> || map instanceof java.util.SortedMap<?, ?>
                    ? new LinkedHashMap<String, Object>() : new java.util.TreeMap<String, Object>();
            map.forEach((k, v) -> out.put(String.valueOf(k), ordered(v)));
            return out;
        }
        if (value instanceof java.util.Collection<?> list) {
            return list.stream().map(PolicyDocuments::ordered).toList();
        }
        return value;
    }

    /**
     * A name or ARN as literal text in a Resource: a role path may hold '*', '?' and '$', which IAM reads as
     * wildcards and variables, and IAM's escapes ${*}, ${?} and ${$} keep them characters.
     */
    public static String literal(String value) {
        var out = new StringBuilder();
        for (var c : value.toCharArray()) {
            out.append(c == '*' || c == '?' || c == '$' ? "${" + c + "}" : String.valueOf(c));
        }
        return out.toString();
    }

    public static String document(List<Map<String, Object>> statements) {
        var document = new LinkedHashMap<String, Object>();
        document.put("Version", "2012-10-17");
        document.put("Statement", statements);
        return json(document);
    }
}
