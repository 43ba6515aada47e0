package io.genomicsbatch.iam;

import com.pulumi.core.Output;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A role the account team made (jobRoleArn, headJobRoleArn, or the role of instanceProfileArn), which the
 * stack uses but does not create, with what the stack would have given the role it creates otherwise: its
 * trust policy, AWS-managed policies and inline policies. The stack output {@value #OUTPUT} carries them,
 * so that `genomics-batch policies` can hand them to the account team.
 *
 * @param key            the role's key in the output: instanceRole, jobRole or headJobRole
 * @param arn            the role's ARN
 * @param trustPolicy    who may assume it
 * @param managedPolicyArns AWS-managed policies to attach
 * @param inlinePolicies inline policies by name (the suffix the stack's own role gives them)
 */
public record BroughtRole(String key, Output<String> arn, Output<String> trustPolicy,
                          List<Output<String>> managedPolicyArns, Map<String, Output<String>> inlinePolicies) {
    /** The stack output, present when a role is brought. */
    public static final String OUTPUT = "broughtRolePolicies";

    /** The key of the hosts' role. */
    public static final String INSTANCE_ROLE = "instanceRole";

    public BroughtRole {
        managedPolicyArns = List.copyOf(managedPolicyArns);
        inlinePolicies = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inlinePolicies));
    }

    /** This role with one more inline policy. */
    public BroughtRole with(String policyName, Output<String> policy) {
        var inline = new LinkedHashMap<>(inlinePolicies);
        inline.put(policyName, policy);
        return new BroughtRole(key, arn, trustPolicy, managedPolicyArns, inline);
    }

    /** role key -> {arn, trustPolicy, managedPolicyArns, inlinePolicies}; documents as JSON text, as IAM takes them. */
    public static Output<Map<String, Object>> output(List<BroughtRole> roles) {
        var perRole = new ArrayList<Output<Map<String, Object>>>();
        for (var role : roles) {
            var names = List.copyOf(role.inlinePolicies().keySet());
            perRole.add(Output.tuple(role.arn(), role.trustPolicy(), Output.all(role.managedPolicyArns()),
                    Output.all(List.copyOf(role.inlinePolicies().values()))).applyValue(t -> {
                        var inline = new LinkedHashMap<String, Object>();
                        for (var i = 0; i < names.size(); i++) {
                            inline.put(names.get(i), t.t4.get(i));
                        }
                        var entry = new LinkedHashMap<String, Object>();
                        entry.put("arn", t.t1);
                        entry.put("trustPolicy", t.t2);
                        entry.put("managedPolicyArns", t.t3);
                        entry.put("inlinePolicies", inline);
                        return (Map<String, Object>) entry;
                    }));
        }
        return Output.all(perRole).applyValue(entries -> {
            var out = new LinkedHashMap<String, Object>();
            for (var i = 0; i < roles.size(); i++) {
                out.put(roles.get(i).key(), entries.get(i));
            }
            return (Map<String, Object>) out;
        });
    }
}
